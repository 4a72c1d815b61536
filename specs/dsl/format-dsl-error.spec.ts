import { expect } from 'chai';
import { decodeSuiteText } from '../../lib/dsl/decode-suite.js';
import { formatDslError } from '../../lib/dsl/format-dsl-error.js';

describe('dsl/format-dsl-error', () => {
  it('prints file:line:col, message, path, expected and found, the source line and a caret under the node', () => {
    const text = [
      'name: x',
      'tests:',
      '  - name: t',
      '    steps:',
      '      - name: s',
      '        plugin: http',
      '        config:',
      '          method: GET',
      '          url: https://api.example.com/x',
      '          polling:',
      '            interval: "2 seconds"',
      '            timeout: 1m',
      '            conditions: [{type: status_code, expected: 200}]',
      '',
    ].join('\n');
    const result = decodeSuiteText(text, 'jobs.yaml');
    if (result._tag === 'Right') return expect.fail('decoded');
    expect(result.left).to.have.length(1);
    expect(formatDslError(result.left[0]!)).to.equal(
      [
        'jobs.yaml:11:23: "2 seconds" is not a duration: write a number and a unit (ns, us, ms, s, m, h), e.g. "250ms", "2s", "1.5s", "1m30s"',
        '  at tests[0].steps[0].config.polling.interval',
        '  expected: a duration such as "250ms", "2s", "1.5s", "1m30s"',
        '  found:    "2 seconds"',
        '   |',
        '11 |             interval: "2 seconds"',
        '   |                       ^^^^^^^^^^^',
      ].join('\n'),
    );
  });

  it('leaves out expected/found when the message already says both', () => {
    const out = formatDslError({
      file: 'f.yaml',
      line: 1,
      col: 7,
      path: 'name',
      message: 'expected a non-empty string, found 42',
      expected: 'a non-empty string',
      found: '42',
      source: 'name: 42',
      length: 2,
    });
    expect(out).to.equal(
      ['f.yaml:1:7: expected a non-empty string, found 42', '  at name', '  |', '1 | name: 42', '  |       ^^'].join('\n'),
    );
  });

  it('keeps tabs in the caret padding, names the top level, and clips the caret to the line', () => {
    const out = formatDslError({ file: 'f', line: 2, col: 3, path: '', message: 'm', source: '\t\tx', length: 50 });
    expect(out).to.equal(['f:2:3: m', '  at the top level', '  |', '2 | \t\tx', '  | \t\t^'].join('\n'));
  });

  it('prints no source block for errors without a source line', () => {
    expect(formatDslError({ file: 'gone.yaml', line: 1, col: 1, path: '', message: 'cannot read the file: no such file' })).to.equal(
      'gone.yaml:1:1: cannot read the file: no such file\n  at the top level',
    );
  });
});
