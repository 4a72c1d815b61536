import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';

/** A file named on the command line, and how: `-f a.yaml`, `-d tests`, `validate a.yaml`. */
export interface NamedFile {
  /** The path to read, as the command will show it. */
  readonly file: string;
  /** How the command line named it, for messages: `-f ./a.yaml`, `-d suites`. */
  readonly given: string;
}

/**
 * Keeps the first of the names that lead to the same file, so that a suite named twice runs
 * once: `-f a.yaml -f a.yaml`, `-f ./a.yaml -f a.yaml`, a symbolic link and its target, `-f`
 * plus a `-d` that finds the file again, overlapping `-d`s. Files are compared by real path
 * (links and `.`/`..` resolved); a path that does not resolve (a missing file) is compared as
 * written, resolved against the working directory, and kept for its error to be reported.
 *
 * `verb` words the note (default `runs`; `validate` says `is validated`).
 * Returns the files kept, in order, and one note per way a file was named twice (several files
 * named twice the same way, as by two overlapping `-d`s, share a note).
 *
 * uniqueFiles([{ file: 'a.yaml', given: '-f a.yaml' }, { file: './a.yaml', given: '-f ./a.yaml' }], { cwd: '/work' })
 * // { files: [{ file: 'a.yaml', given: '-f a.yaml' }],
 * //   notes: ['/work/a.yaml is named twice (-f a.yaml, then -f ./a.yaml): it runs once'] }
 */
export function uniqueFiles(
  named: readonly NamedFile[],
  options: { readonly cwd: string; readonly verb?: string },
): { files: NamedFile[]; notes: string[] } {
  const cwd = options.cwd;
  const verb = options.verb ?? 'runs';
  const first = new Map<string, NamedFile>();
  const files: NamedFile[] = [];
  // Repeats grouped by how the file was named the first and the second time.
  const repeats = new Map<string, { readonly first: string; readonly again: string; readonly real: string[] }>();
  for (const entry of named) {
    const real = realPath(resolve(cwd, entry.file));
    const earlier = first.get(real);
    if (earlier === undefined) {
      first.set(real, entry);
      files.push(entry);
      continue;
    }
    const key = `${earlier.given}\0${entry.given}`;
    const group = repeats.get(key);
    if (group === undefined) repeats.set(key, { first: earlier.given, again: entry.given, real: [real] });
    else group.real.push(real);
  }
  const notes = [...repeats.values()].map(({ first: once, again, real }) =>
    real.length === 1
      ? `${real[0]} is named twice (${once}, then ${again}): it ${verb} once`
      : `${real.length} files are named twice (${once}, then ${again}), e.g. ${real[0]}: each ${verb} once`,
  );
  return { files, notes };
}

function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}
