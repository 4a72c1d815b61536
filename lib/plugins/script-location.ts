import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, visit } from 'yaml';

/**
 * The line of the suite file that holds line `scriptLine` of a step's inline `script`, when it
 * can be told: the script is a literal block (`script: |`, each line of the script one line of
 * the file), or a one-line scalar (`script: 'save("a", 1)'`). Undefined otherwise (a folded or
 * multi-line quoted scalar, a suite file that cannot be read again or changed since it was
 * loaded). Reads and parses the file: call it only to report a failure.
 *
 * `stepLine` is the line where the step's map starts (`StepRef.line`).
 *
 * // rocketship.yaml, line 11: "      - name: compute", line 15: "          script: |"
 * suiteLineOfScript('rocketship.yaml', 11, 3)   // 18
 */
export function suiteLineOfScript(file: string, stepLine: number | undefined, scriptLine: number): number | undefined {
  if (stepLine === undefined || scriptLine < 1) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false, logLevel: 'silent' });
  let found: number | undefined;
  visit(doc, {
    Map(_, node) {
      if (node.range === undefined || node.range === null || lineCounter.linePos(node.range[0]).line !== stepLine) return undefined;
      const config = node.get('config', true);
      if (!isMap(config)) return undefined;
      const script = config.get('script', true);
      if (!isScalar(script) || script.range === undefined || script.range === null || typeof script.value !== 'string') return undefined;
      const at = lineCounter.linePos(script.range[0]).line;
      if (script.type === 'BLOCK_LITERAL') {
        // The header (`|`) is on line `at`; line k of the script is k lines below it.
        if (scriptLine <= script.value.split('\n').length) found = at + scriptLine;
      } else if (scriptLine === 1 && !text.slice(script.range[0], script.range[1]).includes('\n')) {
        found = at;
      }
      return visit.BREAK;
    },
  });
  return found;
}
