/**
 * The statements of a `.sql` file, as Rocketship splits them: at each `;` outside quotes and
 * comments, trimmed, empty ones dropped. `-- line` and `/* block *\/` comments are removed;
 * `'...'` (with `''`), `"..."` and `` `...` `` quotes, and PostgreSQL's dollar quotes
 * (`$$ ... $$`, `$fn$ ... $fn$`, which function bodies use), are kept whole.
 *
 * splitSql("-- setup\nINSERT INTO t VALUES ('a;b');\nSELECT 1;")
 * // ["INSERT INTO t VALUES ('a;b')", 'SELECT 1']
 */
export function splitSql(text: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  const flush = (): void => {
    const s = current.trim();
    if (s !== '') statements.push(s);
    current = '';
  };
  while (i < text.length) {
    const ch = text[i] as string;
    const next = text[i + 1];
    if (ch === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      current += ' ';
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      for (;;) {
        const close = text.indexOf(ch, j);
        if (close < 0) {
          j = text.length;
          break;
        }
        // A doubled quote is the quote itself, inside the string.
        if (text[close + 1] === ch) {
          j = close + 2;
          continue;
        }
        j = close + 1;
        break;
      }
      current += text.slice(i, j);
      i = j;
      continue;
    }
    if (ch === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64))?.[0];
      if (tag !== undefined) {
        const close = text.indexOf(tag, i + tag.length);
        const j = close < 0 ? text.length : close + tag.length;
        current += text.slice(i, j);
        i = j;
        continue;
      }
    }
    if (ch === ';') {
      flush();
      i += 1;
      continue;
    }
    current += ch;
    i += 1;
  }
  flush();
  return statements;
}
