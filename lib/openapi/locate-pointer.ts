import { isAlias, isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { pointerTokens } from './document-path.js';

/**
 * Where the value at a JSON pointer (`#/paths/~1jobs/get`) is written in the text of a YAML or
 * JSON document: its 1-based line and column, or `undefined` when the text does not parse or
 * holds no such value (a pointer into a part bundled from another file). Map keys are matched
 * as text, so `#/.../responses/200` finds `200:` and `"200":` alike.
 *
 * locatePointer('paths:\n  /jobs:\n    get: {}\n', '#/paths/~1jobs/get')   // { line: 3, col: 10 }
 */
export function locatePointer(text: string, pointer: string): { line: number; col: number } | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false });
  if (doc.errors.length > 0) return undefined;
  let node: unknown = doc.contents;
  for (const token of pointerTokens(pointer.replace(/^#/, ''))) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) node = node.items.find((pair) => keyText(pair.key) === token)?.value;
    else if (isSeq(node) && /^\d+$/.test(token)) node = node.items[Number(token)];
    else return undefined;
  }
  const range = (node as Node | null | undefined)?.range;
  if (range === undefined || range === null) return undefined;
  const at = lineCounter.linePos(range[0]);
  return { line: at.line, col: at.col };
}

function keyText(key: unknown): string | undefined {
  if (key !== null && typeof key === 'object' && 'value' in key) return String((key as { value: unknown }).value);
  return key === null || key === undefined ? undefined : String(key);
}
