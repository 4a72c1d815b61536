import { fileURLToPath } from 'node:url';
import type { BenchServer } from './bench-server.js';
import { measureProcess, type ProcessSample } from './measure-process.js';
import type { Row } from './row.js';

/** The project's `rocketship` command, run as an executable (its shell part starts the bundle with its code cache). */
export const BIN = fileURLToPath(new URL('../bin/rocketship.js', import.meta.url));

/** What every workload gets from the harness. */
export interface BenchContext {
  readonly server: BenchServer;
  /** A temporary directory for suite files. */
  readonly dir: string;
  /** Measured runs per side (start-up does three times as many: it is short and noisy). */
  readonly runs: number;
  /** Runs `rocketship ARGS` as a whole process. */
  ours(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<ProcessSample>;
  /** Runs `node bench/floor/SCRIPT ARGS`. */
  floor(script: string, args: readonly string[]): Promise<ProcessSample>;
  log(line: string): void;
}

/** What a workload hands back: its table rows, and everything it measured for the JSON file. */
export interface WorkloadResult {
  readonly rows: readonly Row[];
  readonly raw: unknown;
}

/** `bin` is the command measured as "ours" (default {@link BIN}; another checkout's, to compare). */
export function createContext(
  server: BenchServer,
  dir: string,
  runs: number,
  log: (line: string) => void,
  bin: string = BIN,
): BenchContext {
  const floorDir = fileURLToPath(new URL('./floor/', import.meta.url));
  return {
    server,
    dir,
    runs,
    // In the bench's own directory: each run reads and rewrites the last-run record of its working
    // directory (.rocketship/last-run.json), which in a checkout holds whatever was run there.
    ours: (args, env = {}) => measureProcess(bin, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1', ...env } }),
    floor: (script, args) => measureProcess(process.execPath, [`${floorDir}${script}`, ...args]),
    log,
  };
}

/** Fails the benchmark when a run did not succeed: its figures would mean nothing. */
export function expectSuccess(sample: ProcessSample, what: string): void {
  if (sample.code !== 0) {
    throw new Error(`${what} exited with ${sample.code}\n--- stdout (tail)\n${sample.stdoutTail}\n--- stderr (tail)\n${sample.stderrTail}`);
  }
}

/**
 * Runs `sides` one after another, starting from side `round % sides.length`: over the rounds of a
 * workload each side goes first in turn, so that none always follows another (or always meets the
 * machine's busy moment).
 *
 * for (let i = 0; i < runs; i++) await inTurn(i, [ours, floor, card]);   // round 1: floor, card, ours
 */
export async function inTurn(round: number, sides: ReadonlyArray<() => Promise<unknown>>): Promise<void> {
  for (let k = 0; k < sides.length; k++) await sides[(round + k) % sides.length]!();
}

/** The last line of a process's output, parsed as JSON: how a floor script reports a measurement. `undefined` when it is not JSON. */
export function lastJsonLine(sample: ProcessSample): unknown {
  const line = sample.stdoutTail.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
