import { expect } from 'chai';
import fc from 'fast-check';
import { of, type SchedulerLike } from 'rxjs';
import { notYet } from '../../lib/operators/judgement.js';
import { poll, type PollConfig } from '../../lib/operators/poll.js';
import { pollSchedule, type PollScheduleConfig } from '../../lib/plan/poll-schedule.js';
import { createTestScheduler } from '../helpers/marbles.js';

/**
 * What the real `poll` operator does with instant responses that never satisfy it: the send time
 * of each attempt, in virtual time, until it errors (max attempts or timeout).
 */
function sendTimesOfRealPoll(config: Omit<PollConfig<number>, 'judge' | 'scheduler'>): number[] {
  const sent: number[] = [];
  const scheduler = createTestScheduler();
  scheduler.run(() => {
    of(1)
      .pipe(poll({ ...config, scheduler: scheduler as SchedulerLike, judge: () => notYet() }))
      .subscribe({ next: (event) => sent.push(event.startedMs), error: () => undefined });
  });
  return sent;
}

const base = { requestTimeoutMs: 30_000 };

describe('plan/poll-schedule', () => {
  it('the spec example: 2s growing by 1.2 within 5m sends 19 attempts, the last at 256.2s (as poll.ts documents)', () => {
    const s = pollSchedule({ ...base, interval: 2000, timeout: 300_000, backoffCoefficient: 1.2 });
    expect(s.attempts).to.equal(19);
    expect(s.sendTimesMs.slice(0, 5)).to.deep.equal([0, 2000, 4400, 7280, 10736]); // 2000, +2400, +2880, +3456
    expect(s.lastSendMs).to.equal(256_233);
    expect(s.endsBy).to.equal('timeout');
    expect(s.deadCap).to.equal(undefined);
    expect(s.worstCaseMs).to.equal(300_000); // no max_attempts: the deadline
  });

  it('agrees with the poll operator attempt for attempt (send times and count), in virtual time', () => {
    const configs: Array<Omit<PollScheduleConfig, 'requestTimeoutMs'>> = [
      { interval: 2000, timeout: 10_000, backoffCoefficient: 1.5 },
      { interval: 1000, timeout: 5000, maxAttempts: 10 },
      { interval: 1000, timeout: 5000, maxAttempts: 3 },
      { interval: 1000, timeout: 5000 }, // 4000 + 1000 = 5000 is not before the deadline: 5 attempts
      { interval: 300, timeout: 60_000, backoffCoefficient: 2, maxInterval: 5000 },
      { interval: 7, timeout: 1000, backoffCoefficient: 1.01, maxAttempts: 50 },
    ];
    for (const config of configs) {
      const planned = pollSchedule({ ...base, ...config });
      const real = sendTimesOfRealPoll({
        interval: config.interval,
        timeout: config.timeout,
        maxAttempts: config.maxAttempts,
        backoffCoefficient: config.backoffCoefficient,
        maxInterval: config.maxInterval,
      });
      expect(planned.sendTimesMs, JSON.stringify(config)).to.deep.equal(real);
      expect(planned.attempts).to.equal(real.length);
      expect(planned.lastSendMs).to.equal(real[real.length - 1]);
    }
  });

  it('agrees with the poll operator on any settings (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
        fc.double({ min: 1, max: 3, noNaN: true }),
        fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
        (interval, timeout, maxAttempts, backoffCoefficient, maxInterval) => {
          const config = { interval, timeout, maxAttempts, backoffCoefficient, maxInterval };
          const planned = pollSchedule({ ...base, ...config });
          const real = sendTimesOfRealPoll(config);
          expect(planned.sendTimesMs).to.deep.equal(real.slice(0, 1000));
          expect(planned.attempts).to.equal(real.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a dead cap: max_attempts the timeout never lets the poll reach, with the most attempts that fit', () => {
    const s = pollSchedule({ ...base, interval: 1000, timeout: 5000, maxAttempts: 10 });
    expect(s.deadCap).to.deep.equal({ maxAttempts: 10, reachable: 5 });
    expect(s.endsBy).to.equal('timeout');
    expect(s.attempts).to.equal(5);
    // A cap that is reached exactly is alive, and ends the poll.
    const alive = pollSchedule({ ...base, interval: 1000, timeout: 5000, maxAttempts: 5 });
    expect([alive.deadCap, alive.endsBy]).to.deep.equal([undefined, 'max_attempts']);
  });

  it('jitter: the dead cap is judged with the shortest waits, which the real poll draws with random() at 0', () => {
    // Nominal waits of 1s fit 5 attempts in 5s; at -50% (500ms) 9 fit, so a cap of 8 can be reached.
    const reachable = pollSchedule({ ...base, interval: 1000, timeout: 5000, maxAttempts: 8, jitter: 0.5 });
    expect(reachable.deadCap).to.equal(undefined);
    const real = sendTimesOfRealPoll({ interval: 1000, timeout: 5000, maxAttempts: 8, jitter: 0.5, random: () => 0 });
    expect(real).to.have.length(8);
    const dead = pollSchedule({ ...base, interval: 1000, timeout: 5000, maxAttempts: 11, jitter: 0.5 });
    expect(dead.deadCap).to.deep.equal({ maxAttempts: 11, reachable: 10 });
    expect(sendTimesOfRealPoll({ interval: 1000, timeout: 5000, maxAttempts: 11, jitter: 0.5, random: () => 0 })).to.have.length(10);
  });

  it('the worst case: the earlier of the deadline and every request at its full timeout plus the longest waits', () => {
    // 3 attempts of up to 2s each, waits 1s and 2s: 6s + 3s = 9s, before the 60s deadline.
    expect(
      pollSchedule({ interval: 1000, backoffCoefficient: 2, timeout: 60_000, maxAttempts: 3, requestTimeoutMs: 2000 }).worstCaseMs,
    ).to.equal(9000);
    // The same with a 5s deadline: the deadline.
    expect(
      pollSchedule({ interval: 1000, backoffCoefficient: 2, timeout: 5000, maxAttempts: 3, requestTimeoutMs: 2000 }).worstCaseMs,
    ).to.equal(5000);
    // Jitter 0.5 makes the longest waits 1.5s and 3s.
    expect(
      pollSchedule({ interval: 1000, backoffCoefficient: 2, timeout: 60_000, maxAttempts: 3, jitter: 0.5, requestTimeoutMs: 2000 })
        .worstCaseMs,
    ).to.equal(10_500);
  });

  it('max_interval caps the waits, as poll caps them', () => {
    const s = pollSchedule({ ...base, interval: 1000, backoffCoefficient: 2, maxInterval: 5000, timeout: 30_000 });
    expect(s.sendTimesMs).to.deep.equal([0, 1000, 3000, 7000, 12_000, 17_000, 22_000, 27_000]);
  });

  it('a long poll is counted without walking it: 2^31 ms polled every millisecond, and a coefficient a hair above 1', () => {
    const every = pollSchedule({ ...base, interval: 1, timeout: 2 ** 31 - 1 });
    expect(every.attempts).to.equal(2 ** 31 - 1);
    expect(every.lastSendMs).to.equal(2 ** 31 - 2);
    expect(every.sendTimesMs).to.have.length(1000);
    const creeping = pollSchedule({ ...base, interval: 1, timeout: 2 ** 31 - 1, backoffCoefficient: 1.0000001 });
    expect(creeping.attempts).to.be.above(1_000_000);
    expect(creeping.lastSendMs).to.be.below(2 ** 31 - 1);
  });

  it('waits that round to 0 ms and no max_attempts: no bound on the attempts but the deadline', () => {
    const s = pollSchedule({ ...base, interval: 0.1, timeout: 1000 });
    expect(s.attempts).to.equal(undefined);
    expect(s.lastSendMs).to.equal(undefined);
    expect(s.worstCaseMs).to.equal(1000);
    expect(pollSchedule({ ...base, interval: 0.1, timeout: 1000, maxAttempts: 4 }).sendTimesMs).to.deep.equal([0, 0, 0, 0]);
  });

  it('lists at most maxListed send times', () => {
    expect(pollSchedule({ ...base, interval: 10, timeout: 10_000, maxListed: 3 }).sendTimesMs).to.deep.equal([0, 10, 20]);
  });
});
