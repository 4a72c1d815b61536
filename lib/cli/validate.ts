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
import { checkTemplates } from '../dsl/check-templates.js';
import { createContractCache } from '../openapi/contract-cache.js';
import { preloadContracts } from '../plugins/preload-contracts.js';
import { mergeVars } from '../run/merge-vars.js';
import { readValues } from './read-values.js';
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
  /** `--var`s, as `run` takes them: `{{ .vars.X }}` is checked against each file's vars with these merged over. */
  readonly vars?: readonly string[] | undefined;
  readonly varFiles?: readonly string[] | undefined;
  /** `{{ .env.X }}` is checked against the environment (see `ValidateContext.env`) and these files. */
  readonly envFiles?: readonly string[] | undefined;
  /** `--secret NAME` or `NAME=VALUE`: the names `{{ .secrets.X }}` may use. */
  readonly secrets?: readonly string[] | undefined;
}

/** Where {@link runValidate} is run from. */
export interface ValidateContext {
  /** What relative paths are relative to (to tell when two names are the same file). Default: the process's. */
  readonly cwd: string;
  /** The environment a run would read (`{{ .env.X }}`). Default: none, so every `.env.X` gets a warning. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}

/** The verdict on one suite file (or on a path that gave no file). */
export interface ValidateResult {
  readonly file: string;
  readonly valid: boolean;
  readonly errors: readonly DslError[];
  /** Allowed but confusing, e.g. tests that share a name; they do not make a file invalid. */
  readonly warnings: readonly DslWarning[];
  /**
   * What is wrong with the path as a whole, where no line can be pointed at (`no such file`, a
   * directory with no suite file): set exactly when `errors` is empty on an invalid result.
   */
  readonly problem?: string;
}

/**
 * `rocketship validate FILE|DIR...`: decodes suite files and checks their templates without
 * running anything.
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
 * The templates of a file that decodes are checked as `run` checks them before its first request
 * (see `checkTemplates`), with the vars of `--var-file` and `--var`: a bad template makes the file
 * invalid, while an unset `{{ .env.X }}` or a `{{ .secrets.X }}` not given is only a warning (the
 * run's environment may have it). The OpenAPI documents a file names (`openapi.spec`) are
 * loaded as `run` loads them before its first request: a missing or broken one makes the file
 * invalid (a `spec` that reads an unset env var, or a name a step saves, is left to the run). A
 * `--var-file` or `--env-file` that cannot be read is said on
 * stderr (with `json` too, as a usage error is), exit 2, and no file is validated.
 *
 * Resolves to the exit code: 0 when every file is valid, 2 when any is invalid; warnings change
 * nothing. Never rejects.
 *
 * await runValidate(['examples'], { json: false }, io)   // 0, io saw "✓ examples/rocketship.yaml (2 tests)\n"
 */
export async function runValidate(
  paths: readonly string[],
  options: ValidateOptions,
  io: ValidateIO,
  context: ValidateContext = { cwd: resolve('.') },
): Promise<number> {
  const results: Array<ValidateResult & { tests?: number }> = [];
  if (paths.length === 0) {
    io.stderr('rocketship validate: give at least one FILE or DIR\n');
    return 2;
  }
  const values = readValues(
    { vars: options.vars ?? [], varFiles: options.varFiles ?? [], envFiles: options.envFiles ?? [], secrets: options.secrets ?? [] },
    { cwd: context.cwd, env: context.env ?? {} },
  );
  // A var or env file that cannot be read is a mistake of the command line, said as a usage error is.
  if (values.problems.length > 0) {
    for (const problem of values.problems) io.stderr(`rocketship validate: ${problem}\n`);
    return 2;
  }
  // Each path's files in order, or the problem in its place; then each file once.
  const named: Array<NamedFile | { readonly problem: ValidateResult }> = [];
  for (const path of paths) {
    for (const target of expand(path)) {
      if (target._tag === 'Problem')
        named.push({ problem: { file: path, valid: false, errors: [], warnings: [], problem: target.message } });
      else named.push({ file: target.file, given: target.file === path ? path : `found in ${path}` });
    }
  }
  const unique = uniqueFiles(
    named.filter((n): n is NamedFile => 'file' in n),
    { cwd: context.cwd, verb: 'is validated' },
  );
  const kept = new Set<NamedFile>(unique.files);
  // A document named by several files is read once.
  const contracts = createContractCache();
  for (const entry of named) {
    if ('problem' in entry) {
      results.push(entry.problem);
      continue;
    }
    if (!kept.has(entry)) continue;
    const loaded = loadSuiteFile(entry.file);
    if (loaded._tag === 'Left') {
      results.push({ file: entry.file, valid: false, errors: loaded.left, warnings: [] });
      continue;
    }
    const vars = mergeVars(loaded.right.suite.vars ?? {}, values.vars);
    const templates = checkTemplates(loaded.right, { vars, env: values.env, secrets: Object.keys(values.secrets), unset: 'warning' });
    // The OpenAPI documents it names, when their `spec` can be rendered now (an unset env var's is the run's to load).
    const documents =
      templates.errors.length === 0
        ? await preloadContracts(loaded.right, { contracts, vars, env: values.env, secrets: values.secrets, unset: 'skip' })
        : [];
    const errors = [...templates.errors, ...documents];
    const warnings = [...findDuplicateTestNames(loaded.right), ...templates.warnings].sort((a, b) => a.line - b.line || a.col - b.col);
    results.push({
      file: entry.file,
      valid: errors.length === 0,
      errors,
      warnings,
      tests: loaded.right.suite.tests.length,
    });
  }

  if (!options.json) for (const note of unique.notes) io.stderr(`note: ${note}\n`);
  if (options.json) {
    io.stdout(
      `${JSON.stringify(
        results.map(({ file, valid, errors, warnings, problem }) => ({
          file,
          valid,
          errors,
          warnings,
          ...(problem === undefined ? {} : { problem }),
        })),
        null,
        2,
      )}\n`,
    );
  } else {
    for (const r of results) {
      if (r.problem !== undefined) {
        // Said as `run` says it, with no invented position: the path has no line to point at.
        io.stderr(`✗ ${r.problem}: ${r.file}\n`);
      } else if (r.valid) {
        io.stdout(`✓ ${r.file} (${plural(r.tests ?? 0, 'test')})\n`);
        io.stderr(r.warnings.map(warningText).join(''));
      } else {
        io.stderr(`✗ ${r.file} (${plural(r.errors.length, 'error')})\n\n${r.errors.map((e) => `${formatDslError(e)}\n\n`).join('')}`);
        io.stderr(r.warnings.map(warningText).join(''));
      }
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
    return [{ _tag: 'Problem', message: code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : `cannot read (${String(code ?? e)})` }];
  }
  if (!isDirectory) return [{ _tag: 'File', file: path }];
  const files = discoverSuiteFiles(path);
  if (files.length > 0) return files.map((file) => ({ _tag: 'File', file }));
  const looked = basename(path.replace(/[\\/]+$/, '')) === '.rocketship' ? '*.yaml files' : 'files named rocketship.yaml';
  return [{ _tag: 'Problem', message: `no suite file found below this directory (looked for ${looked})` }];
}

/** A warning with its line and caret (a template's) is set apart by a blank line, as errors are. */
function warningText(w: DslWarning): string {
  return `${formatDslWarning(w)}\n${w.source === undefined ? '' : '\n'}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
