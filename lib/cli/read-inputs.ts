import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import {
  discoverSuiteFiles,
  isRocketshipDir,
  suiteFilesWanted,
  loadSuiteFile,
  type DslError,
  type DslWarning,
  type LoadedSuite,
} from '../dsl/index.js';
import { checkTemplates } from '../dsl/check-templates.js';
import { mergeVars } from '../run/merge-vars.js';
import type { ContractCache } from '../openapi/contract-cache.js';
import { preloadContracts } from '../plugins/preload-contracts.js';
import { inputErrorEntry, type RunErrorEntry } from '../report/run-error.js';
import type { CliIO } from './cli-io.js';
import type { RunArgs } from './parse-args.js';
import { readValues } from './read-values.js';
import { type NamedFile, uniqueFiles } from './unique-files.js';

/** The flags that name a run's inputs: its suite files, its values, and the tests chosen by name. */
export type InputArgs = Pick<RunArgs, 'files' | 'dirs' | 'vars' | 'varFiles' | 'envFiles' | 'secrets' | 'tests' | 'grep'>;

/** What a run (or a plan, or a watch) reads before it starts. */
export interface Inputs {
  readonly suites: readonly LoadedSuite[];
  readonly vars: Readonly<Record<string, Json>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly secrets: Readonly<Record<string, string>>;
  /** Everything wrong, as printed on stderr and as a report entry; the run does not start if any. */
  readonly problems: readonly InputProblem[];
  /** Said on stderr, but no reason not to run: a file named twice. */
  readonly notes: readonly string[];
  /** Every suite file named, loaded or not. */
  readonly suiteFiles: readonly string[];
  /** The var and env files were read: the values are complete, and templates can be checked against them. */
  readonly valuesRead: boolean;
}

/** A problem with an input, as printed on stderr and as a report entry. */
export interface InputProblem {
  readonly text: string;
  readonly entry: RunErrorEntry;
}

/**
 * Finds and loads every suite a command line names (the FILEs, `-f`, `-d` by Rocketship's rules,
 * else `./rocketship.yaml`; a file named twice once) and reads its values (`--var-file`, `--var`,
 * `--env-file`, `--secret`); every problem is reported, not just the first. Templates are checked
 * by {@link checkInputTemplates}, once the tests to run are known.
 */
export function readInputs(args: InputArgs, io: Pick<CliIO, 'cwd' | 'env'>): Inputs {
  const problems: InputProblem[] = [];
  const problem = (text: string): void => void problems.push({ text, entry: { kind: 'input', message: text } });
  const named: NamedFile[] = [];
  /** The suites below a directory given with `-d` (or as a FILE), or the problem of finding none. */
  const discover = (dir: string, given: string): void => {
    const path = resolve(io.cwd, dir);
    const kind = pathKind(path);
    if (kind !== 'directory') {
      problem(
        kind === 'missing' ? `${given}: no such directory` : `${given}: ${dir} is a file, not a directory; give it as a FILE (-f ${dir})`,
      );
      return;
    }
    const found = discoverSuiteFiles(path);
    if (found.length > 0) named.push(...found.map((file) => ({ file, given })));
    else problem(`${given}: no suite file found below it (looked for ${suiteFilesWanted(path)})${discoveryHint(path, dir)}`);
  };
  for (const f of args.files) {
    // A directory given as a FILE (`run suites/`) stands for its suites, as with -d.
    if (pathKind(resolve(io.cwd, f)) === 'directory') discover(f, `-f ${f}`);
    else named.push({ file: resolve(io.cwd, f), given: `-f ${f}` });
  }
  for (const dir of args.dirs) discover(dir, `-d ${dir}`);
  if (args.files.length === 0 && args.dirs.length === 0) {
    const file = resolve(io.cwd, 'rocketship.yaml');
    if (pathKind(file) === 'missing')
      problem(`no rocketship.yaml here (${io.cwd}): pass -f FILE or -d DIR (see rocketship run --help)${discoveryHint(io.cwd, '.')}`);
    else named.push({ file, given: './rocketship.yaml (the default)' });
  }
  const { files, notes } = uniqueFiles(named, { cwd: io.cwd });

  const suites: LoadedSuite[] = [];
  for (const { file, given } of files) {
    // Said as given, with no invented position: the file has no line to point at.
    if (pathKind(file) === 'missing') {
      const text = `no such file: ${given.startsWith('-f ') ? given.slice(3) : file}`;
      problems.push({ text, entry: { kind: 'input', file, message: 'no such file' } });
      continue;
    }
    const loaded = loadSuiteFile(file);
    if (E.isLeft(loaded)) problems.push(...loaded.left.map(dslProblem));
    else suites.push(loaded.right);
  }

  const values = readValues(args, io);
  for (const text of values.problems) problem(text);
  const { vars, env, secrets } = values;

  return { suites, vars, env, secrets, problems, notes, suiteFiles: files.map((f) => f.file), valuesRead: values.problems.length === 0 };
}

/** What is at `path`: nothing (missing, or a part of it is a file), a directory, or something else. */
function pathKind(path: string): 'missing' | 'directory' | 'other' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'other';
  }
}

