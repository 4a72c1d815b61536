import type { LoadedSuite } from './decode-suite.js';
import type { DslWarning } from './dsl-warning.js';
import { formatKeyPath } from './key-path.js';

/**
 * Warns about tests that share a name: one warning per shared name, at its second use, listing
 * the line of every test of that name.
 *
 * Rocketship allows it, and so do we: each test runs, and every report keeps them apart by their
 * position in the file (JSON `index`; JUnit and the console number the later ones, `"Get user
 * (2)"`). But a person reading a CI page tells tests apart by name, hence the warning.
 *
 * @example
 * findDuplicateTestNames(loaded)
 * // [{ file: 'users.yaml', line: 13, col: 11, path: 'tests[2].name', lines: [3, 13],
 * //    message: '2 tests are named "Get user" (lines 3 and 13); they still run and are reported apart, the later ones numbered as in "Get user (2)"' }]
 */
export function findDuplicateTestNames(loaded: LoadedSuite): DslWarning[] {
  const byName = new Map<string, number[]>();
  loaded.suite.tests.forEach((test, index) => {
    const same = byName.get(test.name);
    if (same === undefined) byName.set(test.name, [index]);
    else same.push(index);
  });
  const warnings: DslWarning[] = [];
  for (const [name, indexes] of byName) {
    if (indexes.length < 2) continue;
    // Locations are looked up only here, for the few tests that need them.
    const at = indexes.map((index) => ({
      index,
      ...(loaded.locate(['tests', index, 'name']) ?? loaded.locate(['tests', index]) ?? { line: 1, col: 1 }),
    }));
    const second = at[1]!;
    const lines = at.map((a) => a.line);
    const quoted = JSON.stringify(name);
    warnings.push({
      file: loaded.file,
      line: second.line,
      col: second.col,
      path: formatKeyPath(['tests', second.index, 'name']),
      message: `${lines.length} tests are named ${quoted} (lines ${listed(lines)}); they still run and are reported apart, the later ones numbered as in ${JSON.stringify(`${name} (2)`)}`,
      lines,
    });
  }
  return warnings;
}

// "3 and 13", "3, 13 and 18"
function listed(numbers: readonly number[]): string {
  const all = numbers.map(String);
  const last = all.pop();
  return all.length === 0 ? (last ?? '') : `${all.join(', ')} and ${last}`;
}
