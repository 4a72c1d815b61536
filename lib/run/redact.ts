import { defer, map, type MonoTypeOperatorFunction } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import type { Suite } from '../dsl/index.js';
import { hasTemplate } from '../template/has-template.js';
import { templateReferences } from '../template/template-references.js';
import type { RunEvent } from './run-event.js';

/** What a secret is replaced with. */
export const REDACTED = '***';

/**
 * Secrets shorter than this are not masked. Masking a one- to three-character value (`1`, `on`,
 * `abc`) would mangle every line that happens to contain it, and hide nothing: such a value is
 * guessed in a moment anyway.
 */
export const MIN_SECRET_LENGTH = 4;

/**
 * A cookie's bare value (`dark` in `theme=dark`) is learned as a secret only from this length
 * on: short cookie values are settings (`true`, `light`, `en-GB`), not credentials, and masking
 * `true` would blank every boolean of every body. The whole `name=value` pair is always learned.
 */
export const MIN_COOKIE_VALUE_LENGTH = 8;

/** Headers whose values are credentials: masked in events and learned as secrets (lower case). */
export const SENSITIVE_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-auth-token',
]);

/**
 * Whether an environment variable's name says it holds a secret: it contains `TOKEN`, `SECRET`,
 * `PASSWORD`, `KEY` or `AUTH`, in any case.
 *
 * isSecretName('API_TOKEN')    // true
 * isSecretName('github_auth')  // true
 * isSecretName('BASE_URL')     // false
 */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Options of {@link createRedactor}. */
export interface RedactorConfig {
  /** Values to mask from the start (shorter than {@link MIN_SECRET_LENGTH}: ignored). Default none. */
  readonly secrets?: Iterable<string>;
  /**
   * Learn the values of {@link SENSITIVE_HEADERS} seen in `AttemptMade` events as secrets for
   * the rest of the run, so that a server reflecting a token in a body or a failure message
   * does not leak it. Default `true`.
   */
  readonly learnFromHeaders?: boolean;
}

/** A stateful masker of secrets; see {@link createRedactor}. */
export interface Redactor {
  /**
   * Learns the sensitive headers of the event (an `AttemptMade`), then returns the event with
   * every secret masked and every sensitive header's value set to `***`. Returns the same object
   * when there is nothing to hide; never mutates its argument.
   */
  redactEvent(event: RunEvent): RunEvent;
  /** Masks every secret in any value, deeply (strings, arrays and plain objects); never mutates. */
  redact<A>(value: A): A;
  /** Masks every secret in a text. */
  redactText(text: string): string;
  /** Adds values to mask (shorter than {@link MIN_SECRET_LENGTH}: ignored). */
  addSecrets(values: Iterable<string>): void;
  /** Learns a header's value as a secret (with its credential part) when the header is sensitive. */
  learnHeader(name: string, value: string): void;
  /** How many distinct values are masked now. */
  readonly size: number;
}

/**
 * Creates a redactor: it replaces secrets with `***` in run events and texts, so that nothing
 * that leaves the runner (console, reports, events of `runSuite`, error messages) shows them.
 * `runSuite` applies one to every event it emits (see {@link redactEvents}); programmatic users
 * can make their own for what they print themselves.
 *
 * - Every string of an event is searched for every secret, longest first (so `abc123` is masked
 *   whole even when `abc1` is a secret too), along with their JSON-escaped and URL-encoded forms
 *   (a server echoing a query string or a JSON body). A string cut with `…` (a body excerpt) that
 *   ends with the start of a secret has that start masked as well.
 * - In check `expected`/`actual` values and `saved` values, a number whose digits hold a secret
 *   becomes a masked string, and object keys are masked too. Elsewhere numbers (times, counts,
 *   statuses) and `_tag`s are left alone.
 * - The values of `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, `X-Api-Key`
 *   and `X-Auth-Token` become `***`, in requests and responses, and are learned as secrets for the
 *   rest of the run: the whole value, the credential after a scheme (`Bearer abc123` -> also
 *   `abc123`; for `Basic`, the decoded `user:password` and the password too), and each cookie's
 *   `name=value` (and its value from {@link MIN_COOKIE_VALUE_LENGTH} characters).
 * - Values shorter than {@link MIN_SECRET_LENGTH} are never masked (masking `1` would mangle
 *   every line).
 *
 * It is cheap when there is nothing to hide: with no secrets, an event without sensitive headers
 * is returned as is; otherwise one RegExp (an escaped alternation) is compiled each time the set
 * of secrets grows, and objects are copied only where something changed. The original events
 * are never mutated: plugins and templates keep the real values; only what is emitted is masked.
 *
 * const redactor = createRedactor({ secrets: ['s3cr3t-token'] });
 * redactor.redactText('GET /x?token=s3cr3t-token')  // 'GET /x?token=***'
 * redactor.learnHeader('Authorization', 'Bearer abc123');
 * redactor.redactText('echo: abc123')                // 'echo: ***'
 */
