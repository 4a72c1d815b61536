import { expect } from 'chai';
import { bufferedOutput } from '../../lib/cli/buffered-output.js';

/** A hand-driven clock: `schedule` records the pending flush; `fire` runs it. */
function manualSchedule() {
  const pending: Array<{ flush: () => void; ms: number; cancelled: boolean }> = [];
  return {
    pending,
    schedule: (flush: () => void, ms: number) => {
      const entry = { flush, ms, cancelled: false };
      pending.push(entry);
      return () => void (entry.cancelled = true);
    },
    fire: () => {
      for (const e of pending.splice(0)) if (!e.cancelled) e.flush();
    },
    live: () => pending.filter((e) => !e.cancelled).length,
  };
}

describe('bufferedOutput', () => {
  it('writes nothing until the delay has passed, then everything at once, in order', () => {
    const clock = manualSchedule();
    const written: string[] = [];
    const out = bufferedOutput({ write: (s) => written.push(s), schedule: clock.schedule, maxDelayMs: 50 });
    out.write('a\n');
    out.write('b\n');
    expect(written).to.deep.equal([]);
    expect(clock.pending.map((p) => p.ms)).to.deep.equal([50]); // one timer for the whole batch
    clock.fire();
    expect(written).to.deep.equal(['a\nb\n']);
  });

  it('starts a new batch, with a new timer, after a flush', () => {
    const clock = manualSchedule();
    const written: string[] = [];
    const out = bufferedOutput({ write: (s) => written.push(s), schedule: clock.schedule });
    out.write('a\n');
    clock.fire();
    out.write('b\n');
    expect(clock.live()).to.equal(1);
    clock.fire();
    expect(written).to.deep.equal(['a\n', 'b\n']);
  });

  it('writes at once when the batch reaches maxChars', () => {
    const clock = manualSchedule();
    const written: string[] = [];
    const out = bufferedOutput({ write: (s) => written.push(s), schedule: clock.schedule, maxChars: 4 });
    out.write('ab');
    expect(written).to.deep.equal([]);
    out.write('cd'); // 4 characters: full
    expect(written).to.deep.equal(['abcd']);
    expect(clock.live()).to.equal(0); // the timer of the flushed batch is cancelled
  });

  it('with maxChars 0 writes every text at once (a terminal)', () => {
    const clock = manualSchedule();
    const written: string[] = [];
    const out = bufferedOutput({ write: (s) => written.push(s), schedule: clock.schedule, maxChars: 0 });
    out.write('a');
    out.write('b');
    expect(written).to.deep.equal(['a', 'b']);
    expect(clock.live()).to.equal(0);
  });

  it('flush passes on what is queued and cancels the timer; with nothing queued it writes nothing', () => {
    const clock = manualSchedule();
    const written: string[] = [];
    const out = bufferedOutput({ write: (s) => written.push(s), schedule: clock.schedule });
    out.flush();
    expect(written).to.deep.equal([]);
    out.write('x\n');
    out.flush();
    expect(written).to.deep.equal(['x\n']);
    expect(clock.live()).to.equal(0);
    clock.fire();
    expect(written).to.deep.equal(['x\n']);
  });

  it('ignores empty texts (no timer for nothing)', () => {
    const clock = manualSchedule();
    const out = bufferedOutput({ write: () => expect.fail('nothing to write'), schedule: clock.schedule });
    out.write('');
    expect(clock.live()).to.equal(0);
  });

  it("by default flushes on an unref'd timer after maxDelayMs", async () => {
    const written: string[] = [];
    const out = bufferedOutput({ write: (s) => written.push(s), maxDelayMs: 5 });
    out.write('late\n');
    expect(written).to.deep.equal([]);
    await new Promise((r) => setTimeout(r, 30));
    expect(written).to.deep.equal(['late\n']);
  });
});
