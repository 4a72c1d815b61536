import { expect } from 'chai';
import { WARM_UP_TESTS, warmUp } from '../../scripts/warm-up.js';

describe("warmUp (the warm-up run of the CLI's code cache)", () => {
  it('runs its whole suite to a pass against the in-memory client: http with a poll, saves, log and delay', async () => {
    const result = await warmUp();
    // every test passes, so the passing path of each step kind is what gets compiled
    expect(result.passed).to.equal(WARM_UP_TESTS);
    // create, the poll's 2 attempts (the fake job is done from its 2nd request on) and get
    expect(result.requests).to.equal(4);
    expect(result.output).to.match(/\[warm-up\] \[create and poll\] \[wait\] passed after 2 attempts/);
    expect(result.output).to.match(/log: job 1 done/);
    expect(result.output).to.match(/2 passed, 0 failed, 0 skipped/);
  });

  it('can run again in the same process (nothing it sets up is left behind)', async () => {
    const first = await warmUp();
    const second = await warmUp();
    expect(second.events).to.equal(first.events);
    expect(second.passed).to.equal(WARM_UP_TESTS);
  });
});
