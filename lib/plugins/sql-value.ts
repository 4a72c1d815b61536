import type { Json } from '../json.js';

/** How deep a value from a database (an array of arrays) is turned into JSON before it is cut. */
const MAX_DEPTH = 32;

/**
 * A value read from a database as JSON, the same for every driver:
 * - NULL -> `null`; booleans -> booleans; text -> strings;
 * - integers -> numbers (a 64-bit integer beyond 2^53 - 1 -> its exact digits as a string);
 * - floating point -> numbers (NaN and infinities -> strings);
 * - exact numerics (NUMERIC, DECIMAL) -> strings, exactly as the database prints them (the
 *   drivers give them as text already: `"2599.98"`);
 * - timestamps -> RFC 3339 strings in UTC (`2024-05-01T10:00:00Z`, with the fraction the
 *   database keeps), dates -> `YYYY-MM-DD`;
 * - JSON / JSONB -> the JSON value; arrays -> lists; binary -> base64 text (as Go's JSON does).
 *
 * toJsonValue(12n)                          // 12
 * toJsonValue(9007199254740993n)            // '9007199254740993'
 * toJsonValue(Buffer.from('hi'))            // 'aGk='
 */
export function toJsonValue(value: unknown, depth = 0): Json {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    default:
      break;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) return '[nested too deeply]';
    return value.map((v) => toJsonValue(v, depth + 1));
  }
  // Parsed JSON (a json/jsonb column): already JSON, and never walked here (it may nest deeply).
  if (typeof value === 'object') return value as Json;
  return String(value);
}

/**
 * A timestamp as the database prints it (`2024-05-01 10:00:00.123456`, with an offset `+00`,
 * `+05:30` or none) in RFC 3339: `2024-05-01T10:00:00.123456Z`. A timestamp without an offset is
 * taken as UTC (the sessions run in UTC). Text that is not a timestamp (`infinity`) is returned as is.
 */
export function rfc3339(text: string): string {
  const m = /^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?( BC)?$/.exec(text);
  if (m === null) return text;
  const [, date, time, sign, hh, mm] = m;
  if (m[7] !== undefined) return text;
  const offset = sign === undefined || (hh === '00' && (mm ?? '00') === '00') ? 'Z' : `${sign}${hh}:${mm ?? '00'}`;
  return `${date}T${time}${offset}`;
}
