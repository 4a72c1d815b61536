/** A path of keys and list indices into a suite file: `['tests', 0, 'steps', 1, 'config']`. */
export type KeyPath = ReadonlyArray<string | number>;

/**
 * Writes a key path the way errors show it: indices in brackets, plain keys after dots, other
 * keys quoted in brackets.
 *
 * formatKeyPath(['tests', 0, 'steps', 1, 'config', 'polling', 'interval'])
 * // 'tests[0].steps[1].config.polling.interval'
 * formatKeyPath(['tests', 0, 'steps', 0, 'config', 'headers', 'X-Test'])
 * // 'tests[0].steps[0].config.headers["X-Test"]'
 */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