export function createRedactor(config: RedactorConfig = {}): Redactor {
  const learn = config.learnFromHeaders ?? true;
  const secrets = new Set<string>();
  // Every form searched for (raw, JSON-escaped, URL-encoded), longest first; rebuilt lazily.
  let forms: readonly string[] = [];
  let pattern: RegExp | undefined;
  let dirty = false;

  const addSecrets = (values: Iterable<string>): void => {
    for (const value of values) {
      if (value.length < MIN_SECRET_LENGTH || secrets.has(value)) continue;
      secrets.add(value);
      dirty = true;
    }
  };
  const compile = (): RegExp | undefined => {
    if (!dirty) return pattern;
    dirty = false;
    const all = new Set<string>();
    for (const s of secrets) for (const f of formsOf(s)) all.add(f);
    forms = [...all].sort((a, b) => b.length - a.length);
    pattern = forms.length === 0 ? undefined : new RegExp(forms.map(escapeRegExp).join('|'), 'g');
    return pattern;
  };

  const redactText = (text: string): string => {
    const re = compile();
    if (re === undefined) return text;
    const replaced = text.replace(re, REDACTED);
    return replaced.includes(CUT) ? maskCutTails(replaced, forms) : replaced;
  };

  const walk = (value: unknown, payload: boolean): unknown => {
    if (typeof value === 'string') return redactText(value);
    if (typeof value === 'number') {
      if (!payload || pattern === undefined) return value;
      const digits = String(value);
      const masked = redactText(digits);
      return masked === digits ? value : masked;
    }
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i += 1) {
        const item: unknown = value[i];
        const next = walk(item, payload);
        if (next !== item) {
          out ??= value.slice();
          out[i] = next;
        }
      }
      return out ?? value;
    }
    const entries = Object.entries(value);
    let out: Array<[string, unknown]> | undefined;
    for (let i = 0; i < entries.length; i += 1) {
      const [key, item] = entries[i] as [string, unknown];
      let nextKey = key;
      let next: unknown = item;
      if (payload) {
        nextKey = redactText(key);
        next = walk(item, true);
      } else if (key === '_tag') {
        // structure, not data: reporters switch on it
      } else if (key === 'headers' && isHeaderRecord(item)) {
        next = maskHeaders(item);
      } else {
        next = walk(item, PAYLOAD_KEYS.has(key));
      }
      if (out === undefined && (next !== item || nextKey !== key)) out = entries.slice(0, i);
      out?.push([nextKey, next]);
    }
    return out === undefined ? value : Object.fromEntries(out);
  };

  const maskHeaders = (headers: HeaderRecord): HeaderRecord => {
    let out: Record<string, string | readonly string[]> | undefined;
    for (const [name, value] of Object.entries(headers)) {
      // A header received several times is a list (response headers): masked value by value.
      const mask = (one: string): string => (SENSITIVE_HEADERS.has(name.toLowerCase()) ? REDACTED : redactText(one));
      const next = typeof value === 'string' ? mask(value) : value.some((one) => mask(one) !== one) ? value.map(mask) : value;
      if (next !== value) {
        out ??= { ...headers };
        out[name] = next;
      }
    }
    return out ?? headers;
  };

  const learnHeader = (name: string, value: string): void => {
    if (SENSITIVE_HEADERS.has(name.toLowerCase())) addSecrets(headerSecrets(name, value));
  };

  /** Whether the event carries a sensitive header (learning its value when `learn`). */
  const sensitiveHeadersOf = (event: RunEvent): boolean => {
    if (event._tag !== 'AttemptMade') return false;
    let found = false;
    const scan = (headers: HeaderRecord): void => {
      for (const [name, value] of Object.entries(headers)) {
        if (!SENSITIVE_HEADERS.has(name.toLowerCase())) continue;
        found = true;
        if (learn) for (const one of typeof value === 'string' ? [value] : value) addSecrets(headerSecrets(name, one));
      }
    };
    scan(event.attempt.request.headers);
    if (event.attempt.outcome._tag === 'Response') scan(event.attempt.outcome.headers);
    return found;
  };

  addSecrets(config.secrets ?? []);
  return {
    redactEvent: (event) => {
      const sensitive = sensitiveHeadersOf(event);
      if (!sensitive && compile() === undefined) return event;
      compile();
      return walk(event, false) as RunEvent;
    },
    redact: <A>(value: A): A => {
      compile();
      return walk(value, true) as A;
    },
    redactText,
    addSecrets,
    learnHeader,
    get size() {
      return secrets.size;
    },
  };
}

