import { createHash } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { dirname, join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { readRegularFile } from '../dsl/read-regular-file.js';

/** Options of {@link watchFileSet}. */
export interface FileWatcherConfig {
  /**
   * How long the files must stay quiet before a change is reported, in ms: an editor's save
   * (truncate, write, rename over) is one change, not three. Default {@link WATCH_DEBOUNCE_MS}.
   */
  readonly debounceMs?: number | undefined;
}

/** The quiet time that ends a burst of file events: 100 ms. */
export const WATCH_DEBOUNCE_MS = 100;

/** A set of watched files; see {@link watchFileSet}. */
export interface FileWatcher {
  /** Watches exactly these files (absolute paths) from now on; their contents now are the baseline. */
  update(paths: Iterable<string>): void;
  /** How many files are watched. */
  readonly size: number;
  /** Stops watching; no change is reported after it. */
  close(): void;
}

/**
 * Watches files with `node:fs.watch` and reports those whose contents changed.
 *
 * - The folder of each file is watched, not the file: editors that save by writing a new file
 *   and renaming it over the old one (vim, most IDEs) replace the file's inode, which a watch on
 *   the file itself stops seeing after the first save. A file that does not exist yet is seen
 *   when it appears, as long as its folder exists.
 * - Events are hints: after `debounceMs` of quiet, each file an event named (all of a folder's
 *   when the event names none) is read and compared, by a SHA-1 of its bytes, with what it held
 *   before; only files whose contents changed (or that appeared or went) are reported, once. So
 *   a `touch`, a save without changes and the duplicated events some platforms send report
 *   nothing.
 * - A folder that cannot be watched (gone, no permission) is skipped, and tried again at the next
 *   `update`.
 *
 * const watcher = watchFileSet((changed) => console.log('changed:', changed));
 * watcher.update(['/s/jobs.yaml', '/s/vars.yaml']);
 * // ... later: changed: [ '/s/jobs.yaml' ]
 * watcher.close();
 */
export function watchFileSet(onChange: (changed: readonly string[]) => void, config: FileWatcherConfig = {}): FileWatcher {
  const debounceMs = config.debounceMs ?? WATCH_DEBOUNCE_MS;
  /** Each watched file and the digest of its contents when last seen (`missing` when it was not there). */
  const digests = new Map<string, string>();
  const folders = new Map<string, FSWatcher>();
  const suspects = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const settle = (): void => {
    timer = undefined;
    if (closed) return;
    const changed: string[] = [];
    for (const path of suspects) {
      const before = digests.get(path);
      if (before === undefined) continue; // no longer watched
      const now = digestOf(path);
      if (now !== before) {
        digests.set(path, now);
        changed.push(path);
      }
    }
    suspects.clear();
    if (changed.length > 0) onChange(changed.sort());
  };
  const suspect = (paths: Iterable<string>): void => {
    for (const path of paths) suspects.add(path);
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(settle, debounceMs);
  };
  const watchFolder = (folder: string): void => {
    if (folders.has(folder)) return;
    try {
      const watcher = watch(folder, { persistent: true }, (_event, name) => {
        if (closed) return;
        const file = name === null ? undefined : join(folder, name.toString());
        if (file !== undefined && digests.has(file)) suspect([file]);
        else if (file === undefined) suspect([...digests.keys()].filter((p) => dirname(p) === folder));
      });
      // A folder removed or unmounted: forget it, the next update tries again.
      watcher.on('error', () => {
        watcher.close();
        folders.delete(folder);
      });
      folders.set(folder, watcher);
    } catch {
      // Not there (yet), or not ours to watch: tried again at the next update.
    }
  };

  return {
    update: (paths) => {
      const wanted = new Set(paths);
      for (const path of [...digests.keys()]) if (!wanted.has(path)) digests.delete(path);
      for (const path of wanted) if (!digests.has(path)) digests.set(path, digestOf(path));
      const needed = new Set([...wanted].map((p) => dirname(p)));
      for (const [folder, watcher] of folders) {
        if (needed.has(folder)) continue;
        watcher.close();
        folders.delete(folder);
      }
      for (const folder of needed) watchFolder(folder);
    },
    get size() {
      return digests.size;
    },
    close: () => {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const watcher of folders.values()) watcher.close();
      folders.clear();
    },
  };
}

/** The largest file whose contents are compared: 64 MiB; a larger one counts as changed at every event about it. */
const MAX_DIGEST_BYTES = 64 * 1024 * 1024;

/**
 * The SHA-1 of a file's bytes; for what is not a regular file that can be read (missing, a
 * folder, a named pipe, which a read would block on), a word for what it is instead.
 */
function digestOf(path: string): string {
  const bytes = readRegularFile(path, MAX_DIGEST_BYTES);
  if (E.isRight(bytes)) return createHash('sha1').update(bytes.right).digest('hex');
  const problem = bytes.left;
  return problem._tag === 'TooLarge'
    ? `large ${problem.size} ${Date.now()}`
    : problem._tag === 'NotRegular'
      ? `not a file: ${problem.kind}`
      : 'missing';
}
