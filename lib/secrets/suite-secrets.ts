import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import { parseDsn, type Suite } from '../dsl/index.js';
import { renderString } from '../template/render-string.js';
import { hasTemplate } from '../template/has-template.js';
import { templateReferences } from '../template/template-references.js';
import type { TemplateReference } from '../template/parse-template.js';
import { headerSecrets, isSecretName, isSensitiveField, MIN_SECRET_LENGTH, SENSITIVE_HEADERS } from './credentials.js';

/** Where {@link suiteSecrets} finds the values it returns. */
export interface SecretSources {
  /** The environment the run reads (`{{ .env.X }}`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `--secret` values (`{{ .secrets.X }}`): all of them are secrets. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** The file's vars after `--var-file` and `--var` (`{{ .vars.X }}`). */
  readonly vars?: Readonly<Record<string, Json>>;
}

/**
 * The values a run of `suite` must mask from its start:
 * - every value of `secrets` (given with `--secret NAME=value`);
 * - the value of each environment variable the suite reads whose name {@link isSecretName}:
 *   read by a template anywhere in the suite (`{{ .env.API_TOKEN }}`), or by an inline shell
 *   script as `$NAME` or `${NAME}`;
 * - when the suite has a shell `script` step (inline or `file`), every secret-named variable of
 *   the environment, since the script receives them all (`printenv API_TOKEN`);
 * - any environment variable or file var, whatever its name, used in a credential position (see
 *   {@link credentialReferences}: `Authorization: Bearer {{ .env.GH }}`,
 *   `http://admin:{{ .env.PW }}@host`, `?access_token={{ .vars.t }}`);
 * - literal values of sensitive headers written in the suite (`Authorization: Bearer abc123`),
 *   with their credential part;
 * - the password of every `sql` step's DSN that can be read before the run: a literal one, or one
 *   made of vars and environment variables (`dsn: "{{ .env.DATABASE_URL }}"`). A DSN that needs a
 *   saved variable is learned when the step runs (its attempt's URL).
 * Other environment variables stay visible: the suite does not read them, or their names do not
 * say they are secret.
 *
 * suiteSecrets(suite, { env: { API_TOKEN: 't0ken-1', HOME: '/home/me' }, secrets: { PW: 'pw-123' } })
 * // ['pw-123', 't0ken-1'] when the suite's templates read .env.API_TOKEN and .env.HOME
 */
export function suiteSecrets(suite: Suite, sources: SecretSources): string[] {
  const out = new Set<string>(Object.values(sources.secrets ?? {}));
  const env = sources.env ?? {};
  const readEnv = (name: string, always: boolean): void => {
    if (!(always || isSecretName(name)) || !Object.prototype.hasOwnProperty.call(env, name)) return;
    const value = env[name];
    if (value !== undefined) out.add(value);
  };
  const facts = readSuite(suite);
  for (const found of facts.found) {
    switch (found._tag) {
      case 'EnvRead':
        readEnv(found.name, false);
        break;
      case 'Sql':
        for (const password of dsnPasswords(found.config, env, sources)) out.add(password);
        break;
      case 'HeaderSecret':
        out.add(found.value);
        break;
    }
  }
  if (facts.shell) for (const name of Object.keys(env)) readEnv(name, false);
  for (const ref of facts.credentials) {
    if (ref.scope === 'env') readEnv(ref.path.join('.'), true);
    else if (ref.scope === 'vars' || ref.scope === 'auto') for (const leaf of leavesAt(sources.vars ?? {}, ref.path)) out.add(leaf);
  }
  return [...out].filter((s) => s.length >= MIN_SECRET_LENGTH);
}

/**
 * Saved variables that hold credentials, found by reading the suite before it runs: a value
 * saved under one of these names is a secret from the moment it is saved, masked in the step
 * that saved it (its response's body excerpt included) and in everything after.
 */
export interface SensitiveSaves {
  /** Names (as written after `as:` or in `{{ name }}`, dotted paths included) that hold a credential. */
  readonly names: ReadonlySet<string>;
}

/**
 * Which saved variables are credentials, read off the suite (see {@link SensitiveSaves}):
 * - a variable used in a credential position (see {@link credentialReferences}), e.g. `token`
 *   in `Authorization: Bearer {{ token }}`, or `login.pw` in `http://u:{{ login.pw }}@host`;
 * - a variable saved from a sensitive header (`save: [{ header: Set-Cookie, as: c }]`);
 * - a variable whose name, or the last key of whose `json_path`, is named like a credential
 *   ({@link isSensitiveField}: `as: access_token`, `json_path: .data.session`).
 * Values a `script` saves count by the same names.
 *
 * sensitiveSaves(loginSuite).names   // Set { 'token' } when a step sends `Bearer {{ token }}`
 */
