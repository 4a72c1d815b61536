/**
 * The forms a secret may take in what a run prints: the text itself and each encoding that the
 * runner produces or that servers commonly echo it in. Every form is masked.
 *
 * - the literal;
 * - inside a JSON string: JavaScript's escaping (`"`, `\` and control characters), with slashes
 *   escaped as `\/` (PHP's `json_encode` default), with non-ASCII characters as `\u00e4` (Python's
 *   `json.dumps` default; `\u00E4` too), and both at once (PHP again);
 * - percent-encoded: as `encodeURIComponent` does, as RFC 3986 strict encoders do (which also
 *   encode `!'()*`, e.g. Python's `quote`, Go's `url.QueryEscape`), and as form encoders do (which
 *   also encode `~`, e.g. PHP's `urlencode`), each with `%20` and with `+` for a space;
 * - XML-escaped (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#39;`), as in JUnit and HTML reports.
 *
 * Forms are deduplicated: a token of letters, digits, `-`, `_` and `.` has one form, itself.
 *
 * secretForms('a/b é')   // ['a/b é', 'a\\/b é', 'a/b \\u00e9', 'a\\/b \\u00e9', 'a/b \\u00E9', ..., 'a%2Fb%20%C3%A9', 'a%2Fb+%C3%A9']
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  for (const json of jsonForms(secret)) forms.add(json);
  for (const url of percentForms(secret)) forms.add(url);
  const xml = xmlForms(secret);
  for (const x of xml) forms.add(x);
  return [...forms];
}

/**
 * The values that Basic credentials reveal: the `user:password` pair, the password, and the
 * pair's base64 (what goes on the wire in `Authorization: Basic ...`), for a pair written in a
 * URL (`http://admin:pw@host`, percent-decoded) or decoded from a header.
 *
 * basicPairSecrets('admin', 's3cret')   // ['admin:s3cret', 's3cret', 'YWRtaW46czNjcmV0']
 */
export function basicPairSecrets(user: string, password: string): string[] {
  const pair = `${user}:${password}`;
  return [pair, password, Buffer.from(pair, 'utf8').toString('base64')];
}

function jsonForms(secret: string): string[] {
  const plain = JSON.stringify(secret).slice(1, -1);
  const slashes = plain.replace(/\//g, '\\/');
  const out = [plain, slashes];
  if (/[^\x00-\x7f]/.test(plain)) {
    for (const base of [plain, slashes]) {
      out.push(unicodeEscaped(base, false), unicodeEscaped(base, true));
    }
  }
  return out;
}

/** Every non-ASCII UTF-16 code unit as `\uXXXX`, as Python's `json.dumps` writes it. */
function unicodeEscaped(text: string, upper: boolean): string {
  return text.replace(/[^\x00-\x7f]/g, (c) => {
    const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
    return `\\u${upper ? hex.toUpperCase() : hex}`;
  });
}

function percentForms(secret: string): string[] {
  let component: string;
  try {
    component = encodeURIComponent(secret);
  } catch {
    // a lone surrogate: no encoder produces a form of it
    return [];
  }
  const strict = component.replace(/[!'()*]/g, hexEscape);
  const form = strict.replace(/~/g, hexEscape);
  const out: string[] = [];
  for (const encoded of [component, strict, form]) out.push(encoded, encoded.replace(/%20/g, '+'));
  return out;
}

function hexEscape(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

function xmlForms(secret: string): string[] {
  if (!/[&<>"']/.test(secret)) return [];
  const base = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return [base.replace(/'/g, '&apos;'), base.replace(/'/g, '&#39;'), base];
}
