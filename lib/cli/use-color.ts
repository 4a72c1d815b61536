/**
 * Whether the console gets colours: `--color`/`--no-color` when given; else not when `NO_COLOR`
 * is set to anything but the empty string (it wins over `FORCE_COLOR`, as no-color.org asks);
 * else, when `FORCE_COLOR` is set, on unless it is `0` or `false` (as Node and chalk read it: a
 * CI log that renders ANSI colours asks for them this way, its output being no terminal); else
 * on a terminal only.
 *
 * useColor(undefined, false, { FORCE_COLOR: '1' })               // true
 * useColor(undefined, true, { NO_COLOR: '1', FORCE_COLOR: '1' }) // false
 * useColor(true, false, { NO_COLOR: '1' })                       // true (the flag decides)
 */
export function useColor(flag: boolean | undefined, isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return isTTY;
}
