import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { KeyPath } from './key-path.js';

/**
 * How deeply lists and maps may nest in a suite file, aliases expanded. A suite needs a dozen
 * levels (`tests[0].steps[0].config.polling.conditions[0].schema...`); deeper documents are
 * refused before anything recurses into them.
 */
export const MAX_NESTING = 100;

/**
 * How many anchors (`&name`) and aliases (`*name`) a suite file may hold together. The `yaml`
 * package resolves each alias by scanning the anchors and aliases before it, so their number
 * bounds the time of reading the document (20,000 of them take seconds).
 */
export const MAX_ANCHORS_AND_ALIASES = 1_000;

/**
 * How many values (list and map nodes and scalars) aliases may add to the document once
 * expanded: reuse is fine, multiplication is a "billion laughs" attack (nine aliases of nine
 * aliases of ... expand a 1 KB file to a billion values).
 */
export const MAX_ALIAS_NODES = 100_000;

/** A document that breaks one of the limits: where, and why. */
export interface DocumentLimitProblem {
  /** Source range of the offending node (an alias, an anchored node, a too-deep collection). */
  readonly offset: number;
  readonly length: number;
  readonly path: KeyPath;
  readonly message: string;
}

/**
 * Checks a parsed YAML document, before it is converted to values, against the limits above,
 * and checks that every alias names an anchor set before it and outside it (an alias inside
 * the node it names would make an endless value). Returns the first problem in document order,
 * or `undefined`.
 *
 * One linear pass, without recursion (the document may be nested thousands of levels deep).
 * Expanded sizes and heights of anchored nodes are computed once each, so a billion-laughs
 * document is measured, never expanded.
 *
 * checkDocumentLimits(parseDocument('a: &a [1, 2]\nb: [*a, *a]\n'))   // undefined
 * checkDocumentLimits(parseDocument('a: &a [*a]\n'))
 * // { offset: 7, length: 2, path: ['a', 0], message: 'the alias *a is inside the value it names (the value &a, at line 1): ...' }
 */
