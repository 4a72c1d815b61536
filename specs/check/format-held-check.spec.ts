import { expect } from 'chai';
import { formatHeldCheck } from '../../lib/check/format-held-check.js';
import type { CheckResult } from '../../lib/check/check-result.js';

const held = (label: string, matcher: string, expected: CheckResult['expected'], actual: CheckResult['actual']): CheckResult => ({
  _tag: 'Passed',
  label,
  matcher,
  expected,
  actual,
});

describe('check/format-held-check', () => {
  it('reads `expected` as equality with the value it matched', () => {
    expect(formatHeldCheck(held('json_path .status', 'expected', 'failed', 'failed'))).to.equal('json_path .status == "failed"');
    expect(formatHeldCheck(held('status_code', 'expected', 500, 500))).to.equal('status_code == 500');
  });

  it('reads `exists` as a statement', () => {
    expect(formatHeldCheck(held('json_path .error', 'exists', true, true))).to.equal('json_path .error exists');
    expect(formatHeldCheck(held('json_path .result', 'exists', false, false))).to.equal('json_path .result does not exist');
  });

  it('names any other matcher with its operand and the value it matched', () => {
    expect(formatHeldCheck(held('status_code', 'one_of', [500, 503], 503))).to.equal('status_code one_of [500,503] (actual 503)');
    expect(formatHeldCheck(held('header X-State', 'matches', '^fail', 'failed'))).to.equal(
      'header X-State matches "^fail" (actual "failed")',
    );
  });

  it('cuts long values', () => {
    const text = formatHeldCheck(held('json_path .log', 'expected', 'x'.repeat(500), 'x'.repeat(500)), 20);
    expect(text).to.equal(`json_path .log == "${'x'.repeat(18)}…`);
  });
});
