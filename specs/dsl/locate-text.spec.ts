import { expect } from 'chai';
import { sourceOffset } from '../../lib/dsl/locate-text.js';

/** The span of `{{ ... }}` at `open` in `value`, whole. */
const whole = (value: string, open: number) => ({ open, from: open, to: value.indexOf('}}', open) + 2 });

describe('dsl/locate-text', () => {
  it('a plain scalar: the offsets are the same', () => {
    const value = 'http://x/{{ id }}';
    expect(sourceOffset(value, value, whole(value, 9))).to.deep.equal({ offset: 9, length: 8 });
  });

  it('quoted with escapes before the template: found by its "{{"', () => {
    const value = 'a"b\tc {{ id }}';
    expect(sourceOffset('"a\\"b\\tc {{ id }}"', value, whole(value, 6))).to.deep.equal({ offset: 9, length: 8 });
    expect(sourceOffset("'it''s {{ id }}'", "it's {{ id }}", whole("it's {{ id }}", 5))).to.deep.equal({ offset: 7, length: 8 });
  });

  it('the n-th "{{" of the value is the n-th of the source, overlapping ones included', () => {
    const value = '{{{ a }} {{ b }}';
    // `{{{ a }}` holds two openers (at 0 and 1); `{{ b }}` is the third
    expect(sourceOffset(`"${value}"`, value, whole(value, 9))).to.deep.equal({ offset: 10, length: 7 });
  });

  it('a character inside the template (a syntax error), and a span cut by a line fold: the "{{" only', () => {
    const value = 'x {{ a b }}';
    expect(sourceOffset(value, value, { open: 2, from: 7, to: 8 })).to.deep.equal({ offset: 7, length: 1 });
    expect(sourceOffset('"x {{\n  a }}"', 'x {{ a }}', whole('x {{ a }}', 2))).to.deep.equal({ offset: 3, length: 2 });
  });

  it('no "{{" in the source where the value has one (written as an escape): not found', () => {
    expect(sourceOffset('"\\x7b\\x7b a }}"', '{{ a }}', whole('{{ a }}', 0))).to.equal(undefined);
  });
});
