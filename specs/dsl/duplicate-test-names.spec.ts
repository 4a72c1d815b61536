import { expect } from 'chai';
import { findDuplicateTestNames, formatDslWarning } from '../../lib/dsl/index.js';
import { suite } from '../helpers/fake-http.js';

const log = '[{ name: s, plugin: log, config: { message: hi } }]';

describe('findDuplicateTestNames', () => {
  it('finds nothing when every test has its own name (names differing only in case or spaces are different)', () => {
    expect(
      findDuplicateTestNames(
        suite(`name: s\ntests:\n  - { name: a, steps: ${log} }\n  - { name: A, steps: ${log} }\n  - { name: "a ", steps: ${log} }\n`),
      ),
    ).to.deep.equal([]);
  });

  it('gives one warning per shared name, at its second use, listing the line of each test', () => {
    const loaded = suite(
      [
        'name: s',
        'tests:',
        `  - { name: x, steps: ${log} }`,
        `  - { name: y, steps: ${log} }`,
        '  - steps: ' + log, // name after steps: the warning points at the name itself
        '    name: y',
        `  - { name: x, steps: ${log} }`,
        '',
      ].join('\n'),
      'f.yaml',
    );
    const warnings = findDuplicateTestNames(loaded);
    expect(warnings.map(({ line, col, path, lines }) => ({ line, col, path, lines }))).to.deep.equal([
      { line: 7, col: 13, path: 'tests[3].name', lines: [3, 7] },
      { line: 6, col: 11, path: 'tests[2].name', lines: [4, 6] },
    ]);
    expect(formatDslWarning(warnings[0]!)).to.equal(
      'f.yaml:7:13: warning: 2 tests are named "x" (lines 3 and 7); they still run and are reported apart, the later ones numbered as in "x (2)"',
    );
  });

  it('quotes a name with control characters so that the warning stays on one printable line', () => {
    const loaded = suite(`name: s\ntests:\n  - { name: "a\\nb\\u001b", steps: ${log} }\n  - { name: "a\\nb\\u001b", steps: ${log} }\n`);
    const [warning] = findDuplicateTestNames(loaded);
    expect(warning?.message).to.match(/^2 tests are named "a\\nb\\u001b" \(lines 3 and 4\)/);
    expect(formatDslWarning(warning!)).not.to.match(/[\n\x1b]/);
  });
});
