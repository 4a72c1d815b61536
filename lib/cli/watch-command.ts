import { relative, resolve } from 'node:path';
import type { Subscription } from 'rxjs';
import type { Redactor } from '../secrets/create-redactor.js';
import type { CliIO } from './cli-io.js';
import { watchFileSet, type FileWatcherConfig } from './file-watcher.js';
import type { RunArgs } from './parse-args.js';
import { readInputs } from './read-inputs.js';
import type { ReportFiles } from './report-files.js';
import { runCommand } from './run-command.js';
import { affectedSuites, watchedFiles, type WatchedFiles } from './watched-files.js';

/** Options of {@link watchCommand}. */
export interface WatchCommandConfig extends FileWatcherConfig {
  /** The process's redactor (see `runCommand`). */
  readonly redactor?: Redactor | undefined;
  /** The report files of each run, made fresh for it (a `ReportFiles` is written once). Default: those `args` asks for. */
  readonly reportsFor?: (() => ReportFiles) | undefined;
}

/** Clears a terminal and its scrollback, and puts the cursor home. */
const CLEAR_SCREEN = '\x1b[2J\x1b[3J\x1b[H';

/**
 * `rocketship run --watch`: runs the suites as `run` does, then watches every file they read
 * (see `watchedFiles`: the suite files, script files, OpenAPI documents, `--var-file` and
 * `--env-file`) and, when one changes (see `watchFileSet`: contents compared, bursts of events
 * debounced), runs again the suites it concerns (all of them for a var or env file), after
 * clearing the screen on a terminal. A run that cannot start (a suite that does not decode) says
 * why, as `run` does, and the watch goes on; changes made during a run are run after it. Each run
 * loads its OpenAPI documents afresh (a run has its own cache of them).
 *
 * A signal (Ctrl-C) while waiting ends the watch with the exit code of the last run; during a run
 * it stops that run as it stops any (cleanup steps run), and the watch ends with that run's code.
 * Resolves to the exit code.
 */
export async function watchCommand(args: RunArgs, io: CliIO, config: WatchCommandConfig = {}): Promise<number> {
  const say = (text: string): void => (args.reports.some((r) => r.path === '-') ? io.stderr(text) : io.stdout(text));
  const runWith = (files: readonly string[] | undefined): Promise<number> =>
    runCommand(files === undefined ? args : { ...args, files, dirs: [] }, io, {
      ...(config.redactor === undefined ? {} : { redactor: config.redactor }),
      ...(config.reportsFor === undefined ? {} : { reports: config.reportsFor() }),
    });
  /** What the run reads now: the suite files and every file they name. */
  const watchedNow = (): WatchedFiles => {
    const inputs = readInputs(args, io);
    return watchedFiles({
      suiteFiles: inputs.suiteFiles,
      suites: inputs.suites,
      valueFiles: [...args.varFiles, ...args.envFiles].map((f) => resolve(io.cwd, f)),
      vars: inputs.vars,
      env: inputs.env,
      cwd: io.cwd,
    });
  };

  let last = await runWith(undefined);
  if (io.interrupted() !== undefined) return last;

  return new Promise<number>((done) => {
    let watched = watchedNow();
    let running = false;
    const pending = new Set<string>();
    let interrupted: Subscription | undefined;
    const waiting = (): void =>
      say(`\nwatching ${watched.size} file${watched.size === 1 ? '' : 's'} for changes; Ctrl-C to exit with this run's code (${last})\n`);
    const finish = (): void => {
      watcher.close();
      interrupted?.unsubscribe();
      done(last);
    };
    const runChanged = async (): Promise<void> => {
      running = true;
      while (pending.size > 0 && io.interrupted() === undefined) {
        const changed = [...pending].sort();
        pending.clear();
        const suites = affectedSuites(watched, changed);
        if (io.isTTY) say(CLEAR_SCREEN);
        const shown = changed.map((f) => relative(io.cwd, f) || f).join(', ');
        const which = suites === undefined ? 'every suite' : `${suites.length} suite${suites.length === 1 ? '' : 's'}`;
        say(`changed: ${shown}; running ${which} again\n\n`);
        last = await runWith(suites);
        watched = watchedNow();
        watcher.update(watched.keys());
      }
      running = false;
      if (io.interrupted() !== undefined) finish();
      else waiting();
    };
    const watcher = watchFileSet(
      (changed) => {
        for (const file of changed) pending.add(file);
        if (!running) void runChanged();
      },
      { debounceMs: config.debounceMs },
    );
    // While waiting, a signal ends the watch; during a run, the run stops first (runChanged then ends it).
    interrupted = io.interrupt$.subscribe(() => {
      if (!running) finish();
    });
    watcher.update(watched.keys());
    waiting();
  });
}
