import { expect } from 'chai';
import { planRun } from '../../lib/plan/plan-run.js';
import type { PlanFlag, StepPlan, SuitePlan } from '../../lib/plan/plan-suite.js';

/** A suite plan whose tests take `tests` ms at worst (undefined: a step known only at run time), with init and cleanup. */
function suite(name: string, tests: ReadonlyArray<number | undefined>, init = 0, cleanup = 0, flags: PlanFlag[] = []): SuitePlan {
  const stepOf = (ms: number | undefined): StepPlan => ({
    name: 'x',
    plugin: 'delay',
    phase: 'steps',
    path: 'tests[0].steps[0]',
    line: 1,
    worstCaseMs: ms,
    flags,
  });
  return {
    file: `${name}.yaml`,
    name,
    init: init > 0 ? [stepOf(init)] : [],
    tests: tests.map((ms, index) => ({
      name: `t${index}`,
      index,
      line: 1,
      steps: [stepOf(ms)],
      worstCase: { ms: ms ?? 0, bounded: ms !== undefined },
    })),
    cleanup: cleanup > 0 ? [stepOf(cleanup)] : [],
    initWorstCase: { ms: init, bounded: true },
    cleanupWorstCase: { ms: cleanup, bounded: true },
  };
}

describe('plan/plan-run', () => {
  it('one slot: the tests add up; as many slots as tests: the longest', () => {
    expect(planRun([suite('a', [10, 20, 30])], { concurrency: 1 }).worstCase).to.deep.equal({ ms: 60, bounded: true });
    expect(planRun([suite('a', [10, 20, 30])], { concurrency: 3 }).worstCase).to.deep.equal({ ms: 30, bounded: true });
  });

  it('two slots, first come first served: 30 and 10 start, 20 takes the slot freed at 10, ends at 30; 5 at 30', () => {
    expect(planRun([suite('a', [30, 10, 20, 5])], { concurrency: 2 }).worstCase.ms).to.equal(35);
  });

  it('suite init before its tests, cleanup after its last test', () => {
    expect(planRun([suite('a', [10, 10], 5, 7)], { concurrency: 8 }).worstCase.ms).to.equal(22);
  });

  it('suites share the slots; --sequential runs them one after another', () => {
    const suites = [suite('a', [10, 10], 0, 1), suite('b', [10, 10], 0, 1)];
    expect(planRun(suites, { concurrency: 4 }).worstCase.ms).to.equal(11);
    expect(planRun(suites, { concurrency: 2 }).worstCase.ms).to.equal(21); // b's tests wait for a's slots
    expect(planRun(suites, { concurrency: 4, sequential: true }).worstCase.ms).to.equal(22);
  });

  it("a test whose worst case is known only at run time makes the run's a lower bound", () => {
    expect(planRun([suite('a', [10, undefined])], { concurrency: 1 }).worstCase).to.deep.equal({ ms: 10, bounded: false });
  });

  it('counts tests and steps, gathers the flags in file order, keeps the options; the defaults are 8 at once, all files together', () => {
    const flag: PlanFlag = { _tag: 'DeadCap', level: 'warning', file: 'a.yaml', line: 3, path: 'p', step: 'x', message: 'm' };
    const plan = planRun([suite('a', [1, 2], 1, 1, [flag]), suite('b', [1])]);
    expect([plan.tests, plan.steps, plan.flags.length, plan.concurrency, plan.sequential]).to.deep.equal([3, 5, 4, 8, false]);
    expect(planRun([]).worstCase).to.deep.equal({ ms: 0, bounded: true });
  });
});
