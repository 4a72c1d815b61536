import * as E from 'fp-ts/lib/Either.js';

/**
 * Parses a `.env` file: `KEY=VALUE` lines, `#` comments and blank lines, an optional `export `
 * prefix, values in single quotes (literal) or double quotes (`\n`, `\t`, `\"`, `\\` escapes),
 * unquoted values trimmed with a trailing ` # comment` removed. Errors name the flag, the file
 * and the line.
 *
 * parseEnvFile('API_URL=http://x\n# note\nexport TOKEN="a b"', '.env')  // right({ API_URL: 'http://x', TOKEN: 'a b' })
 */
export function parseEnvFile(text: string, file: string): E.Either<string, Record<string, string>> {
  const out: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (m === null) return E.left(`--env-file ${file}:${i + 1}: expected KEY=VALUE, found ${JSON.stringify(raw)}`);
    const key = m[1] as string;
    const rest = m[2] as string;
    const value = envValue(rest);
    if (value === undefined) return E.left(`--env-file ${file}:${i + 1}: unterminated quoted value for ${key}`);
    out[key] = value;
  }
  return E.right(out);
}

function envValue(rest: string): string | undefined {
  if (rest.startsWith("'")) {
    const end = rest.indexOf("'", 1);
    return end < 0 ? undefined : rest.slice(1, end);
  }
  if (rest.startsWith('"')) {
    let out = '';
    for (let i = 1; i < rest.length; i++) {
      const c = rest[i] as string;
      if (c === '"') return out;
      if (c === '\\' && i + 1 < rest.length) {
        const n = rest[++i] as string;
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
      } else {
        out += c;
      }
    }
    return undefined;
  }
  return rest.replace(/\s+#.*$/, '').trim();
}
