import { REDACTED, SENSITIVE_HEADERS } from './credentials.js';

type Container = readonly unknown[] | Readonly<Record<string, unknown>>;

/** One container being copied-on-write by {@link maskDeep}. */
interface Frame {
  readonly src: Container;
  /** Own keys of an object; `undefined` for an array. */
  readonly keys: readonly string[] | undefined;
  /** User data (see {@link PAYLOAD_KEYS}): numbers and keys are masked too. */
  readonly payload: boolean;
  /** The key this container had in its parent, and the (masked) key its result goes under. */
  readonly key: string | undefined;
  readonly outKey: string | undefined;
  /** The next entry to visit. */
  i: number;
  /** The copy, made at the first change: an array, or an object's entries. */
  out: unknown[] | Array<[string, unknown]> | undefined;
}

/**
 * Returns `value` with `maskText` applied to its strings, copying only what changed; never
 * mutates. Under the keys `expected`, `actual` and `saved` (user data: check values, saved
 * variables), and everywhere when `payloadRoot`, object keys and numbers are masked too (a number
 * whose digits hold a secret becomes a masked string). Elsewhere `_tag`s and numbers (times,
 * counts, statuses) are left alone, and a `headers` map has the values of sensitive headers
 * (`SENSITIVE_HEADERS`) replaced by `***`. Iterative, so server data of any depth is walked
 * without growing the stack. A container met again on its own path (a cycle, which JSON cannot
 * have) is kept as is.
 *
 * maskDeep({ _tag: 'X', n: 1234, saved: { k: 1234 } }, (t) => t.replace('1234', '***'), false)
 * // { _tag: 'X', n: 1234, saved: { k: '***' } }
 */
export function maskDeep(value: unknown, maskText: (text: string) => string, payloadRoot: boolean): unknown {
  const leaf = (v: unknown, payload: boolean): unknown => {
    if (typeof v === 'string') return maskText(v);
    if (typeof v === 'number' && payload) {
      const digits = String(v);
      const masked = maskText(digits);
      return masked === digits ? v : masked;
    }
    return v;
  };
  if (!isContainer(value)) return leaf(value, payloadRoot);
  const onPath = new Set<Container>();
  const open = (src: Container, payload: boolean, key: string | undefined, outKey: string | undefined): Frame => {
    onPath.add(src);
    return { src, keys: Array.isArray(src) ? undefined : Object.keys(src), payload, key, outKey, i: 0, out: undefined };
  };
  // Stores the result of entry `idx` of `f` (the original was `original` under `key`).
  const put = (f: Frame, idx: number, key: string | undefined, outKey: string | undefined, original: unknown, next: unknown): void => {
    const changed = next !== original || outKey !== key;
    if (f.keys === undefined) {
      if (changed && f.out === undefined) f.out = (f.src as readonly unknown[]).slice();
      if (f.out !== undefined) (f.out as unknown[])[idx] = next;
      return;
    }
    if (changed && f.out === undefined) {
      const src = f.src as Readonly<Record<string, unknown>>;
      f.out = f.keys.slice(0, idx).map((k): [string, unknown] => [k, src[k]]);
    }
    if (f.out !== undefined) (f.out as Array<[string, unknown]>).push([outKey as string, next]);
  };
  const close = (f: Frame): unknown => {
    onPath.delete(f.src);
    if (f.out === undefined) return f.src;
    return f.keys === undefined ? f.out : Object.fromEntries(f.out as Array<[string, unknown]>);
  };

  const stack: Frame[] = [open(value, payloadRoot, undefined, undefined)];
  for (;;) {
    const f = stack[stack.length - 1] as Frame;
    const length = f.keys === undefined ? (f.src as readonly unknown[]).length : f.keys.length;
    if (f.i < length) {
      const idx = f.i;
      f.i += 1;
      const key = f.keys?.[idx];
      const child = key === undefined ? (f.src as readonly unknown[])[idx] : (f.src as Readonly<Record<string, unknown>>)[key];
      if (key !== undefined && !f.payload && key === '_tag') {
        put(f, idx, key, key, child, child); // structure, not data: reporters switch on it
        continue;
      }
      if (key === 'headers' && !f.payload && isHeaderRecord(child)) {
        put(f, idx, key, key, child, maskHeaders(child, maskText));
        continue;
      }
      const payload = f.payload || (key !== undefined && PAYLOAD_KEYS.has(key));
      const outKey = key !== undefined && f.payload ? maskText(key) : key;
      if (isContainer(child) && !onPath.has(child)) {
        stack.push(open(child, payload, key, outKey));
        continue;
      }
      put(f, idx, key, outKey, child, leaf(child, payload));
      continue;
    }
    stack.pop();
    const result = close(f);
    const parent = stack[stack.length - 1];
    if (parent === undefined) return result;
    put(parent, parent.i - 1, f.key, f.outKey, f.src, result);
  }
}

function isContainer(value: unknown): value is Container {
  return value !== null && typeof value === 'object';
}

/** A header map: each value a string, or a list of strings (a header received several times). */
function isHeaderRecord(value: unknown): value is Readonly<Record<string, string | readonly string[]>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')));
}

function maskHeaders(
  headers: Readonly<Record<string, string | readonly string[]>>,
  maskText: (text: string) => string,
): Readonly<Record<string, string | readonly string[]>> {
  let out: Record<string, string | readonly string[]> | undefined;
  for (const [name, value] of Object.entries(headers)) {
    const sensitive = SENSITIVE_HEADERS.has(name.toLowerCase());
    const one = (v: string): string => (sensitive ? REDACTED : maskText(v));
    const next = typeof value === 'string' ? one(value) : value.map(one);
    const changed = typeof value === 'string' ? next !== value : (next as string[]).some((v, i) => v !== value[i]);
    if (changed) {
      out ??= { ...headers };
      out[name] = next;
    }
  }
  return out ?? headers;
}

/** Keys whose values are user data (JSON of checks, saved variables): numbers and keys there are masked too. */
const PAYLOAD_KEYS: ReadonlySet<string> = new Set(['expected', 'actual', 'saved']);
