import { expect } from 'chai';
import { NEVER } from 'rxjs';
import { queueExecutor } from '../../lib/queue/queue-executor.js';
import { AttachError, suiteFingerprint } from '../../lib/queue/run-record.js';
import { eventStreamKey, runRecordKey } from '../../lib/queue/queue-keys.js';
import { useRedis } from '../helpers/redis-server.js';
import { suite } from '../helpers/fake-http.js';
import { SPEC_QUEUE_KEY } from '../helpers/worker-process.js';

const A = suite('name: a\ntests:\n  - name: t\n    steps:\n      - { name: d, plugin: delay, config: { duration: 1ms } }\n', 'a.yaml');
const B = suite('name: b\ntests:\n  - name: t\n    steps:\n      - { name: d, plugin: delay, config: { duration: 2ms } }\n', 'a.yaml');

describe('queue/run-record: what run --attach checks before it takes a run over', function () {
  this.timeout(30_000);
  const used = useRedis(this);

  /** Starts a run of `A` with run id `runId` (its record written), and closes its coordinator. */
  async function recordRun(runId: string): Promise<void> {
    const first = queueExecutor({ redis: used.redis.url, runId, key: SPEC_QUEUE_KEY });
    await first.start([{ loaded: A, fingerprint: suiteFingerprint(A, { vars: {}, tests: [0] }) }]);
    await first.close();
  }

  /** Why attaching to `runId` with `loaded` is refused, or 'attached'. */
  async function attach(
    runId: string,
    { loaded = A, key = SPEC_QUEUE_KEY, tests = [0] }: { loaded?: typeof A; key?: string | null; tests?: number[] } = {},
  ): Promise<string> {
    const executor = queueExecutor({ redis: used.redis.url, runId, key: key ?? undefined, attach: true });
    try {
      await executor.start([{ loaded, fingerprint: suiteFingerprint(loaded, { vars: {}, tests }) }]);
      return 'attached';
    } catch (error) {
      expect(error).to.be.instanceOf(AttachError);
      return (error as Error).message;
    } finally {
      await executor.close();
    }
  }

  it('fingerprints differ by content, vars and tests chosen; not by file name or layout', () => {
    const base = suiteFingerprint(A, { vars: {}, tests: [0] });
    expect(suiteFingerprint(B, { vars: {}, tests: [0] })).not.to.equal(base);
    expect(suiteFingerprint(A, { vars: { x: 1 }, tests: [0] })).not.to.equal(base);
    expect(suiteFingerprint(A, { vars: {}, tests: [] })).not.to.equal(base);
    const relaid = suite(
      'name: a\ntests:\n- name: t\n  steps:\n  - name: d\n    plugin: delay\n    config:\n      duration: 1ms\n',
      'other.yaml',
    );
    expect(suiteFingerprint(relaid, { vars: {}, tests: [0] })).to.equal(base);
  });

  it('the record is sealed under the key: nothing of the suites in clear text, and attaching without the key is refused', async () => {
    await recordRun('sealed');
    const stored = await used.client.hgetall(runRecordKey('rocketship', 'sealed'));
    expect(Object.keys(stored)).to.deep.equal(['run']);
    expect(stored.run).to.match(/^\{"sealed":"v1\./);
    expect(stored.run).not.to.contain('a.yaml');
    expect(await used.client.pttl(runRecordKey('rocketship', 'sealed'))).to.be.above(23 * 3600 * 1000);
    expect(await attach('sealed', { key: null })).to.match(
      /^cannot attach to run sealed: its record is encrypted; give ROCKETSHIP_QUEUE_KEY/,
    );
    expect(await attach('sealed', { key: 'another-key-0123456789' })).to.match(
      /its record is encrypted; give ROCKETSHIP_QUEUE_KEY the run was given/,
    );
    expect(await attach('sealed')).to.equal('attached');
  });

  it('refuses other tests chosen, an init cut short, a trimmed stream and an ended run', async () => {
    await recordRun('checks');
    expect(await attach('checks', { tests: [] })).to.contain("a.yaml differs from the run's");
    expect(await attach('checks', { loaded: B })).to.contain("a.yaml differs from the run's");

    // A coordinator that stopped during a suite's init (its record says started, not ended).
    await recordRun('cut');
    const cut = queueExecutor({ redis: used.redis.url, runId: 'cut', key: SPEC_QUEUE_KEY });
    await cut.start([{ loaded: A, fingerprint: suiteFingerprint(A, { vars: {}, tests: [0] }) }]);
    const never = cut.suiteInit(A, NEVER).subscribe();
    await new Promise((r) => setTimeout(r, 200));
    never.unsubscribe();
    expect(await used.client.hget(runRecordKey('rocketship', 'cut'), 'init/0')).to.equal('started');
    await cut.close();
    expect(await attach('cut')).to.contain('its coordinator stopped during the suite init of a.yaml');

    // More batches than the stream keeps: the first ones are gone.
    const stream = eventStreamKey('rocketship', 'checks');
    for (let i = 0; i < 3; i += 1) await used.client.xadd(stream, 'MAXLEN', '1', '*', 'job', 'x', 'seq', String(i), 'events', '[]');
    expect(await attach('checks')).to.contain('its event stream was trimmed (3 batches written, 1 kept)');
    await used.client.del(stream);

    const ended = queueExecutor({ redis: used.redis.url, runId: 'checks', key: SPEC_QUEUE_KEY, attach: true });
    await ended.start([{ loaded: A, fingerprint: suiteFingerprint(A, { vars: {}, tests: [0] }) }]);
    await ended.finish();
    await ended.close();
    expect(await attach('checks')).to.match(/^cannot attach to run checks: it ended at \d{4}-/);
  });
});