/**
 * Masks secrets in every event of a run, with a fresh {@link createRedactor} per subscription
 * (what it learns from one run's headers stays in that run).
 *
 * runSuite(...).pipe(redactEvents({ secrets: ['s3cr3t'] }))  // what runSuite does itself
 */
export function redactEvents(config: RedactorConfig = {}): MonoTypeOperatorFunction<RunEvent> {
  return (source) =>
    defer(() => {
      const redactor = createRedactor(config);
      return source.pipe(map((event) => redactor.redactEvent(event)));
    });
}

/** Where {@link suiteSecrets} finds the values it returns. */
export interface SecretSources {
  /** The environment the run reads (`{{ .env.X }}`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `--secret` values (`{{ .secrets.X }}`): all of them are secrets. */
  readonly secrets?: Readonly<Record<string, string>>;
}

/**
 * The values a run of `suite` must mask from its start:
 * - every value of `secrets` (given with `--secret NAME=value`);
 * - the value of each environment variable the suite reads whose name {@link isSecretName}:
 *   read by a template anywhere in the suite (`{{ .env.API_TOKEN }}`), or by an inline shell
 *   script as `$NAME` or `${NAME}` (a script in a `file` is not read ahead of the run);
 * - literal values of sensitive headers written in the suite (`Authorization: Bearer abc123`),
 *   with their credential part.
 * Other environment variables stay visible: the suite does not read them, or their names do not
 * say they are secret.
 *
 * suiteSecrets(suite, { env: { API_TOKEN: 't0ken-1', HOME: '/home/me' }, secrets: { PW: 'pw-123' } })
 * // ['pw-123', 't0ken-1'] when the suite's templates read .env.API_TOKEN and .env.HOME
 */