export function sensitiveSaves(suite: Suite): SensitiveSaves {
  const names = new Set<string>();
  const facts = readSuite(suite);
  for (const ref of facts.credentials) if (ref.scope === 'auto') names.add(ref.path.join('.'));
  for (const save of facts.saves) {
    if (save === null || typeof save !== 'object') continue;
    const { as, header, json_path: path } = save as { as?: unknown; header?: unknown; json_path?: unknown };
    if (typeof as !== 'string') continue;
    const lastKey = typeof path === 'string' ? (/([A-Za-z0-9_-]+)["'\]]*\s*$/.exec(path.split('|')[0] ?? '')?.[1] ?? '') : '';
    const fromHeader = typeof header === 'string' && (SENSITIVE_HEADERS.has(header.toLowerCase()) || isSensitiveField(header));
    if (fromHeader || isSensitiveField(as) || (lastKey !== '' && isSensitiveField(lastKey))) names.add(as);
  }
  return { names };
}

/**
 * The secrets among values a step saved: the strings and numbers (at any depth, up to
 * {@link MAX_LEAVES} of them) of every saved variable that {@link SensitiveSaves} names, and of
 * the part a dotted name points into (`login.token` when `login` was saved).
 *
 * savedSecrets({ token: 'abc123', id: 7 }, { names: new Set(['token']) })   // ['abc123']
 */
export function savedSecrets(saved: Readonly<Record<string, Json>>, sensitive: SensitiveSaves): string[] {
  if (sensitive.names.size === 0) return [];
  const out: string[] = [];
  for (const [name, value] of Object.entries(saved)) {
    if (sensitive.names.has(name)) out.push(...leaves(value));
    for (const path of sensitive.names) {
      if (path.length > name.length && path.startsWith(`${name}.`)) out.push(...leavesAt({ [name]: value }, path.split('.')));
    }
  }
  return out.filter((s) => s.length >= MIN_SECRET_LENGTH);
}

/** The most strings and numbers taken from one saved value. */
export const MAX_LEAVES = 1000;

/**
 * Template references in credential positions of the suite's HTTP steps:
 * - the value of a sensitive header (`Authorization`, `Cookie`, `X-Api-Key`, ...), or of a header
 *   named like a credential (`X-Session-Token`);
 * - the user info of a URL (`http://user:{{ pw }}@host`);
 * - a query parameter, a JSON body key (at any depth) or a form field named like a credential
 *   (`?access_token=...`, `{"password": ...}`), see {@link isSensitiveField}.
 */
export function credentialReferences(suite: Suite): TemplateReference[] {
  return [...readSuite(suite).credentials];
}

/** What the suite's text says about secrets, whatever the run's environment, vars and `--secret`s. */
interface SuiteFacts {
  /** In the order the suite holds them: what {@link suiteSecrets} turns into secrets given the sources. */
  readonly found: readonly Found[];
  /** The suite has a shell `script` step: it receives the whole environment. */
  readonly shell: boolean;
  /** See {@link credentialReferences}. */
  readonly credentials: readonly TemplateReference[];
  /** Every `save` entry of every step, in order. */
  readonly saves: readonly unknown[];
}

type Found =
  /** An environment variable read by a template, or by an inline shell script as `$NAME`. */
  | { readonly _tag: 'EnvRead'; readonly name: string }
  /** A `sql` step's config: its DSN's password, once rendered with the sources. */
  | { readonly _tag: 'Sql'; readonly config: unknown }
  /** A literal credential in a sensitive header written in the suite. */
  | { readonly _tag: 'HeaderSecret'; readonly value: string };

/**
 * A run reads the suite's facts several times (the CLI, `runSuite`, `sensitiveSaves`): they are
 * read in one walk per suite object. Decoded suites are never changed.
 */
const factsOf = new WeakMap<Suite, SuiteFacts>();

function readSuite(suite: Suite): SuiteFacts {
  const known = factsOf.get(suite);
  if (known !== undefined) return known;
  const found: Found[] = [];
  const credentials: TemplateReference[] = [];
  const saves: unknown[] = [];
  let shell = false;
  const addCredential = (value: unknown): void => {
    for (const ref of referencesOf(value)) credentials.push(ref);
  };
  walkSuite(suite, (node) => {
    if (typeof node === 'string') {
      if (!node.includes('{{')) return; // no template, no reference
      for (const ref of referencesOf(node)) if (ref.scope === 'env') found.push({ _tag: 'EnvRead', name: ref.path.join('.') });
      return;
    }
    if (node['language'] === 'shell') {
      shell = true;
      const script = node['script'];
      if (typeof script === 'string')
        for (const m of script.matchAll(SHELL_VARIABLE)) found.push({ _tag: 'EnvRead', name: m[1] ?? m[2] ?? '' });
    }
    if (node['plugin'] === 'sql') found.push({ _tag: 'Sql', config: node['config'] });
    if (node['plugin'] === 'http') httpCredentials(node['config'], addCredential);
    const headers = node['headers'];
    if (isStringRecord(headers)) {
      for (const [name, value] of Object.entries(headers)) {
        if (SENSITIVE_HEADERS.has(name.toLowerCase()) && !hasTemplate(value))
          for (const secret of headerSecrets(name, value)) found.push({ _tag: 'HeaderSecret', value: secret });
      }
    }
    if (Array.isArray(node['save'])) saves.push(...(node['save'] as unknown[]));
  });
  const facts: SuiteFacts = { found, shell, credentials, saves };
  factsOf.set(suite, facts);
  return facts;
}

/** The template references in credential positions of one `http` step's config (see {@link credentialReferences}). */
function httpCredentials(config: unknown, add: (value: unknown) => void): void {
  if (config === null || typeof config !== 'object') return;
  const { url, headers, body, form } = config as Record<string, unknown>;
  if (isStringRecord(headers)) {
    for (const [name, value] of Object.entries(headers))
      if (SENSITIVE_HEADERS.has(name.toLowerCase()) || isSensitiveField(name)) add(value);
  }
  if (typeof url === 'string') {
    const userInfo = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)@/.exec(url)?.[1];
    if (userInfo !== undefined) add(userInfo);
    const query = url.indexOf('?');
    if (query >= 0) sensitiveFields(new URLSearchParams(url.slice(query + 1).split('#')[0]), add);
  }
  if (typeof body === 'string') {
    const parsed = parseJsonSafely(body);
    if (parsed !== undefined) sensitiveKeys(parsed, add);
    else if (/^[^=&\s]+=[^&]*(&[^=&\s]+=[^&]*)*$/.test(body.trim())) sensitiveFields(new URLSearchParams(body.trim()), add);
  } else if (body !== undefined) {
    sensitiveKeys(body, add);
  }
  if (form !== null && typeof form === 'object') {
    for (const [name, value] of Object.entries(form as Record<string, unknown>)) if (isSensitiveField(name)) add(value);
  }
}

/** The password of a `sql` step's DSN, when it can be rendered from vars and the environment alone. */
function dsnPasswords(config: unknown, env: Readonly<Record<string, string | undefined>>, sources: SecretSources): string[] {
  if (config === null || typeof config !== 'object') return [];
  const { driver, dsn } = config as { driver?: unknown; dsn?: unknown };
  if (typeof dsn !== 'string' || (driver !== 'postgres' && driver !== 'mysql' && driver !== 'sqlite')) return [];
  const rendered = renderString(dsn, { saved: {}, vars: sources.vars ?? {}, env, secrets: sources.secrets ?? {} });
  if (E.isLeft(rendered)) return [];
  const parsed = parseDsn(driver, rendered.right);
  if (E.isLeft(parsed) || parsed.right.driver === 'sqlite' || parsed.right.password === '') return [];
  return [parsed.right.password];
}

const SHELL_VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Visits every string and every map of the suite, iteratively (a suite is at most 100 levels deep, but still). */
function walkSuite(suite: Suite, visit: (node: string | Readonly<Record<string, unknown>>) => void): void {
  const stack: unknown[] = [suite];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') {
      visit(node);
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i -= 1) stack.push(node[i]);
    } else if (node !== null && typeof node === 'object') {
      const record = node as Readonly<Record<string, unknown>>;
      visit(record);
      const entries = Object.entries(record);
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [key, item] = entries[i] as [string, unknown];
        stack.push(item, key);
      }
    }
  }
}

