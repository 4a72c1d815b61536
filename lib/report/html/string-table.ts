/**
 * A table of distinct strings, each stored once and referred to by its index: what makes the
 * HTML report's data small when a poll of 1,000 attempts sends the same request 1,000 times and
 * gets the same headers and the same `{"status":"running"}` body most of those times.
 *
 * const table = createStringTable();
 * table.id('{"status":"running"}')  // 0
 * table.id('{"status":"done"}')     // 1
 * table.id('{"status":"running"}')  // 0
 * table.strings                     // ['{"status":"running"}', '{"status":"done"}']
 */
export interface StringTable {
  /** The index of `text` in `strings`, added if new. */
  id(text: string): number;
  /** Every distinct string, in the order first seen. */
  readonly strings: readonly string[];
}

/** Creates an empty table. */
export function createStringTable(): StringTable {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  return {
    strings,
    id(text) {
      let id = ids.get(text);
      if (id === undefined) {
        id = strings.length;
        strings.push(text);
        ids.set(text, id);
      }
      return id;
    },
  };
}
