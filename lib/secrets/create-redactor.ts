import type { RunEvent } from '../event/run-event.js';
import { headerSecrets, MIN_SECRET_LENGTH, SENSITIVE_HEADERS, urlSecrets } from './credentials.js';
import { maskDeep } from './mask-deep.js';
import { maskText } from './mask-text.js';
import { secretForms } from './secret-forms.js';
import { createSecretSet, type SecretSet } from './secret-set.js';
import { savedSecrets, type SensitiveSaves } from './suite-secrets.js';

/** Options of {@link createRedactor}. */
export interface RedactorConfig {
  /** Values to mask everywhere from the start, never forgotten (shorter than {@link MIN_SECRET_LENGTH}: ignored). Default none. */
  readonly secrets?: Iterable<string> | undefined;
  /**
   * Learn the values of {@link SENSITIVE_HEADERS} seen in `AttemptMade` events (sent and
   * received) as secrets of the test that saw them, so that a server reflecting a token in a body
   * or a failure message does not leak it. Default `true`.
   */
  readonly learnFromHeaders?: boolean | undefined;
  /** Saved variables that hold credentials (see `sensitiveSaves`): their values are learned when saved. Default none. */
  readonly sensitiveSaves?: SensitiveSaves | undefined;
  /**
   * Called with each value learned from how the run USED it: a credential it sent (a sensitive
   * request header, the password of a URL), or a value saved under a credential's name. Such a
   * value may have shown in events emitted before it was used (a login response's body three
   * steps earlier): whoever keeps events (a report written at the end) masks them again with
   * these. Values learned from response headers are not passed (they are masked from the event
   * that brought them). Default: none.
   */
  readonly onSecret?: ((value: string) => void) | undefined;
  /**
   * The most values a test (or the suite's own init and cleanup) keeps learned; beyond it the
   * one seen longest ago is forgotten. Default {@link MAX_LEARNED_PER_SCOPE}.
   */
  readonly maxLearnedPerScope?: number | undefined;
}

/**
 * How many learned values a test keeps: 256. A server that rotates a cookie on every response
 * would otherwise make a long poll hold (and search for) more values with every attempt; the
 * values rotated away 256 responses ago are the ones forgotten.
 */
export const MAX_LEARNED_PER_SCOPE = 256;

/** A masker of secrets, with what it learned per test; see {@link createRedactor}. */
export interface Redactor {
  /** Learns the secrets an event reveals (sensitive headers, URL passwords, credential saves), in the scope of its test. */
  learn(event: RunEvent): void;
  /**
   * Returns the event with every secret known to its scope masked and every sensitive header's
   * value set to `***`; the same object when there is nothing to hide; never mutates. After a
   * `TestEnded`, what that test learned is forgotten.
   */
  mask(event: RunEvent): RunEvent;
  /** `learn` then `mask`. */
  redactEvent(event: RunEvent): RunEvent;
  /** Masks run-wide secrets in any value, deeply (iteratively: any depth), never mutating it. */
  redact<A>(value: A): A;
  /** Masks run-wide secrets in a text. */
  redactText(text: string): string;
  /** Adds values to mask everywhere (shorter than {@link MIN_SECRET_LENGTH}: ignored). */
  addSecrets(values: Iterable<string>): void;
  /** Learns a header's value as a run-wide secret (with its credential part) when the header is sensitive. */
  learnHeader(name: string, value: string): void;
  /** How many distinct values are masked now, in every scope. */
  readonly size: number;
}

/**
 * Creates a redactor: it replaces secrets with `***` in run events and texts, so that nothing
 * that leaves the runner (console, reports, events of `runSuite`, error messages) shows them.
 * `runSuite` applies one to every event it emits (see `redactEvents`); programmatic users
 * can make their own for what they print themselves.
 *
 * - Every string of an event is searched for every secret in each of its forms (see
 *   `secretForms`: JSON-escaped, percent-encoded, XML-escaped, ...) in one pass, whatever the
 *   number of secrets (see `createSecretSet`); overlapping matches are masked as one. A string
 *   cut with `…` (a body excerpt) that ends with the start of a secret has that start masked too.
 * - In check `expected`/`actual` values and `saved` values, a number whose digits hold a secret
 *   becomes a masked string, and object keys are masked too. Elsewhere numbers (times, counts,
 *   statuses) and `_tag`s are left alone. Values are walked iteratively: a body nested 100,000
 *   levels deep is masked like any other.
 * - The values of `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, `X-Api-Key`
 *   and `X-Auth-Token` become `***`, in requests and responses, and are learned: the whole value,
 *   the credential after a scheme (`Bearer abc123` -> also `abc123`; for `Basic`, the decoded
 *   `user:password` and the password too), and each cookie's `name=value` (and its value from
 *   `MIN_COOKIE_VALUE_LENGTH` characters). So is the password of a request URL
 *   (`http://admin:pw@host`, with the `user:password` pair and its base64), and a value saved
 *   under a credential's name (`sensitiveSaves`).
 * - What is learned belongs to the test whose event revealed it (or to the suite, for suite init
 *   and cleanup steps, whose saves every test sees): it masks that test's events, is kept to the
 *   {@link MAX_LEARNED_PER_SCOPE} most recent values, and is forgotten when the test ends. So
 *   neither the cost of masking nor the memory grows with the length of a run.
 * - Values shorter than {@link MIN_SECRET_LENGTH} are never masked (masking `1` would mangle
 *   every line).
 *
 * Cheap when there is nothing to hide: with no secrets, an event without sensitive headers is
 * returned as is, and objects are copied only where something changed. The original events are
 * never mutated: plugins and templates keep the real values; only what is emitted is masked.
 *
 * const redactor = createRedactor({ secrets: ['s3cr3t-token'] });
 * redactor.redactText('GET /x?token=s3cr3t-token')  // 'GET /x?token=***'
 * redactor.learnHeader('Authorization', 'Bearer abc123');
 * redactor.redactText('echo: abc123')                // 'echo: ***'
 */
