import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceColumn, suitePlaceOfScript } from '../../lib/plugins/script-location.js';

describe('plugins/script-location', () => {
  const yaml = [
    'name: s', //                                                      1
    'tests:', //                                                       2
    '  - name: t', //                                                  3
    '    steps:', //                                                   4
    '      - name: block', //                                          5
    '        plugin: script', //                                       6
    '        config:', //                                              7
    '          language: javascript', //                               8
    '          script: |  # a comment', //                             9
    '', //                                                             10
    '            save("a", 1);', //                                    11
    '            throw 1;', //                                         12
    "      - { name: flow, plugin: script, config: { language: javascript, script: 'throw 2' } }", // 13
    '      - name: folded', //                                         14
    '        plugin: script', //                                       15
    '        config:', //                                              16
    '          language: javascript', //                               17
    '          script: >', //                                          18
    '            throw 3', //                                          19
    '      - { name: plain, plugin: script, config: { language: javascript, script: throw 4 } }', // 20
    '      - { name: escaped, plugin: script, config: { language: javascript, script: "x\\ty" } }', // 21
  ].join('\n');
  const suiteLineOfScript = (f: string, step: number | undefined, line: number) => suitePlaceOfScript(f, step, line)?.line;
  let file: string;
  before(() => {
    file = join(mkdtempSync(join(tmpdir(), 'rocketship-location-')), 'rocketship.yaml');
    writeFileSync(file, yaml);
  });

  it('maps a line of a literal block to the line of the file (blank lines count)', () => {
    expect(suiteLineOfScript(file, 5, 1)).to.equal(10);
    expect(suiteLineOfScript(file, 5, 3)).to.equal(12);
  });

  it('maps line 1 of a one-line scalar to its line', () => {
    expect(suiteLineOfScript(file, 13, 1)).to.equal(13);
    expect(suiteLineOfScript(file, 13, 2)).to.equal(undefined);
  });

  it('maps a column of a literal block past its indentation, and of a one-line scalar past its quote', () => {
    expect(suitePlaceOfScript(file, 5, 3, 1)).to.deep.equal({ line: 12, column: 13 });
    expect(suitePlaceOfScript(file, 5, 2, 5)).to.deep.equal({ line: 11, column: 17 });
    // `script: 'throw 2'`: the quote is at column 79, the text one column later.
    expect(suitePlaceOfScript(file, 13, 1, 1)).to.deep.equal({ line: 13, column: 80 });
    expect(suitePlaceOfScript(file, 20, 1, 7)).to.deep.equal({ line: 20, column: 86 });
    // With an escape the columns of the text are not the script's: the line only.
    expect(suitePlaceOfScript(file, 21, 1, 2)).to.deep.equal({ line: 21 });
    // A blank line of a block: no column to tell.
    expect(suitePlaceOfScript(file, 5, 1, 1)).to.deep.equal({ line: 10 });
  });

  it('sourceColumn: a column of the rendered script, in the script as written', () => {
    const source = 'const a = 1;\nassert({{ n }} > 5, "n")\nnull.x';
    const rendered = 'const a = 1;\nassert(3 > 5, "n")\nnull.x';
    // Lines without a template: as they are.
    expect(sourceColumn(source, rendered, 3, 5)).to.equal(5);
    // Before the template, after it (counted from the end), and inside its value (the template).
    expect(sourceColumn(source, rendered, 2, 1)).to.equal(1);
    expect(sourceColumn(source, rendered, 2, 12)).to.equal(18);
    expect(sourceColumn(source, rendered, 2, 8)).to.equal(8);
    expect(sourceColumn('x = {{ a }}{{ b }}', 'x = "aaa""bbb"', 1, 9)).to.equal(5);
  });

  it('gives nothing for a folded scalar, a line past the script, an unknown step or file', () => {
    expect(suiteLineOfScript(file, 14, 1)).to.equal(undefined);
    expect(suiteLineOfScript(file, 5, 9)).to.equal(undefined);
    expect(suiteLineOfScript(file, 4, 1)).to.equal(undefined);
    expect(suiteLineOfScript(file, undefined, 1)).to.equal(undefined);
    expect(suiteLineOfScript(join(file, 'missing'), 5, 1)).to.equal(undefined);
  });
});
