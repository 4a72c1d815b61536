import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { MAX_ERRORS } from '../../lib/dsl/cap-errors.js';
import { decodeSuiteText } from '../../lib/dsl/decode-suite.js';
import { formatKeyPath, MAX_KEY_CHARS_SHOWN, MAX_PATH_CHARS_SHOWN } from '../../lib/dsl/key-path.js';

describe('dsl/key-path', () => {
  it('writes indices in brackets, plain keys after dots, other keys quoted', () => {
    expect(formatKeyPath(['tests', 0, 'steps', 1, 'config', 'polling', 'interval'])).to.equal('tests[0].steps[1].config.polling.interval');
    expect(formatKeyPath(['tests', 0, 'steps', 0, 'config', 'headers', 'X-Test'])).to.equal('tests[0].steps[0].config.headers["X-Test"]');
    expect(formatKeyPath(['vars', 'a b', '1x'])).to.equal('vars["a b"]["1x"]');
    expect(formatKeyPath([])).to.equal('');
  });

  it(`cuts a key longer than ${MAX_KEY_CHARS_SHOWN} characters, with …, and never halves a surrogate pair`, () => {
    expect(formatKeyPath(['vars', 'x'.repeat(50_000), 0])).to.equal(`vars["${'x'.repeat(MAX_KEY_CHARS_SHOWN)}…"][0]`);
    expect(formatKeyPath(['k'.repeat(MAX_KEY_CHARS_SHOWN)])).to.equal('k'.repeat(MAX_KEY_CHARS_SHOWN));
    // 99 units, then a pair that the 100th unit would cut: the pair goes whole
    expect(formatKeyPath([`${'a'.repeat(99)}😀tail`])).to.equal(`["${'a'.repeat(99)}…"]`);
  });

  it(`keeps the start and the end of a path longer than ${MAX_PATH_CHARS_SHOWN} characters`, () => {
    const deep = formatKeyPath(['vars', ...Array.from({ length: 400 }, () => 'level'), 'leaf']);
    expect(deep).to.have.length(MAX_PATH_CHARS_SHOWN + 1);
    expect(deep.startsWith('vars.level.level')).to.equal(true);
    expect(deep.endsWith('.level.leaf')).to.equal(true);
    expect(deep).to.include('…');
    // `["😀zz…z"]` then 402 units of `.abcd`/`.abcde`: the last 500 units would start on the
    // emoji's low surrogate. The pair is left out whole.
    const pad = [...Array.from({ length: 78 }, () => 'abcd'), 'abcde', 'abcde'];
    const tail = formatKeyPath(['vars', ...Array.from({ length: 400 }, () => 'level'), `😀${'z'.repeat(95)}`, ...pad]);
    const after = tail.slice(tail.indexOf('…') + 1);
    expect(after.startsWith(`${'z'.repeat(95)}"].abcd`)).to.equal(true);
    expect(/[\ud800-\udfff]/.test(after)).to.equal(false);
  });

  it('a file whose line breaks the parser does not see (CR alone), nested a hundred levels: a thousand errors, their paths bounded', () => {
    // What the fuzz spec once found (it ran out of a 4 GB heap): every error's path held the
    // file's keys, nested, whole.
    const nested = Array.from({ length: 150 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\r');
    const text = `name: suite\rvars:\r${nested}\r${Array.from({ length: 2000 }, (_, i) => `  n${i}: v: w`).join('\r')}\r`;
    const result = decodeSuiteText(text, 'cr.yaml');
    if (E.isRight(result)) return expect.fail('decoded');
    expect(result.left).to.have.length(MAX_ERRORS);
    for (const e of result.left) expect(e.path.length).to.be.at.most(MAX_PATH_CHARS_SHOWN + 1);
  });
});
