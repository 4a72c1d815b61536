import type { DslError } from './dsl-error.js';

/**
 * Renders a {@link DslError} for a terminal, in the manner of Hurl and rustc: location and
 * message first, then the key path, what was expected and found, and the source line with a
 * caret under the offending node.
 *
 * formatDslError(e) ===
 * `jobs.yaml:12:19: "2 seconds" is not a duration: write a number and a unit (ns, us, ms, s, m, h), e.g. "250ms", "2s", "1.5s", "1m30s"
 *   at tests[0].steps[1].config.polling.interval
 *   expected: a duration such as "250ms", "2s", "1.5s", "1m30s"
 *   found:    "2 seconds"
 *    |
 * 12 |         interval: "2 seconds"
 *    |                   ^^^^^^^^^^^`
 *
 * The expected/found lines are left out when the message already says both.
 */
export function formatDslError(e: DslError): string {
  const lines = [`${e.file}:${e.line}:${e.col}: ${e.message}`];
  lines.push(`  at ${e.path === '' ? 'the top level' : e.path}`);
  const saysBoth = e.expected !== undefined && e.found !== undefined && e.message.includes(e.expected) && e.message.includes(e.found);
  if (!saysBoth) {
    if (e.expected !== undefined) lines.push(`  expected: ${e.expected}`);
    if (e.found !== undefined) lines.push(`  found:    ${e.found}`);
  }
  if (e.source !== undefined) {
    const number = String(e.line);
    const gutter = ' '.repeat(number.length);
    const col = Math.max(1, e.col);
    // Keep tabs in the padding so the caret lines up under tab-indented text.
    const pad = e.source.slice(0, col - 1).replace(/[^\t]/g, ' ');
    const room = Math.max(1, e.source.length - (col - 1));
    const width = Math.max(1, Math.min(e.length ?? 1, room));
    lines.push(`${gutter} |`, `${number} | ${e.source}`, `${gutter} | ${pad}${'^'.repeat(width)}`);
  }
  return lines.join('\n');
}
