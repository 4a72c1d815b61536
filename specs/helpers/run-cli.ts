import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The project root and the installed `rocketship` bin (runs the compiled CLI in dist/). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/rocketship.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `rocketship ARGS` as a process (not a TTY) and collects its output. `onStdout` sees the
 * output as it arrives, with the child, so a spec can send a signal at the right moment.
 */
export function runCli(
  args: readonly string[],
  options: {
    cwd?: string;
    env?: Record<string, string | undefined>;
    onStdout?: (soFar: string, child: ChildProcess) => void;
    onSpawn?: (child: ChildProcess) => void;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // `--` as the launcher does: Node 20 reads a script argument `--env-file X` as its own
    // option otherwise (nodejs/node#54232), and opens X before the CLI starts.
    const child = spawn(process.execPath, ['--', BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString('utf8');
      options.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