export function createRedactor(config: RedactorConfig = {}): Redactor {
  const learnHeaders = config.learnFromHeaders ?? true;
  const perScope = config.maxLearnedPerScope ?? MAX_LEARNED_PER_SCOPE;
  const sensitive = config.sensitiveSaves;
  const fixed = createSecretSet();
  const suiteScope = createSecretSet({ maxValues: perScope });
  const tests = new Map<string, SecretSet>();

  const addTo = (set: SecretSet, value: string): boolean =>
    value.length >= MIN_SECRET_LENGTH && !fixed.has(value) && set.add(value, secretForms);
  const addSecrets = (values: Iterable<string>): void => {
    for (const value of values) if (value.length >= MIN_SECRET_LENGTH) fixed.add(value, secretForms);
  };
  const scopeOf = (event: RunEvent, create: boolean): SecretSet | undefined => {
    const key = testKey(event);
    if (key === undefined) return suiteScope;
    let set = tests.get(key);
    if (set === undefined && create) {
      set = createSecretSet({ maxValues: perScope });
      tests.set(key, set);
    }
    return set;
  };
  const setsOf = (event: RunEvent): SecretSet[] => {
    const sets = [fixed, suiteScope];
    const own = testKey(event) === undefined ? undefined : scopeOf(event, false);
    if (own !== undefined) sets.push(own);
    return sets.filter((s) => s.size > 0);
  };

  const learn = (event: RunEvent): void => {
    if (event._tag === 'AttemptMade') {
      const { request, outcome } = event.attempt;
      const used = [...urlSecrets(request.url)];
      if (learnHeaders) {
        for (const [name, value] of Object.entries(request.headers))
          if (SENSITIVE_HEADERS.has(name.toLowerCase())) used.push(...headerSecrets(name, value));
      }
      if (used.length > 0) {
        const scope = scopeOf(event, true) as SecretSet;
        for (const value of used) if (addTo(scope, value)) config.onSecret?.(value);
      }
      if (learnHeaders && outcome._tag === 'Response') {
        let scope: SecretSet | undefined;
        for (const [name, value] of Object.entries(outcome.headers)) {
          if (!SENSITIVE_HEADERS.has(name.toLowerCase())) continue;
          scope ??= scopeOf(event, true) as SecretSet;
          for (const one of headerValues(value)) for (const s of headerSecrets(name, one)) addTo(scope, s);
        }
      }
    } else if (event._tag === 'StepEnded' && event.result._tag === 'Passed' && sensitive !== undefined) {
      const values = savedSecrets(event.result.saved, sensitive);
      if (values.length > 0) {
        const scope = scopeOf(event, true) as SecretSet;
        for (const value of values) if (addTo(scope, value)) config.onSecret?.(value);
      }
    }
  };

  const mask = (event: RunEvent): RunEvent => {
    const sets = setsOf(event);
    const masked =
      sets.length === 0 && !hasSensitiveHeaders(event) ? event : (maskDeep(event, (text) => maskText(text, sets), false) as RunEvent);
    if (event._tag === 'TestEnded') {
      const key = testKey(event);
      if (key !== undefined) tests.delete(key);
    }
    return masked;
  };

  addSecrets(config.secrets ?? []);
  const runWide = (): SecretSet[] => [fixed, suiteScope].filter((s) => s.size > 0);
  return {
    learn,
    mask,
    redactEvent: (event) => {
      learn(event);
      return mask(event);
    },
    redact: <A>(value: A): A => {
      const sets = runWide();
      return sets.length === 0 ? value : (maskDeep(value, (text) => maskText(text, sets), true) as A);
    },
    redactText: (text) => {
      const sets = runWide();
      return sets.length === 0 ? text : maskText(text, sets);
    },
    addSecrets,
    learnHeader: (name, value) => {
      if (SENSITIVE_HEADERS.has(name.toLowerCase())) addSecrets(headerSecrets(name, value));
    },
    get size() {
      let n = fixed.size + suiteScope.size;
      for (const set of tests.values()) n += set.size;
      return n;
    },
  };
}

/** The scope of an event: its test (by file and position: names may repeat), or `undefined` for the suite's own. */
function testKey({ ref }: RunEvent): string | undefined {
  return ref.testIndex === undefined ? undefined : `${ref.file}\0${ref.testIndex}`;
}

function hasSensitiveHeaders(event: RunEvent): boolean {
  if (event._tag !== 'AttemptMade') return false;
  const sensitive = (headers: Readonly<Record<string, unknown>>): boolean =>
    Object.keys(headers).some((name) => SENSITIVE_HEADERS.has(name.toLowerCase()));
  const { request, outcome } = event.attempt;
  return sensitive(request.headers) || (outcome._tag === 'Response' && sensitive(outcome.headers));
}

/** A header's value as a list: one value, or the values of a header received several times. */
function headerValues(value: unknown): readonly string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
