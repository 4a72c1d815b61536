import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from 'yaml';
import type { KeyPath } from './key-path.js';

/** Where a key path leads in a parsed YAML document. */
export interface NodeHit {
  /** How many segments of the path exist in the document. */
  readonly resolved: number;
  /** The node reached: the value at the path, or the deepest existing ancestor. */
  readonly node: Node | null;
  /** The key node of the last map entry walked through, when the last segment was a map key. */
  readonly key: Node | null;
}

/** A position and width in the source text. */
export interface Span {
  readonly offset: number;
  readonly length: number;
}

/**
 * Walks a key path through a YAML document (following aliases and `<<` merges) as far as it
 * goes. A path that does not fully exist (a missing key) stops at the deepest ancestor found.
 */
export function findNode(doc: Document, path: KeyPath): NodeHit {
  let node = deref(doc, (doc.contents ?? null) as Node | null);
  let key: Node | null = null;
  let resolved = 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = findPair(doc, node.items as Pair[], String(segment), 0);
      if (pair === undefined) break;
      key = (pair.key ?? null) as Node | null;
      node = deref(doc, (pair.value ?? null) as Node | null);
    } else if (isSeq(node)) {
      const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
      const item = node.items[index];
      if (item === undefined) break;
      key = null;
      node = deref(doc, item as Node | null);
    } else break;
    resolved += 1;
  }
  return { resolved, node, key };
}

/**
 * The text span to point at for a hit: the key node when `onKey` (an unknown key), when the
 * value is empty (`interval:` with nothing after it) or when it is a block map or list (which
 * starts on the next line); else the value node. A block map with no key (a list item) is
 * pointed at by its first key; a flow collection by its opening bracket.
 */
export function spanOf(hit: NodeHit, onKey: boolean): Span | undefined {
  const value = hit.node;
  const emptyValue =
    value === null || (isScalar(value) && value.range !== undefined && value.range !== null && value.range[0] === value.range[1]);
  // A block map or list starts on the line after its key: the key line is the one to show.
  const blockCollection = (isMap(value) || isSeq(value)) && !value.flow;
  const target = (onKey || emptyValue || blockCollection) && hit.key !== null ? hit.key : value;
  const range = target?.range;
  if (target === null || range === undefined || range === null) return undefined;
  if (isMap(target)) {
    const first = (target.items[0] as Pair | undefined)?.key as Node | undefined;
    const r = first?.range;
    if (!target.flow && r) return { offset: r[0], length: Math.max(1, r[1] - r[0]) };
    return { offset: range[0], length: 1 };
  }
  if (isSeq(target)) return { offset: range[0], length: 1 };
  return { offset: range[0], length: Math.max(1, range[1] - range[0]) };
}

/**
 * The key path of the innermost node whose text contains `offset` (for errors the YAML parser
 * reports by position only, like a duplicate key).
 */
export function pathAtOffset(doc: Document, offset: number): Array<string | number> {
  const path: Array<string | number> = [];
  let node = (doc.contents ?? null) as Node | null;
  for (let depth = 0; depth < 1000 && node !== null; depth++) {
    if (isMap(node)) {
      const pairs = node.items as Pair[];
      const pair =
        pairs[
          indexAt(
            pairs,
            offset,
            (p) => ((p.key as Node | null)?.range ?? (p.value as Node | null)?.range)?.[0],
            (p) => contains(p.key as Node | null, offset) || contains(p.value as Node | null, offset),
          )
        ];
      if (pair === undefined) break;
      path.push(keyText(pair.key as Node | null) ?? '?');
      if (contains(pair.key as Node | null, offset)) break;
      node = (pair.value ?? null) as Node | null;
    } else if (isSeq(node)) {
      const index = indexAt(
        node.items as Array<Node | null>,
        offset,
        (i) => i?.range?.[0],
        (i) => contains(i, offset),
      );
      if (index < 0) break;
      path.push(index);
      node = (node.items[index] ?? null) as Node | null;
    } else break;
  }
  return path;
}

/** The text of a scalar key, as `toJS` would name it; `undefined` for complex keys. */
export function keyText(key: Node | null): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

/** 1-based line and column of an offset, never below 1. */
export function lineCol(lineCounter: LineCounter, offset: number): { line: number; col: number } {
  const { line, col } = lineCounter.linePos(offset);
  return { line: Math.max(1, line), col: Math.max(1, col) };
}

function findPair(doc: Document, pairs: Pair[], key: string, depth: number): Pair | undefined {
  const direct = pairs.length > 16 ? indexOf(pairs).get(key) : pairs.find((p) => keyText(p.key as Node | null) === key);
  if (direct !== undefined || depth > 20) return direct;
  // `<<: *base` merges: the key may come from a merged map.
  for (const pair of pairs) {
    if (keyText(pair.key as Node | null) !== '<<') continue;
    const source = deref(doc, pair.value as Node | null);
    const maps = isSeq(source) ? source.items.map((i) => deref(doc, i as Node | null)) : [source];
    for (const map of maps) {
      if (!isMap(map)) continue;
      const found = findPair(doc, map.items as Pair[], key, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const pairIndexes = new WeakMap<Pair[], Map<string, Pair>>();

/** The first pair of each key of a big map, built once: one error per key of a 100,000-key map stays linear. */
function indexOf(pairs: Pair[]): Map<string, Pair> {
  let index = pairIndexes.get(pairs);
  if (index === undefined) {
    index = new Map();
    for (const pair of pairs) {
      const name = keyText(pair.key as Node | null);
      if (name !== undefined && !index.has(name)) index.set(name, pair);
    }
    pairIndexes.set(pairs, index);
  }
  return index;
}

function deref(doc: Document, node: Node | null): Node | null {
  let current = node;
  for (let i = 0; i < 100 && isAlias(current); i++) current = (current.resolve(doc) ?? null) as Node | null;
  return current;
}

/**
 * The index of the item for which `hit` holds (the one whose text holds `offset`), or -1. Items
 * are in source order, so the one starting last at or before `offset` is found by a binary
 * search: a map of 30,000 keys with an error on each stays fast. Items without a position fall
 * back to a linear scan.
 */
function indexAt<T>(items: readonly T[], offset: number, start: (item: T) => number | undefined, hit: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length - 1;
  let candidate = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = start(items[mid] as T);
    if (s === undefined) return items.findIndex(hit);
    if (s <= offset) {
      candidate = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Neighbours too, in case a recovered broken document has items slightly out of order.
  for (const i of [candidate, candidate - 1, candidate + 1]) {
    const item = items[i];
    if (item !== undefined && hit(item)) return i;
  }
  return -1;
}

function contains(node: Node | null, offset: number): boolean {
  const r = node?.range;
  return r !== undefined && r !== null && offset >= r[0] && offset < Math.max(r[1], r[0] + 1);
}
