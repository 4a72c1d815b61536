import { resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import { MAX_SUITE_FILE_BYTES } from '../dsl/index.js';
import { readRegularFile } from '../dsl/read-regular-file.js';
import { mergeVars } from '../run/merge-vars.js';
import { parseEnvFile } from './env-file.js';
import { parseVarAssignments, parseVarFile } from './var-args.js';

/** The flags that give a run its values (`run` and `validate` both take them). */
export interface ValueArgs {
  /** `--var k=v` in order (dotted keys nest; later wins). */
  readonly vars: readonly string[];
  readonly varFiles: readonly string[];
  readonly envFiles: readonly string[];
  /** `--secret NAME=value` (`validate` also takes a bare `NAME`). */
  readonly secrets: readonly string[];
}

/** What the templates of a run read, besides its suite files and what its steps save. */
export interface Values {
  /** `--var-file` then `--var`, to merge over each file's `vars`. */
  readonly vars: Readonly<Record<string, Json>>;
  /** The environment: `--env-file` entries, then the process environment over them (it wins, as with dotenv). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly secrets: Readonly<Record<string, string>>;
  /** Each problem with a flag or a file it names (`--var-file vars.yaml:2:1: ...`); the values are then incomplete. */
  readonly problems: readonly string[];
}

/**
 * Reads the `--var-file`s, `--var`s, `--env-file`s and `--secret`s of a command line: files
 * relative to `cwd`, each a regular file (a FIFO would block) of at most a suite file's size.
 * Every problem is reported, not just the first.
 *
 * readValues({ vars: ['n=2'], varFiles: [], envFiles: ['.env'], secrets: ['T=x'] }, { cwd, env: process.env })
 * // { vars: { n: 2 }, env: { ...dotenv, ...process.env }, secrets: { T: 'x' }, problems: [] }
 */
export function readValues(
  args: ValueArgs,
  io: { readonly cwd: string; readonly env: Readonly<Record<string, string | undefined>> },
): Values {
  const problems: string[] = [];
  let vars: Record<string, Json> = {};
  for (const file of args.varFiles) {
    const text = readText('--var-file', file, io.cwd);
    if (E.isLeft(text)) problems.push(text.left);
    else {
      const parsed = parseVarFile(text.right, file);
      if (E.isLeft(parsed)) problems.push(parsed.left);
      else vars = mergeVars(vars, parsed.right);
    }
  }
  const assigned = parseVarAssignments(args.vars);
  if (E.isLeft(assigned)) problems.push(assigned.left);
  else vars = mergeVars(vars, assigned.right);

  const fromFiles: Record<string, string> = {};
  for (const file of args.envFiles) {
    const text = readText('--env-file', file, io.cwd);
    if (E.isLeft(text)) problems.push(text.left);
    else {
      const parsed = parseEnvFile(text.right, file);
      if (E.isLeft(parsed)) problems.push(parsed.left);
      else Object.assign(fromFiles, parsed.right);
    }
  }
  // The process environment wins over env files, as with dotenv.
  const env: Record<string, string | undefined> = { ...fromFiles, ...io.env };

  const secrets: Record<string, string> = {};
  for (const s of args.secrets) {
    const at = s.indexOf('=');
    if (at < 0) secrets[s] = '';
    else secrets[s.slice(0, at)] = s.slice(at + 1);
  }
  return { vars, env, secrets, problems };
}

/** Reads a --var-file or --env-file: a regular file (a FIFO would block), at most a suite file's size. */
function readText(flag: string, file: string, cwd: string): E.Either<string, string> {
  const bytes = readRegularFile(resolve(cwd, file), MAX_SUITE_FILE_BYTES);
  if (E.isRight(bytes)) return E.right(bytes.right.toString('utf8'));
  const problem = bytes.left;
  switch (problem._tag) {
    case 'Unreadable':
      return E.left(`${flag} ${file}: ${problem.message === 'no such file' ? 'no such file' : `cannot read (${problem.message})`}`);
    case 'NotRegular':
      return E.left(`${flag} ${file}: it is ${problem.kind}, not a regular file`);
    case 'TooLarge':
      return E.left(`${flag} ${file}: the file is ${problem.size} bytes; it may be at most ${MAX_SUITE_FILE_BYTES} bytes, as a suite file`);
  }
}
