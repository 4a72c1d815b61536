import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import {
  discoverSuiteFiles,
  type DslError,
  type DslWarning,
  findDuplicateTestNames,
  formatDslError,
  formatDslWarning,
  loadSuiteFile,
} from '../dsl/index.js';
import { type NamedFile, uniqueFiles } from './unique-files.js';

/** Where `validate` writes: each call is a chunk of text, line breaks included. */
export interface ValidateIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Options of {@link runValidate}. */
export interface ValidateOptions {
  /** Print the results as a JSON array instead of text. */
  readonly json: boolean;
}

/** Where {@link runValidate} is run from. */
export interface ValidateContext {
  /** What relative paths are relative to (to tell when two names are the same file). Default: the process's. */
  readonly cwd: string;
}

/** The verdict on one suite file (or on a path that gave no file). */
export interface ValidateResult {
  readonly file: string;
  readonly valid: boolean;
  readonly errors: readonly DslError[];
  /** Allowed but confusing, e.g. tests that share a name; they do not make a file invalid. */
  readonly warnings: readonly DslWarning[];
}

/**
 * `rocketship validate FILE|DIR...`: decodes suite files without running anything.
 *
 * A FILE is decoded as given; a DIR stands for every `rocketship.yaml` below it (every
 * `*.yaml` when it is named `.rocketship`). A path that does not exist, and a directory with
 * no suite file, count as invalid. A file named twice (`a.yaml ./a.yaml`, a link and its
 * target, a FILE that a DIR finds again) is validated once, with a note on stderr (in text
 * mode). A named pipe or a device is invalid, refused without being read. Text output:
 * `✓ file (N tests)` on stdout per valid file; `✗ file (K errors)` and each formatted error
 * (file:line:col, key path, expected/found, source line with a caret) on stderr per invalid one.
 * Warnings about a valid file (tests that share a name: `file:line:col: warning: ...`, naming the
 * line of each) go to stderr after its line. With `json`, stdout gets one JSON array of
 * `{ file, valid, errors, warnings }` and nothing else is printed.
 *
 * Returns the exit code: 0 when every file is valid, 2 when any is invalid; warnings change
 * nothing. Never throws.
 *
 * runValidate(['examples'], { json: false }, io)   // 0, io saw "✓ examples/rocketship.yaml (2 tests)\n"
 */
export function runValidate(
  paths: readonly string[],
  options: ValidateOptions,
  io: ValidateIO,
  context: ValidateContext = { cwd: resolve('.') },
): number {
  const results: Array<ValidateResult & { tests?: number }> = [];
  if (paths.length === 0) {
    io.stderr('rocketship validate: give at least one FILE or DIR\n');
    return 2;
  }
  // Each path's files in order, or the problem in its place; then each file once.
  const named: Array<NamedFile | { readonly problem: ValidateResult }> = [];
  for (const path of paths) {
    for (const target of expand(path)) {
      if (target._tag === 'Problem')
        named.push({ problem: { file: path, valid: false, errors: [fileError(path, target.message)], warnings: [] } });
      else named.push({ file: target.file, given: target.file === path ? path : `found in ${path}` });
    }
  }
  const unique = uniqueFiles(
    named.filter((n): n is NamedFile => 'file' in n),
    { cwd: context.cwd, verb: 'is validated' },
  );
  const kept = new Set<NamedFile>(unique.files);
  for (const entry of named) {
    if ('problem' in entry) {
      results.push(entry.problem);
      continue;
    }
    if (!kept.has(entry)) continue;
    const loaded = loadSuiteFile(entry.file);
    results.push(
      loaded._tag === 'Right'
        ? {
            file: entry.file,
            valid: true,
            errors: [],
            warnings: findDuplicateTestNames(loaded.right),
            tests: loaded.right.suite.tests.length,
          }
        : { file: entry.file, valid: false, errors: loaded.left, warnings: [] },
    );
  }

  if (!options.json) for (const note of unique.notes) io.stderr(`note: ${note}\n`);
  if (options.json) {
    io.stdout(
      `${JSON.stringify(
        results.map(({ file, valid, errors, warnings }) => ({ file, valid, errors, warnings })),
        null,
        2,
      )}\n`,
    );
  } else {
    for (const r of results) {
      if (r.valid) {
        io.stdout(`✓ ${r.file} (${plural(r.tests ?? 0, 'test')})\n`);
        if (r.warnings.length > 0) io.stderr(r.warnings.map((w) => `${formatDslWarning(w)}\n`).join(''));
      } else io.stderr(`✗ ${r.file} (${plural(r.errors.length, 'error')})\n\n${r.errors.map((e) => `${formatDslError(e)}\n\n`).join('')}`);
    }
    if (results.length > 1) {
      const invalid = results.filter((r) => !r.valid).length;
      io.stdout(`${plural(results.length, 'file')}: ${results.length - invalid} valid, ${invalid} invalid\n`);
    }
  }
  return results.every((r) => r.valid) ? 0 : 2;
}

type Target = { readonly _tag: 'File'; readonly file: string } | { readonly _tag: 'Problem'; readonly message: string };

function expand(path: string): Target[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return [{ _tag: 'Problem', message: code === 'ENOENT' ? 'no such file or directory' : `cannot read it (${String(code ?? e)})` }];
  }
  if (!isDirectory) return [{ _tag: 'File', file: path }];
  const files = discoverSuiteFiles(path);
  if (files.length > 0) return files.map((file) => ({ _tag: 'File', file }));
  const looked = basename(path.replace(/[\\/]+$/, '')) === '.rocketship' ? '*.yaml files' : 'files named rocketship.yaml';
  return [{ _tag: 'Problem', message: `no suite files found in this directory (looked for ${looked})` }];
}

function fileError(file: string, message: string): DslError {
  return { file, line: 1, col: 1, path: '', message };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
