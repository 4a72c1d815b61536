import { expect } from 'chai';
import { decodeSuiteText } from '../../lib/dsl/decode-suite.js';
import { formatDslError } from '../../lib/dsl/format-dsl-error.js';
import { unclosedQuote } from '../../lib/dsl/unclosed-quote.js';

describe('dsl/unclosed-quote', () => {
  const errorsOf = (text: string) => {
    const result = decodeSuiteText(text, 's.yaml');
    if (result._tag === 'Right') return expect.fail('decoded');
    return result.left;
  };

  it('finds the opening quote of the string a "Missing closing quote" error is about', () => {
    const text = 'name: q\ntests:\n  - name: "unclosed\n    steps: []\n';
    expect(unclosedQuote(text, text.length)).to.deep.equal({ offset: text.indexOf('"'), quote: '"' });
    const single = "a: 'it''s\n";
    expect(unclosedQuote(single, single.length)).to.deep.equal({ offset: 3, quote: "'" });
    const flow = 'a: { b: "hi } }\n  - c: d\n';
    expect(unclosedQuote(flow, flow.length)).to.deep.equal({ offset: 8, quote: '"' });
    const top = '"never closed\n';
    expect(unclosedQuote(top, top.length)).to.deep.equal({ offset: 0, quote: '"' });
  });

  it('finds nothing when no quoted string runs over the offset', () => {
    expect(unclosedQuote('a: "closed"\nb: 1\n', 14)).to.equal(undefined);
    expect(unclosedQuote('a: [1\n', 5)).to.equal(undefined);
  });

  it('a suite with an unclosed quote: one error, at the line and column where the quote opens (issue 12, item 11)', () => {
    const text =
      'name: q\ntests:\n  - name: t\n    steps:\n      - { name: l, plugin: log, config: { message: "hi } }\n  - name: u\n    steps: []\n';
    const errors = errorsOf(text);
    // The string took in the rest of the file: what the parser says after it is its consequence.
    expect(errors).to.have.length(1);
    expect(errors[0]).to.deep.include({
      line: 5,
      col: 52,
      path: 'tests[0].steps[0].config.message',
      message: 'YAML syntax error: this " is never closed: the string runs from here to the end of the file',
    });
    expect(formatDslError(errors[0]!)).to.equal(
      [
        's.yaml:5:52: YAML syntax error: this " is never closed: the string runs from here to the end of the file',
        '  at tests[0].steps[0].config.message',
        '  |',
        '5 |       - { name: l, plugin: log, config: { message: "hi } }',
        '  |                                                    ^',
      ].join('\n'),
    );
  });

  it('keeps the syntax errors before the quote, and a single quote is named as such', () => {
    const errors = errorsOf("name: [a\ntests:\n  - name: 'open\n");
    expect(errors.map((e) => [e.line, e.col, e.message])).to.deep.include([
      3,
      11,
      "YAML syntax error: this ' is never closed: the string runs from here to the end of the file",
    ]);
  });
});
