import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suiteLineOfScript } from '../../lib/plugins/script-location.js';

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
  ].join('\n');
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

  it('gives nothing for a folded scalar, a line past the script, an unknown step or file', () => {
    expect(suiteLineOfScript(file, 14, 1)).to.equal(undefined);
    expect(suiteLineOfScript(file, 5, 9)).to.equal(undefined);
    expect(suiteLineOfScript(file, 4, 1)).to.equal(undefined);
    expect(suiteLineOfScript(file, undefined, 1)).to.equal(undefined);
    expect(suiteLineOfScript(join(file, 'missing'), 5, 1)).to.equal(undefined);
  });
});
