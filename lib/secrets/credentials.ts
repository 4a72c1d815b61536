import { basicPairSecrets } from './secret-forms.js';

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

/**
 * Whether a field of a request (a query parameter, a JSON body key, a form field) or a saved
 * variable is named like a credential: `password`, `passwd`, `client_secret`, `access_token`,
 * `api_key`, `apikey`, `private_key`, `auth`, `authorization`, `credential(s)`, `session`,
 * `sid`, `cookie`, in any case and as part of a longer name. Plainer words such as `key` or `id`
 * alone are not: an idempotency key or a job id is no secret, and masking it would hide what a
 * failing test needs to show.
 *
 * isSensitiveField('access_token')   // true
 * isSensitiveField('job_id')         // false
 */
export function isSensitiveField(name: string): boolean {
  return SENSITIVE_FIELD.test(name);
}

/**
 * The values a sensitive header's value reveals: the whole value (for a cookie header, each of its
 * pairs instead); the credential after a scheme
 * (`Bearer abc123` -> also `abc123`; for `Basic`, the decoded `user:password` and the password);
 * each cookie's `name=value` (and its bare value from {@link MIN_COOKIE_VALUE_LENGTH} characters).
 *
 * headerSecrets('Authorization', 'Bearer abc123')   // ['Bearer abc123', 'abc123']
 * headerSecrets('Set-Cookie', 'sid=9f8e7d6c5b; Path=/')   // ['sid=9f8e7d6c5b', '9f8e7d6c5b']
 */
export function headerSecrets(name: string, value: string): string[] {
  const lower = name.toLowerCase();
  // A cookie header's whole text is not worth a secret of its own: its pairs are, and a text
  // that holds the whole header holds them too.
  const out = lower === 'cookie' || lower === 'set-cookie' ? [] : [value];
  const cookiePair = (pair: string): void => {
    const p = pair.trim();
    out.push(p);
    const eq = p.indexOf('=');
    const bare =
      eq < 0
        ? ''
        : p
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1');
    if (bare.length >= MIN_COOKIE_VALUE_LENGTH) out.push(bare);
  };
  if (lower === 'cookie') {
    for (const pair of value.split(';')) cookiePair(pair);
  } else if (lower === 'set-cookie') {
    // Several Set-Cookie lines may arrive joined with ", "; an Expires date's comma is not followed by `name=`.
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

/**
 * The secrets a URL carries in its user info (`http://admin:s3cret@host/`): the password as
 * written and percent-decoded, the `user:password` pair and its base64 (what the client sends as
 * `Authorization: Basic ...`, which servers echo). `[]` when the URL has no password or does
 * not parse.
 *
 * urlSecrets('http://admin:s3cret@api.test/')   // ['s3cret', 'admin:s3cret', 's3cret', 'YWRtaW46czNjcmV0']
 */
export function urlSecrets(url: string): string[] {
  if (!url.includes('@')) return [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  if (parsed.password === '') return [];
  const out = [parsed.password, `${parsed.username}:${parsed.password}`];
  const user = safeDecode(parsed.username);
  const password = safeDecode(parsed.password);
  out.push(...basicPairSecrets(user, password));
  return out;
}

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|KEY|AUTH/i;
const SENSITIVE_FIELD = /passw(or)?d|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|auth|credential|session|^sid$|cookie/i;

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
