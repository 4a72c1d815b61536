/**
 * Labels that tell apart items sharing a name, for the places where people and CI tools tell
 * tests apart by their text: JUnit `testcase` names, console lines, JUnit property names.
 *
 * A name keeps its text the first time it appears; each later item of the same name gets
 * ` (k)`, the smallest k >= 2 that is neither another item's name nor a label already given.
 * So every label differs from every other, a name that appears once is never changed, and an
 * item really named `"a (2)"` keeps its name. Numbers count same-named items in order, not
 * positions in the list, so adding an unrelated test does not rename the others (CI tools track
 * a test's history by its name).
 *
 * Reports keep the item's own name next to its identity (position); a label is only for display.
 *
 * @example
 * uniqueLabels(['Get user', 'List', 'Get user', 'Get user'])
 * // ['Get user', 'List', 'Get user (2)', 'Get user (3)']
 * uniqueLabels(['a', 'a', 'a (2)'])
 * // ['a', 'a (3)', 'a (2)']
 */
export function uniqueLabels(names: readonly string[]): string[] {
  const taken = new Set(names);
  const seen = new Set<string>();
  // Where to resume counting for each name, so n copies of one name cost O(n), not O(n²).
  const nextNumber = new Map<string, number>();
  return names.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    let k = nextNumber.get(name) ?? 2;
    while (taken.has(`${name} (${k})`)) k += 1;
    const label = `${name} (${k})`;
    taken.add(label);
    nextNumber.set(name, k + 1);
    return label;
  });
}