function referencesOf(value: unknown): readonly TemplateReference[] {
  if (typeof value === 'string' && !value.includes('{{')) return [];
  const refs = templateReferences(value as Json);
  return E.isRight(refs) ? refs.right : [];
}

function sensitiveFields(params: URLSearchParams, add: (value: unknown) => void): void {
  for (const [name, value] of params) if (isSensitiveField(name)) add(value);
}

/** Adds the templates under every key named like a credential, at any depth, iteratively. */
function sensitiveKeys(value: unknown, add: (value: unknown) => void): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const item of node as unknown[]) stack.push(item);
      continue;
    }
    for (const [key, item] of Object.entries(node as Record<string, unknown>)) {
      if (isSensitiveField(key)) add(item);
      else stack.push(item);
    }
  }
}

function parseJsonSafely(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // not JSON: the caller tries the form encoding
  }
}

/** Strings and numbers under `path` in `root` (`['login', 'token']`). */
function leavesAt(root: Readonly<Record<string, Json>>, path: readonly string[]): string[] {
  let node: Json | undefined = root as Json;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, key)) return [];
    node = (node as { readonly [k: string]: Json })[key];
  }
  return node === undefined ? [] : leaves(node);
}

/** The strings and finite numbers of a value, at any depth (iteratively), at most {@link MAX_LEAVES}. */
function leaves(value: Json): string[] {
  const out: string[] = [];
  const stack: Json[] = [value];
  while (stack.length > 0 && out.length < MAX_LEAVES) {
    const node = stack.pop() as Json;
    if (typeof node === 'string') out.push(node);
    else if (typeof node === 'number') {
      if (Number.isFinite(node)) out.push(String(node));
    } else if (Array.isArray(node)) {
      for (const item of node as Json[]) stack.push(item);
    } else if (node !== null && typeof node === 'object') {
      for (const item of Object.values(node as { readonly [k: string]: Json })) stack.push(item);
    }
  }
  return out;
}

function isStringRecord(value: unknown): value is Readonly<Record<string, string>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === 'string');
}