/**
 * A hint for a directory in which no suite was found (`shown` as the user wrote it): its
 * `.rocketship` folder (`; -d DIR/.rocketship would run the 3 *.yaml files in it`), or the YAML
 * files it holds under other names (`; it holds 2 YAML files by other names (a.yaml, b.yaml):
 * give them as FILEs (rocketship run DIR/*.yaml)`). Empty when there is nothing to suggest.
 */
function discoveryHint(dir: string, shown: string): string {
  if (isRocketshipDir(dir)) return '';
  const rocketshipDir = join(dir, '.rocketship');
  if (pathKind(rocketshipDir) === 'directory') {
    const inside = discoverSuiteFiles(rocketshipDir).length;
    if (inside > 0) return `; -d ${join(shown, '.rocketship')} would run the ${inside} *.yaml file${inside === 1 ? '' : 's'} in it`;
  }
  let yaml: string[];
  try {
    yaml = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
  } catch {
    return '';
  }
  if (yaml.length === 0) return '';
  const some = `${yaml.slice(0, 3).join(', ')}${yaml.length > 3 ? ', …' : ''}`;
  const glob = yaml.some((name) => name.endsWith('.yml')) ? '*.y*ml' : '*.yaml';
  return `; it holds ${yaml.length} YAML file${yaml.length === 1 ? '' : 's'} by other names (${some}): give them as FILEs (rocketship run ${join(shown, glob)})`;
}

/** Which tests of which suite file will run: by the file, the test's name and its position in the file's `tests`. */
export type TestChoice = (file: string, testName: string, testIndex: number) => boolean;

/** `choice` for one suite file, as `runSuite`'s `only` takes it; `undefined` for all its tests. */
export function choiceIn(choice: TestChoice | undefined, file: string): ((testName: string, testIndex: number) => boolean) | undefined {
  return choice === undefined ? undefined : (name, index) => choice(file, name, index);
}

/** Options of {@link checkInputTemplates}. */
export interface TemplateCheckChoice {
  /** The tests that will run. Default: all. */
  readonly only?: TestChoice | undefined;
  /** An unset `{{ .env.X }}` or a `{{ .secrets.X }}` not given: an error (run), or a warning (plan). Default `'error'`. */
  readonly unset?: 'error' | 'warning' | undefined;
}

/**
 * Checks every template of what will run (see `checkTemplates`), before the first request, with
 * the values read. With the values incomplete (a `--var-file` that could not be read) it checks
 * nothing: it would only repeat their problem.
 */
export function checkInputTemplates(
  inputs: Inputs,
  choice: TemplateCheckChoice = {},
): { readonly problems: readonly InputProblem[]; readonly warnings: readonly DslWarning[]; readonly clean: readonly LoadedSuite[] } {
  if (!inputs.valuesRead) return { problems: [], warnings: [], clean: [] };
  const problems: InputProblem[] = [];
  const warnings: DslWarning[] = [];
  const clean: LoadedSuite[] = [];
  for (const loaded of inputs.suites) {
    const checked = checkTemplates(loaded, {
      vars: mergeVars(loaded.suite.vars ?? {}, inputs.vars),
      env: inputs.env,
      secrets: Object.keys(inputs.secrets),
      unset: choice.unset ?? 'error',
      only: choiceIn(choice.only, loaded.file),
    });
    problems.push(...checked.errors.map(dslProblem));
    warnings.push(...checked.warnings);
    if (checked.errors.length === 0) clean.push(loaded);
  }
  return { problems, warnings, clean };
}

/**
 * Loads the OpenAPI documents of `suites` (those whose templates are right: see
 * `checkInputTemplates`) into `contracts`, before anything is sent, as the run's steps will find
 * them (see `preloadContracts`): a missing or broken document is a problem now.
 */
export async function preloadInputContracts(
  suites: readonly LoadedSuite[],
  inputs: Inputs,
  contracts: ContractCache,
  only: TestChoice | undefined,
): Promise<InputProblem[]> {
  const problems: InputProblem[] = [];
  for (const loaded of suites) {
    const documents = await preloadContracts(loaded, {
      contracts,
      vars: mergeVars(loaded.suite.vars ?? {}, inputs.vars),
      env: inputs.env,
      secrets: inputs.secrets,
      only: choiceIn(only, loaded.file),
    });
    problems.push(...documents.map(dslProblem));
  }
  return problems;
}

function dslProblem(e: DslError): InputProblem {
  const entry = inputErrorEntry(e);
  return { text: entry.details ?? entry.message, entry };
}

/** The tests `--test` and `--grep` choose, by name; `undefined` when neither is given (all). */
export function testFilter(args: Pick<RunArgs, 'tests' | 'grep'>): TestChoice | undefined {
  if (args.tests.length === 0 && args.grep === undefined) return undefined;
  const re = args.grep === undefined ? undefined : new RegExp(args.grep);
  return (_file, name) => args.tests.includes(name) || (re !== undefined && re.test(name));
}

/** Tests both choices choose (either may be `undefined`: all). */
export function bothChoose(a: TestChoice | undefined, b: TestChoice | undefined): TestChoice | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return (file, name, index) => a(file, name, index) && b(file, name, index);
}
