/** A path of keys and list indices into a suite file: `['tests', 0, 'steps', 1, 'config']`. */
export type KeyPath = ReadonlyArray<string | number>;

/**
 * The most characters of one key a path shows; a longer key is cut there and ends in `…`. A file
 * whose keys run to 100 KB (a line break the parser does not see, a pasted blob) can make a
 * thousand errors, each with its path: whole, those paths held gigabytes.
 */
export const MAX_KEY_CHARS_SHOWN = 100;

/**
 * The most characters a path shows: a longer one (a file nested a hundred levels deep) keeps its
 * first and last {@link MAX_PATH_CHARS_SHOWN}/2 characters, with `…` between (neither cut halves a
 * surrogate pair). The error's line and column still say exactly where.
 */
export const MAX_PATH_CHARS_SHOWN = 1000;

/**
 * Writes a key path the way errors show it: indices in brackets, plain keys after dots, other
 * keys quoted in brackets, each cut at {@link MAX_KEY_CHARS_SHOWN} characters, the whole cut at
 * {@link MAX_PATH_CHARS_SHOWN}.
 *
 * formatKeyPath(['tests', 0, 'steps', 1, 'config', 'polling', 'interval'])
 * // 'tests[0].steps[1].config.polling.interval'
 * formatKeyPath(['tests', 0, 'steps', 0, 'config', 'headers', 'X-Test'])
 * // 'tests[0].steps[0].config.headers["X-Test"]'
 * formatKeyPath(['vars', 'x'.repeat(5000)])
 * // 'vars["xxx…"]' (100 x's, then …)
 */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (segment.length > MAX_KEY_CHARS_SHOWN) out += `[${JSON.stringify(`${cutAt(segment, MAX_KEY_CHARS_SHOWN)}…`)}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  if (out.length <= MAX_PATH_CHARS_SHOWN) return out;
  const half = MAX_PATH_CHARS_SHOWN / 2;
  return `${cutAt(out, half)}…${lastOf(out, half)}`;
}

/** The first `chars` UTF-16 units of `text`, less a high surrogate the cut would leave alone. */
function cutAt(text: string, chars: number): string {
  const head = text.slice(0, chars);
  const last = head.charCodeAt(head.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? head.slice(0, -1) : head;
}

/** The last `chars` UTF-16 units of `text`, less a low surrogate the cut would leave alone. */
function lastOf(text: string, chars: number): string {
  const tail = text.slice(-chars);
  const first = tail.charCodeAt(0);
  return first >= 0xdc00 && first <= 0xdfff ? tail.slice(1) : tail;
}
