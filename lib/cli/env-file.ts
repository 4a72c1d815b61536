import * as E from 'fp-ts/lib/Either.js';

/**
 * Parses a `.env` file: `KEY=VALUE` lines, `#` comments and blank lines, an optional `export `
 * prefix, values in single quotes (literal) or double quotes (`\n`, `\t`, `\"`, `\\` escapes),
 * unquoted values trimmed with a trailing ` # comment` removed. Errors name the flag, the file
 * and the line: a line that is not `KEY=VALUE`, a quote not closed on its line, text after a
 * closing quote (other than a ` # comment`).
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
    if (m === null) return E.left(`--env-file ${file}:${i + 1}: expected KEY=VALUE, found ${quoteLine(raw)}`);
    const key = m[1] as string;
    const rest = m[2] as string;
    const value = envValue(rest);
    if (value._tag === 'Unterminated')
      return E.left(`--env-file ${file}:${i + 1}: unterminated quoted value for ${key} (no closing ${value.quote} on this line)`);
    if (value._tag === 'TrailingText') {
      return E.left(
        `--env-file ${file}:${i + 1}: unexpected text after the closing ${value.quote} of ${key}: ${quoteLine(value.text)} (only a # comment may follow)`,
      );
    }
    // A data property even for a key like __proto__, which plain assignment would swallow.
    Object.defineProperty(out, key, { value: value.value, enumerable: true, writable: true, configurable: true });
  }
  return E.right(out);
}

type EnvValue =
  | { readonly _tag: 'Value'; readonly value: string }
  | { readonly _tag: 'Unterminated'; readonly quote: string }
  | { readonly _tag: 'TrailingText'; readonly quote: string; readonly text: string };

function envValue(rest: string): EnvValue {
  const quote = rest[0];
  if (quote === "'" || quote === '"') {
    let out = '';
    for (let i = 1; i < rest.length; i++) {
      const c = rest[i] as string;
      if (c === quote) {
        const after = rest.slice(i + 1);
        // Nothing, or a comment, may follow the closing quote: `A="x"y` is a typo, not "x".
        if (after.trim() !== '' && !/^\s+#/.test(after)) return { _tag: 'TrailingText', quote, text: after.trim() };
        return { _tag: 'Value', value: out };
      }
      if (quote === '"' && c === '\\' && i + 1 < rest.length) {
        const n = rest[++i] as string;
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
      } else {
        out += c;
      }
    }
    return { _tag: 'Unterminated', quote };
  }
  return { _tag: 'Value', value: rest.replace(/\s+#.*$/, '').trim() };
}

/** A line as JSON text, cut to 80 characters, for messages. */
function quoteLine(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
