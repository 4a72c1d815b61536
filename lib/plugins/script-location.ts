import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, Scalar, visit } from 'yaml';

/** A place in a file: 1-based line, and column when known. */
export interface FilePlace {
  readonly line: number;
  readonly column?: number;
}

/**
 * Where line `scriptLine` (and column `scriptColumn`, 1-based) of a step's inline `script` is in
 * the suite file, when it can be told: the script is a literal block (`script: |`, each line of
 * the script one line of the file, after the block's indentation), or a one-line scalar
 * (`script: 'save("a", 1)'`; the column only when the scalar is written without escapes).
 * Undefined otherwise (a folded or multi-line quoted scalar, a suite file that cannot be read
 * again or changed since it was loaded). Reads and parses the file: call it only to report a
 * failure.
 *
 * `stepLine` is the line where the step's map starts (`StepRef.line`).
 *
 * // rocketship.yaml, line 11: "      - name: compute", line 15: "          script: |",
 * // line 18: "            assert(state.n > 1)"
 * suitePlaceOfScript('rocketship.yaml', 11, 3, 1)   // { line: 18, column: 13 }
 */
export function suitePlaceOfScript(
  file: string,
  stepLine: number | undefined,
  scriptLine: number,
  scriptColumn?: number,
): FilePlace | undefined {
  if (stepLine === undefined || scriptLine < 1) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false, logLevel: 'silent' });
  const fileLines = text.split(/\r?\n/);
  let found: FilePlace | undefined;
  visit(doc, {
    Map(_, node) {
      if (node.range === undefined || node.range === null || lineCounter.linePos(node.range[0]).line !== stepLine) return undefined;
      const config = node.get('config', true);
      if (!isMap(config)) return undefined;
      const script = config.get('script', true);
      if (!isScalar(script) || script.range === undefined || script.range === null || typeof script.value !== 'string') return undefined;
      const start = lineCounter.linePos(script.range[0]);
      if (script.type === Scalar.BLOCK_LITERAL) {
        // The header (`|`) is on line `start.line`; line k of the script is k lines below it,
        // after the block's indentation.
        const scriptLines = script.value.split('\n');
        if (scriptLine > scriptLines.length) return visit.BREAK;
        const line = start.line + scriptLine;
        const inFile = fileLines[line - 1] ?? '';
        const inScript = scriptLines[scriptLine - 1] ?? '';
        const indent = inFile.length - inScript.length;
        found =
          scriptColumn === undefined || !inFile.endsWith(inScript) || inScript === '' ? { line } : { line, column: indent + scriptColumn };
      } else if (scriptLine === 1 && !text.slice(script.range[0], script.range[1]).includes('\n')) {
        const written = text.slice(script.range[0], script.range[1]);
        // A quoted scalar's text starts after its quote; its columns are the script's only without escapes.
        const quoted = script.type === Scalar.QUOTE_DOUBLE || script.type === Scalar.QUOTE_SINGLE;
        const inside = quoted ? written.slice(1, -1) : written;
        found =
          scriptColumn === undefined || inside !== script.value
            ? { line: start.line }
            : { line: start.line, column: start.col + (quoted ? 1 : 0) + scriptColumn - 1 };
      }
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * The column in a script as written (`source`, its templates not yet rendered) of column
 * `column` of line `line` of the script as it ran (`rendered`). Where the two lines are the same
 * it is the same column; a place before the first rendered template, or after the last, is
 * counted from that end; a place inside the rendered values is the column of the first template
 * on the line.
 *
 * sourceColumn('assert({{ n }} > 5)', 'assert(3 > 5)', 1, 12)   // 18: the `5` after the template
 */
export function sourceColumn(source: string, rendered: string, line: number, column: number): number {
  const sourceLine = source.split(LINE_BREAK)[line - 1];
  const renderedLine = rendered.split(LINE_BREAK)[line - 1];
  if (sourceLine === undefined || renderedLine === undefined || sourceLine === renderedLine) return column;
  let prefix = 0;
  while (prefix < sourceLine.length && prefix < renderedLine.length && sourceLine[prefix] === renderedLine[prefix]) prefix++;
  if (column - 1 < prefix) return column;
  let suffix = 0;
  while (
    suffix < sourceLine.length - prefix &&
    suffix < renderedLine.length - prefix &&
    sourceLine[sourceLine.length - 1 - suffix] === renderedLine[renderedLine.length - 1 - suffix]
  )
    suffix++;
  const fromEnd = renderedLine.length - (column - 1);
  if (fromEnd <= suffix) return sourceLine.length - fromEnd + 1;
  return prefix + 1;
}

/** Line terminators as JavaScript counts lines (a script's line numbers). */
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/;
