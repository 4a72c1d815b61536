import * as E from 'fp-ts/lib/Either.js';

/** One part of a `multipart/form-data` body. */
export interface MultipartPart {
  /** The `name` of its `Content-Disposition`. */
  readonly name: string;
  /** The `filename` of its `Content-Disposition`, when it is a file. */
  readonly filename: string | undefined;
  /** Its own `Content-Type`, lower-cased, without parameters, when it has one. */
  readonly contentType: string | undefined;
  /** Its content as text, line breaks as sent. */
  readonly content: string;
}

/** The most parts read from one body: a hostile body of a million empty parts is refused, not walked. */
export const MAX_PARTS = 1000;

/**
 * Reads a `multipart/form-data` body (RFC 7578) into its parts, by the `boundary` of its
 * Content-Type. Line breaks may be CRLF, as the RFC says, or LF, as a YAML string holds them.
 * A body without its boundary, without the closing `--boundary--`, or with a part that has no
 * `Content-Disposition: form-data; name="..."` is `left` with the reason.
 *
 * readMultipart('--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nHi\r\n--x--\r\n', 'multipart/form-data; boundary=x')
 * // right([{ name: 'title', filename: undefined, contentType: undefined, content: 'Hi' }])
 * readMultipart('title=Hi', 'multipart/form-data; boundary=x')
 * // left('no --x line opens it')
 */
export function readMultipart(body: string, contentType: string): E.Either<string, MultipartPart[]> {
  const boundary = parameter(contentType, 'boundary');
  if (boundary === undefined || boundary === '') return E.left('its Content-Type has no boundary parameter');
  const delimiter = `--${boundary}`;
  const parts: MultipartPart[] = [];
  let at = delimiterAt(body, delimiter, 0);
  if (at < 0) return E.left(`no ${delimiter} line opens it`);
  for (;;) {
    let next = at + delimiter.length;
    if (body.startsWith('--', next)) return E.right(parts);
    next = afterLineBreak(body, next);
    if (next < 0) return E.left(`the ${delimiter} line at offset ${at} is not followed by a line break`);
    const end = delimiterAt(body, delimiter, next);
    if (end < 0) return E.left(`no closing ${delimiter}-- line ends it`);
    if (parts.length >= MAX_PARTS) return E.left(`more than ${MAX_PARTS} parts`);
    // The line break before the delimiter belongs to the delimiter.
    const raw = body.slice(next, body[end - 1] === '\n' ? (body[end - 2] === '\r' ? end - 2 : end - 1) : end);
    const part = readPart(raw, parts.length + 1);
    if (E.isLeft(part)) return part;
    parts.push(part.right);
    at = end;
  }
}

function readPart(raw: string, number: number): E.Either<string, MultipartPart> {
  const blank = /\r?\n\r?\n/.exec(raw);
  // A part with no header block at all starts with its blank line.
  const head = blank === null ? raw : raw.slice(0, blank.index);
  const content = blank === null ? '' : raw.slice(blank.index + blank[0].length);
  let disposition: string | undefined;
  let type: string | undefined;
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
    else if (name === 'content-type') type = value.split(';')[0]?.trim().toLowerCase();
  }
  const name = disposition === undefined ? undefined : parameter(disposition, 'name');
  if (disposition === undefined || !/^form-data\b/i.test(disposition) || name === undefined) {
    return E.left(`part ${number} has no Content-Disposition: form-data; name="..." header`);
  }
  return E.right({ name, filename: parameter(disposition, 'filename'), contentType: type === '' ? undefined : type, content });
}

/** Where the next line `delimiter` starts (at the start of the body or after a line break), from `from`; -1 when none. */
function delimiterAt(body: string, delimiter: string, from: number): number {
  for (let i = body.indexOf(delimiter, from); i >= 0; i = body.indexOf(delimiter, i + 1)) {
    if (i === 0 || body[i - 1] === '\n') return i;
  }
  return -1;
}

/** The index after the line break (and any spaces before it) at `at`, or -1 when the line goes on. */
function afterLineBreak(body: string, at: number): number {
  let i = at;
  while (body[i] === ' ' || body[i] === '\t') i++;
  if (body.startsWith('\r\n', i)) return i + 2;
  if (body[i] === '\n') return i + 1;
  return -1;
}

/** A parameter of a header value (`boundary=x`, `name="title"`), unquoted; `undefined` when absent. */
function parameter(header: string, name: string): string | undefined {
  const re = new RegExp(`;\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i');
  const m = re.exec(header);
  if (m === null) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}
