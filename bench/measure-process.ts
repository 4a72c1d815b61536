import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One process run, as the harness saw it. */
export interface ProcessSample {
  /** From spawn to exit, in ms. */
  readonly wallMs: number;
  /** CPU time (user + system) of the process, in ms, when `/usr/bin/time` is available. */
  readonly cpuMs: number | undefined;
  /** Peak resident set size in MB (VmHWM), when `/usr/bin/time` is available. */
  readonly peakRssMb: number | undefined;
  readonly code: number | null;
  /** The last 4 KiB of stdout and stderr. */
  readonly stdoutTail: string;
  readonly stderrTail: string;
}

const TIME = '/usr/bin/time';
const TAIL = 4096;

/** `/usr/bin/time` is GNU time and understands `-f` and `-o`. */
export const hasGnuTime: boolean = existsSync(TIME) && spawnSync(TIME, ['-f', '%M', '-o', '/dev/null', 'true']).status === 0;

/**
 * Runs `command args` to completion and measures it: wall time, and CPU time and peak RSS through
 * GNU `/usr/bin/time` (both the tool and the floor pay for that wrapper alike). Output is kept
 * only as a tail (the tool prints a line per step). Rejects if the process runs past `timeoutMs`.
 */
export function measureProcess(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<ProcessSample> {
  const dir = hasGnuTime ? mkdtempSync(join(tmpdir(), 'rs-bench-time-')) : undefined;
  const timeFile = dir === undefined ? undefined : join(dir, 'time');
  const [cmd, argv] = timeFile === undefined ? [command, [...args]] : [TIME, ['-f', '%e %U %S %M', '-o', timeFile, command, ...args]];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout = (stdout + b.toString('utf8')).slice(-TAIL)));
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString('utf8')).slice(-TAIL)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')}: still running after ${options.timeoutMs} ms`));
    }, options.timeoutMs ?? 600_000);
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      let cpuMs: number | undefined;
      let peakRssMb: number | undefined;
      if (timeFile !== undefined) {
        // With a non-zero exit GNU time writes "Command exited with non-zero status N" first.
        const line = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
        const [, user, sys, rssKb] = line.split(' ').map(Number);
        if (user !== undefined && sys !== undefined) cpuMs = (user + sys) * 1000;
        if (rssKb !== undefined) peakRssMb = rssKb / 1024;
        rmSync(dir as string, { recursive: true, force: true });
      }
      // GNU time passes the command's exit status through.
      resolve({ wallMs, cpuMs, peakRssMb, code, stdoutTail: stdout, stderrTail: stderr });
    });
  });
}
