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
    lines.push([rawHeaders[i] as string, fromLatin1Bytes(rawHeaders[i + 1] as string)]);
  }
  return headersFromEntries(lines);
}

/**
 * Builds {@link HttpHeaders} from `[name, value]` lines, kept in order.
 *
 * headersFromEntries([['Retry-After', '3']]).get('retry-after')  // '3'
 */
export function headersFromEntries(lines: ReadonlyArray<readonly [string, string]>): HttpHeaders {
  const frozen: ReadonlyArray<readonly [string, string]> = Object.freeze(
    lines.map(([name, value]) => Object.freeze([name, value] as const)),
  );
  const byName = new Map<string, string[]>();
  for (const [name, value] of frozen) {
    const key = name.toLowerCase();
    const values = byName.get(key);
    if (values) values.push(value);
    else byName.set(key, [value]);
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
  const byName = new Map<string, { readonly name: string; readonly values: string[] }>();
  for (const [name, value] of headers.entries()) {
    const key = name.toLowerCase();
    const known = byName.get(key);
    if (known === undefined) byName.set(key, { name, values: [value] });
    else known.values.push(value);
  }
  // Object.fromEntries defines own properties: a header named `__proto__` stays a header.
  return Object.fromEntries(
    [...byName].map(([key, { name, values }]) => [name, values.length === 1 && key !== 'set-cookie' ? (values[0] as string) : values]),
  );
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