export function suiteSecrets(suite: Suite, sources: SecretSources): string[] {
  const out = new Set<string>(Object.values(sources.secrets ?? {}));
  const env = sources.env ?? {};
  const readEnv = (name: string): void => {
    if (!isSecretName(name) || !Object.prototype.hasOwnProperty.call(env, name)) return;
    const value = env[name];
    if (value !== undefined) out.add(value);
  };
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      if (!node.includes('{{')) return; // no template, no reference
      const refs = templateReferences(node);
      if (E.isRight(refs)) for (const ref of refs.right) if (ref.scope === 'env') readEnv(ref.path.join('.'));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node as unknown[]) visit(item);
      return;
    }
    const record = node as Readonly<Record<string, unknown>>;
    if (record['language'] === 'shell' && typeof record['script'] === 'string') {
      for (const m of record['script'].matchAll(SHELL_VARIABLE)) readEnv(m[1] ?? m[2] ?? '');
    }
    const headers = record['headers'];
    if (isStringRecord(headers)) {
      for (const [name, value] of Object.entries(headers)) {
        if (SENSITIVE_HEADERS.has(name.toLowerCase()) && !hasTemplate(value)) for (const s of headerSecrets(name, value)) out.add(s);
      }
    }
    for (const [key, item] of Object.entries(record)) {
      visit(key);
      visit(item);
    }
  };
  visit(suite);
  return [...out];
}

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|KEY|AUTH/i;
const SHELL_VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g;
/** Keys whose values are user data (JSON of checks, saved variables): numbers and keys there are masked too. */
const PAYLOAD_KEYS: ReadonlySet<string> = new Set(['expected', 'actual', 'saved']);
/** What the HTTP plugin appends where it cuts a body excerpt. */
const CUT = '…';

/** The values a sensitive header's value reveals. */
function headerSecrets(name: string, value: string): string[] {
  const out = [value];
  const lower = name.toLowerCase();
  const cookiePair = (pair: string): void => {
    const p = pair.trim();
    out.push(p);
    const eq = p.indexOf('=');
    const bare = eq < 0 ? '' : p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (bare.length >= MIN_COOKIE_VALUE_LENGTH) out.push(bare);
  };
  if (lower === 'cookie') {
    for (const pair of value.split(';')) cookiePair(pair);
  } else if (lower === 'set-cookie') {
    // Several Set-Cookie lines arrive joined with ", "; an Expires date's comma is not followed by `name=`.
    for (const cookie of value.split(/,\s*(?=[^;,=\s]+=)/)) cookiePair(cookie.split(';')[0] ?? '');
  } else {
    const m = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+(\S.*)$/.exec(value.trim());
    if (m !== null) {
      const [, scheme, credential] = m as unknown as [string, string, string];
      out.push(credential);
      if (scheme.toLowerCase() === 'basic' && /^[A-Za-z0-9+/]+={0,2}$/.test(credential)) {
        const decoded = Buffer.from(credential, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon >= 0 && !/[\x00-\x1f\ufffd]/.test(decoded)) out.push(decoded, decoded.slice(colon + 1));
      }
    }
  }
  return out;
}

/** A secret as it may appear: itself, inside a JSON string, URL-encoded (path/query, and form). */
function formsOf(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const url = encodeURIComponent(secret);
  return [secret, json, url, url.replace(/%20/g, '+')];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Masks the start of a secret left just before a `…` where a text was cut short. */
function maskCutTails(text: string, forms: readonly string[]): string {
  let out = text;
  let from = 0;
  for (;;) {
    const at = out.indexOf(CUT, from);
    if (at < 0) return out;
    let cut = 0;
    for (const form of forms) {
      for (let k = Math.min(form.length - 1, at); k >= MIN_SECRET_LENGTH && k > cut; k -= 1) {
        if (out.startsWith(form.slice(0, k), at - k)) {
          cut = k;
          break;
        }
      }
    }
    if (cut > 0) {
      out = `${out.slice(0, at - cut)}${REDACTED}${out.slice(at)}`;
      from = at - cut + REDACTED.length + CUT.length;
    } else {
      from = at + CUT.length;
    }
  }
}

function isStringRecord(value: unknown): value is Readonly<Record<string, string>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === 'string');
}

/** Request or response headers of an event: a value per name, or a list for a header received several times. */
type HeaderRecord = Readonly<Record<string, string | readonly string[]>>;

function isHeaderRecord(value: unknown): value is HeaderRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === 'string' || (Array.isArray(v) && v.every((one) => typeof one === 'string')));
}
