import { expect } from 'chai';
import type { LastRunTest } from '../../lib/report/last-run.js';
import { selectRerun } from '../../lib/report/select-rerun.js';

const entry = (index: number, name: string, outcome: LastRunTest['outcome'], file = '/s/a.yaml'): LastRunTest => ({
  file,
  suite: 'S',
  index,
  name,
  outcome,
});

describe('report/select-rerun', () => {
  it('chooses the tests that failed or errored, not those that passed, in file order', () => {
    const record = { version: 1 as const, tests: [entry(2, 'c', 'errored'), entry(0, 'a', 'passed'), entry(1, 'b', 'failed')] };
    expect(selectRerun(record, new Map([['/s/a.yaml', ['a', 'b', 'c']]]))).to.deep.equal({
      tests: [entry(1, 'b', 'failed'), entry(2, 'c', 'errored')],
      gone: [],
      elsewhere: [],
    });
  });

  it('finds a test moved by an edit (and says where it was), reports one renamed or removed, and leaves files not loaded aside', () => {
    const record = {
      version: 1 as const,
      tests: [entry(0, 'a', 'failed'), entry(1, 'b', 'failed'), entry(0, 'x', 'failed', '/s/other.yaml')],
    };
    const selection = selectRerun(record, new Map([['/s/a.yaml', ['inserted', 'a', 'b-renamed']]]));
    expect(selection.tests).to.deep.equal([{ ...entry(1, 'a', 'failed'), movedFrom: 0 }]);
    expect(selection.gone).to.deep.equal([entry(1, 'b', 'failed')]);
    expect(selection.elsewhere).to.deep.equal([entry(0, 'x', 'failed', '/s/other.yaml')]);
  });

  it('tests that share a name are told apart by position; each position is chosen once', () => {
    const record = { version: 1 as const, tests: [entry(0, 't', 'failed'), entry(1, 't', 'failed'), entry(5, 't', 'failed')] };
    const selection = selectRerun(record, new Map([['/s/a.yaml', ['t', 't']]]));
    expect(selection.tests.map((t) => t.index)).to.deep.equal([0, 1]);
  });

  it('nothing failed: nothing chosen', () => {
    expect(selectRerun({ version: 1, tests: [entry(0, 'a', 'passed')] }, new Map([['/s/a.yaml', ['a']]])).tests).to.deep.equal([]);
  });
});