export function checkDocumentLimits(doc: Document, lineOf: (offset: number) => number): DocumentLimitProblem | undefined {
  /** Expanded size (values) and height (nesting levels) of every node left behind. */
  const size = new Map<unknown, number>();
  const height = new Map<unknown, number>();
  const anchors = new Map<string, Node>();
  /** Anchored collections being walked (an alias to one of them would contain itself). */
  const open = new Set<unknown>();
  // Sizes and heights are read only for anchored nodes (by their aliases), so they are kept
  // only for nodes inside an anchored collection: a file without anchors records none.
  let openAnchored = 0;
  let anchorsAndAliases = 0;
  let aliasNodes = 0;

  const problem = (frame: Frame, message: string): DocumentLimitProblem => {
    const range = (frame.node as Node).range;
    const offset = range?.[0] ?? 0;
    return { offset, length: range ? Math.max(1, range[1] - range[0]) : 1, path: pathOf(frame), message };
  };

  const stack: Array<Frame & { exit: boolean }> = [{ node: doc.contents, parent: undefined, segment: undefined, level: 0, exit: false }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame & { exit: boolean };
    const { node } = frame;
    if (node === null || node === undefined) continue;

    if (frame.exit) {
      if (open.delete(node)) openAnchored -= 1;
      else if (openAnchored === 0) continue;
      let s = 1;
      let h = 0;
      for (const child of childrenOf(node)) {
        const target = isAlias(child) ? anchors.get(child.source) : child;
        s += size.get(target) ?? (target === null || target === undefined ? 0 : 1);
        h = Math.max(h, height.get(target) ?? 0);
      }
      size.set(node, s);
      height.set(node, isMap(node) || isSeq(node) ? h + 1 : 0);
      continue;
    }

    const anchored = !isAlias(node) && typeof (node as Node).anchor === 'string';
    if (anchored || isAlias(node)) {
      anchorsAndAliases += 1;
      if (anchorsAndAliases > MAX_ANCHORS_AND_ALIASES) {
        return problem(
          frame,
          `more than ${MAX_ANCHORS_AND_ALIASES} YAML anchors (&name) and aliases (*name) in one file; write the values out, or split the suite`,
        );
      }
    }

    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined)
        return problem(frame, `the alias *${node.source} names no anchor: write &${node.source} on a value before it`);
      // The anchored value's first line (a block map or list starts on the line after `&name`).
      const targetLine = target.range ? ` (the value &${node.source}, at line ${lineOf(target.range[0])})` : '';
      if (open.has(target))
        return problem(
          frame,
          `the alias *${node.source} is inside the value it names${targetLine}: that value would contain itself without end`,
        );
      const levels = frame.level + (height.get(target) ?? 0);
      if (levels > MAX_NESTING) {
        return problem(
          frame,
          `through the alias *${node.source}${targetLine}, lists and maps nest ${levels} levels deep here, more than the ${MAX_NESTING} allowed`,
        );
      }
      aliasNodes += size.get(target) ?? 1;
      if (aliasNodes > MAX_ALIAS_NODES) {
        return problem(
          frame,
          `the alias *${node.source}${targetLine} stands for ${formatCount(size.get(target) ?? 1)} values, and with the aliases before it the file would expand past ${formatCount(MAX_ALIAS_NODES)}; aliases may repeat a value, not multiply it (a "billion laughs" file?)`,
        );
      }
      continue;
    }

    const collection = isMap(node) || isSeq(node);
    const level = frame.level + (collection ? 1 : 0);
    if (level > MAX_NESTING)
      return problem(frame, `lists and maps nest more than ${MAX_NESTING} levels deep here; a suite needs only a few levels`);
    if (anchored) anchors.set((node as Node).anchor as string, node as Node);
    // A scalar counts as one value of height 0 without being recorded (the defaults below).
    if (!collection) continue;
    if (anchored) {
      open.add(node);
      openAnchored += 1;
    }
    // Its exit records its size and height, read only inside an anchored collection (which its
    // descendants open and close before it exits): outside one, it has nothing to do.
    if (openAnchored > 0) stack.push({ ...frame, exit: true });
    const children: Array<Frame & { exit: boolean }> = [];
    if (isMap(node)) {
      for (const item of node.items as unknown[]) {
        if (!isPair(item)) continue;
        const key = item.key as Node | null;
        const visitKey = mayBreakLimits(key);
        const visitValue = mayBreakLimits(item.value);
        if (!visitKey && !visitValue) continue;
        const segment = isScalar(key) && typeof key.value !== 'symbol' ? String(key.value) : '?';
        if (visitKey) children.push({ node: key, parent: frame, segment, level, exit: false });
        if (visitValue) children.push({ node: item.value, parent: frame, segment, level, exit: false });
      }
    } else {
      node.items.forEach((item, i) => {
        if (mayBreakLimits(item)) children.push({ node: item, parent: frame, segment: i, level, exit: false });
      });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Frame & { exit: boolean });
  }
  return undefined;
}

interface Frame {
  readonly node: unknown;
  readonly parent: Frame | undefined;
  readonly segment: string | number | undefined;
  /** Nesting level of the collection holding this node (0 at the top). */
  readonly level: number;
}

/**
 * Whether visiting `node` can find a problem or record something: a collection, an alias or an
 * anchored value. A scalar without an anchor (most of a document) sits at its collection's
 * level, already checked, counts as one value of height 0 without being recorded, and is skipped.
 */
function mayBreakLimits(node: unknown): boolean {
  return node !== null && node !== undefined && !(isScalar(node) && typeof node.anchor !== 'string');
}

function childrenOf(node: unknown): unknown[] {
  if (isMap(node)) return (node.items as unknown[]).flatMap((item) => (isPair(item) ? [item.key, item.value] : []));
  if (isSeq(node)) return node.items;
  return [];
}

function pathOf(frame: Frame): KeyPath {
  const path: Array<string | number> = [];
  for (let f: Frame | undefined = frame; f !== undefined; f = f.parent) if (f.segment !== undefined) path.push(f.segment);
  return path.reverse();
}

function formatCount(n: number): string {
  return n >= 1e15 ? n.toExponential(1) : Math.round(n).toLocaleString('en-US');
}
