import { MIN_SECRET_LENGTH, REDACTED } from './credentials.js';
import type { SecretSet } from './secret-set.js';

/**
 * Masks every secret of `sets` in a text: each occurrence of any of their patterns becomes
 * `***` (overlapping matches become one), and where the text was cut short with `…` (a body
 * excerpt), the start of a secret just before the cut is masked too.
 *
 * maskText('token=s3cr3t-token&x=1', [set])   // 'token=***&x=1' when `set` holds s3cr3t-token
 */
export function maskText(text: string, sets: readonly SecretSet[]): string {
  if (text.length < MIN_SECRET_LENGTH) return text;
  const spans: number[] = [];
  for (const set of sets) set.collect(text, spans);
  let out = spans.length === 0 ? text : applySpans(text, spans);
  if (out.includes(CUT)) out = maskCutTails(out, sets);
  return out;
}

function applySpans(text: string, spans: number[]): string {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < spans.length; i += 2) pairs.push([spans[i] as number, spans[i + 1] as number]);
  pairs.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let at = 0;
  let i = 0;
  while (i < pairs.length) {
    const [start] = pairs[i] as [number, number];
    let end = (pairs[i] as [number, number])[1];
    i += 1;
    while (i < pairs.length && (pairs[i] as [number, number])[0] < end) {
      end = Math.max(end, (pairs[i] as [number, number])[1]);
      i += 1;
    }
    out += text.slice(at, start) + REDACTED;
    at = end;
  }
  return out + text.slice(at);
}

/** Masks the start of a secret left just before a `…` where a text was cut short. */
function maskCutTails(text: string, sets: readonly SecretSet[]): string {
  let out = text;
  let from = 0;
  for (;;) {
    const at = out.indexOf(CUT, from);
    if (at < 0) return out;
    let start = -1;
    for (const set of sets) {
      const p = set.cutStart(out, at);
      if (p >= 0 && (start < 0 || p < start)) start = p;
    }
    if (start >= 0) {
      out = `${out.slice(0, start)}${REDACTED}${out.slice(at)}`;
      from = start + REDACTED.length + CUT.length;
    } else {
      from = at + CUT.length;
    }
  }
}

/** What the HTTP plugin appends where it cuts a body excerpt. */
const CUT = '…';
