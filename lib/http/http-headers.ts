import type { HttpHeaders } from './http-client.js';

/**
 * Builds {@link HttpHeaders} from Node's `rawHeaders` (a flat `[name, value, name, value, ...]`
 * list, every header line kept, names as sent).
 *
 * Header bytes reach Node as Latin-1 text; a value whose bytes are valid UTF-8 is read as UTF-8
 * (as Go, and so Rocketship, would see it: `café` stays `café`), any other value is kept as is.
 *
 * const h = headersFromRaw(['Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'X-Id', '7']);
 * h.get('SET-COOKIE')     // 'a=1'
 * h.getAll('set-cookie')  // ['a=1', 'b=2']
 * h.entries()             // [['Set-Cookie', 'a=1'], ['set-cookie', 'b=2'], ['X-Id', '7']]
 */
export function headersFromRaw(rawHeaders: readonly string[]): HttpHeaders {
  const lines: Array<readonly [string, string]> = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    lines.push(Object.freeze([rawHeaders[i] as string, fromLatin1Bytes(rawHeaders[i + 1] as string)] as const));
  }
  return headersOf(lines);
}

/**
 * Builds {@link HttpHeaders} from `[name, value]` lines, kept in order.
 *
 * headersFromEntries([['Retry-After', '3']]).get('retry-after')  // '3'
 */
export function headersFromEntries(lines: ReadonlyArray<readonly [string, string]>): HttpHeaders {
  return headersOf(lines.map((line) => Object.freeze([line[0], line[1]] as const)));
}

/**
 * The headers of `lines`, each already a frozen pair of its own. Index loops, not destructuring:
 * this runs on every response, mostly before V8 has optimized it, where `const [a, b] = pair`
 * goes through the iterator protocol.
 */
function headersOf(lines: Array<readonly [string, string]>): HttpHeaders {
  const frozen: ReadonlyArray<readonly [string, string]> = Object.freeze(lines);
  const byName = new Map<string, string[]>();
  for (let i = 0; i < frozen.length; i++) {
    const line = frozen[i] as readonly [string, string];
    const key = line[0].toLowerCase();
    const values = byName.get(key);
    if (values) values.push(line[1]);
    else byName.set(key, [line[1]]);
  }
  return {
    get: (name) => byName.get(name.toLowerCase())?.[0],
    getAll: (name) => [...(byName.get(name.toLowerCase()) ?? [])],
    entries: () => frozen,
  };
}

/**
 * Response headers as a plain record, for events and reports: one key per header (the spelling
 * of its first line), in the order first received. A header received once is its value; one
 * received several times is the list of its values in order; `Set-Cookie` is always a list (each
 * line is a cookie of its own, and a value may itself contain a comma). Nothing is joined.
 *
 * headerRecord(headersFromRaw(['Content-Type', 'application/json', 'X-Multi', 'a', 'x-multi', 'b', 'Set-Cookie', 'sid=1']))
 * // { 'Content-Type': 'application/json', 'X-Multi': ['a', 'b'], 'Set-Cookie': ['sid=1'] }
 */
export function headerRecord(headers: HttpHeaders): Readonly<Record<string, string | readonly string[]>> {
  const lines = headers.entries();
  // [name as first spelled, its value or values], in the order first received; `at` finds a
  // header's entry by its lower-cased name.
  const entries: Array<[string, string | string[]]> = [];
  const at = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as readonly [string, string];
    const key = line[0].toLowerCase();
    const known = at.get(key);
    if (known === undefined) {
      at.set(key, entries.length);
      entries.push([line[0], key === 'set-cookie' ? [line[1]] : line[1]]);
    } else {
      const entry = entries[known] as [string, string | string[]];
      if (Array.isArray(entry[1])) entry[1].push(line[1]);
      else entry[1] = [entry[1], line[1]];
    }
  }
  // Object.fromEntries defines own properties: a header named `__proto__` stays a header.
  return Object.fromEntries(entries);
}

/** Reads a Latin-1 string's bytes as UTF-8 when they are valid UTF-8. */
function fromLatin1Bytes(value: string): string {
  // Pure ASCII is the same in both encodings: skip the round trip.
  if (!/[^\x00-\x7f]/.test(value)) return value;
  try {
    return strictUtf8.decode(Buffer.from(value, 'latin1'));
  } catch {
    return value;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
