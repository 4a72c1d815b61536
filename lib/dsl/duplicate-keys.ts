import { type Document, isCollection, isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { KeyPath } from './key-path.js';

/** A key set twice in one map: the second key node, the first one, and where they sit. */
export interface DuplicateKey {
  /** The key's text, as the decoded map names it (`1` and `"1"` are the same key there). */
  readonly name: string;
  /** Path to the second occurrence, its key included: `['tests', 0, 'name']`. */
  readonly path: KeyPath;
  /** Source range of the second key node. */
  readonly offset: number;
  readonly length: number;
  /** Source offset of the first occurrence's key. */
  readonly firstOffset: number;
}

/**
 * Finds every key set twice in the same map, in document order, in one pass over the document.
 *
 * The `yaml` package's own `uniqueKeys` check compares each key with every earlier key of its
 * map, which takes minutes for a map of 100,000 keys; this is linear. Keys are compared by their
 * text, as the decoded object sees them, so `1:` and `"1":` collide (the second would silently
 * replace the first). `<<` merge keys may repeat.
 *
 * duplicateKeys(parseDocument('a: 1\nb: 2\na: 3\n', { uniqueKeys: false }))
 * // [{ name: 'a', path: ['a'], offset: 10, length: 1, firstOffset: 0 }]
 */
export function duplicateKeys(doc: Document): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  // Iterative, so a document nested thousands of levels deep cannot exhaust the stack; each
  // entry links to its parent, so paths are only built for the keys reported.
  const stack: Entry[] = [{ node: doc.contents, parent: undefined, segment: undefined }];
  while (stack.length > 0) {
    const entry = stack.pop() as Entry;
    const { node } = entry;
    if (isMap(node)) {
      const first = new Map<string, Pair>();
      const children: Entry[] = [];
      for (const item of node.items as unknown[]) {
        if (!isPair(item)) continue;
        const key = item.key as Node | null;
        const name = isScalar(key) && typeof key.value !== 'symbol' ? String(key.value) : undefined;
        const range = key?.range;
        if (name !== undefined && range) {
          const earlier = first.get(name);
          if (earlier === undefined) first.set(name, item);
          else {
            const firstOffset = (earlier.key as Node | null)?.range?.[0] ?? range[0];
            found.push({ name, path: [...pathOf(entry), name], offset: range[0], length: Math.max(1, range[1] - range[0]), firstOffset });
          }
        }
        // Only collections hold keys: scalars (most keys and values) are not visited.
        const segment = name ?? '?';
        if (isCollection(key)) children.push({ node: key, parent: entry, segment });
        if (isCollection(item.value)) children.push({ node: item.value, parent: entry, segment });
      }
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Entry);
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i];
        if (isCollection(item)) stack.push({ node: item, parent: entry, segment: i });
      }
    }
  }
  return found;
}

interface Entry {
  readonly node: unknown;
  readonly parent: Entry | undefined;
  readonly segment: string | number | undefined;
}

function pathOf(entry: Entry): KeyPath {
  const path: Array<string | number> = [];
  for (let e: Entry | undefined = entry; e !== undefined; e = e.parent) if (e.segment !== undefined) path.push(e.segment);
  return path.reverse();
}
