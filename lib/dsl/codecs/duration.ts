import * as t from 'io-ts';
import { describeValue } from '../describe-value.js';
import { withJsonSchema } from './with-json-schema.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const EXAMPLES = '"250ms", "2s", "1.5s", "1m30s"';

/**
 * What {@link parseDuration} accepts, as a regular expression (for the JSON Schema): `0`, or
 * `<number><unit>` parts. It does not see a total too large for a number (400 digits).
 */
export const DURATION_PATTERN = String.raw`^(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$`;

/**
 * A Go-style duration string, decoded to milliseconds (a `number`, possibly fractional).
 *
 * A duration is one or more `<number><unit>` parts, units `ns`, `us` (or `µs`), `ms`, `s`, `m`,
 * `h`, summed; `"0"` alone is also accepted. It is what Rocketship (Go's `time.ParseDuration`)
 * accepts, minus negative values.
 *
 * Duration.decode('250ms')      // Right(250)
 * Duration.decode('1m30s')      // Right(90000)
 * Duration.decode('1.5s')       // Right(1500)
 * Duration.decode('2 seconds')  // Left: "2 seconds" is not a duration: write a number and a unit ...
 * Duration.decode(5)            // Left: 5 is not a duration: add a unit, e.g. "5s" or "5ms"
 * Duration.decode('-1s')        // Left: "-1s" is not a duration: durations cannot be negative ...
 */
export const Duration = withJsonSchema(
  new t.Type<number, string, unknown>(
    `a duration such as ${EXAMPLES}`,
    (u): u is number => typeof u === 'number' && u >= 0,
    (u, c) => {
      if (typeof u === 'number') {
        const hint = Number.isFinite(u) && u >= 0 ? `add a unit, e.g. "${u}s" or "${u}ms"` : `write a number and a unit, e.g. ${EXAMPLES}`;
        return t.failure(u, c, `${describeValue(u)} is not a duration: ${hint}`);
      }
      if (typeof u !== 'string') return t.failure(u, c);
      const ms = parseDuration(u);
      if (ms !== undefined) return t.success(ms);
      if (/^\s*-/.test(u) && parseDuration(u.trim().slice(1)) !== undefined) {
        return t.failure(
          u,
          c,
          `${describeValue(u)} is not a duration: durations cannot be negative; write e.g. ${JSON.stringify(u.trim().slice(1))}`,
        );
      }
      return t.failure(u, c, `${describeValue(u)} is not a duration: write a number and a unit (ns, us, ms, s, m, h), e.g. ${EXAMPLES}`);
    },
    (ms) => `${ms}ms`,
  ),
  { id: 'Duration', schema: () => ({ type: 'string', pattern: DURATION_PATTERN }) },
);
export type Duration = number;

/**
 * Parses a Go-style duration into milliseconds, or `undefined` when the text is not one.
 *
 * parseDuration('1h')      // 3600000
 * parseDuration('100us')   // 0.1
 * parseDuration('2')       // undefined (no unit)
 */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < text.length) {
    part.lastIndex = at;
    const m = part.exec(text);
    if (m === null) return undefined;
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    at = part.lastIndex;
  }
  return Number.isFinite(total) ? total : undefined;
}
