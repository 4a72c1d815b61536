import { expect } from 'chai';
import { LEASE_MS, LEASE_RENEW_MS, takeLease } from '../../lib/queue/coordinator-lease.js';
import { queueExecutor } from '../../lib/queue/queue-executor.js';
import { AttachError, suiteFingerprint } from '../../lib/queue/run-record.js';
import { coordinatorKey } from '../../lib/queue/queue-keys.js';
import { suite } from '../helpers/fake-http.js';
import { useRedis } from '../helpers/redis-server.js';

const A = suite('name: a\ntests:\n  - name: t\n    steps:\n      - { name: d, plugin: delay, config: { duration: 1ms } }\n', 'a.yaml');
const named = [{ loaded: A, fingerprint: suiteFingerprint(A, { vars: {}, tests: [0] }) }];

describe('queue/coordinator-lease: one coordinator per run', function () {
  this.timeout(30_000);
  const used = useRedis(this);
  const noLoss = () => expect.fail('the lease was not lost');

  it('is taken by one coordinator at a time, and free again once released', async () => {
    const first = await takeLease(used.client, 'lease:one', { waitMs: 0, onLost: noLoss });
    expect(first._tag).to.equal('Taken');
    const second = await takeLease(used.client, 'lease:one', { waitMs: 0, onLost: noLoss });
    expect(second).to.deep.include({ _tag: 'Held', holder: first._tag === 'Taken' ? first.lease.holder : '' });
    if (first._tag === 'Taken') await first.lease.release();
    const third = await takeLease(used.client, 'lease:one', { waitMs: 0, onLost: noLoss });
    expect(third._tag).to.equal('Taken');
    if (third._tag === 'Taken') await third.lease.release();
  });

  it('waits for the lease of a coordinator that stopped renewing it (killed) to expire', async () => {
    // A killed coordinator's lease: nobody renews it, it expires on its own.
    await used.client.set('lease:killed', 'host/1/dead', 'PX', 400);
    const t0 = Date.now();
    const taken = await takeLease(used.client, 'lease:killed', { waitMs: 3000, onLost: noLoss });
    expect(taken._tag).to.equal('Taken');
    expect(Date.now() - t0).to.be.within(300, 2500);
    if (taken._tag === 'Taken') await taken.lease.release();
  });

  it('is renewed while held, so a live coordinator keeps it', async () => {
    const taken = await takeLease(used.client, 'lease:live', { waitMs: 0, onLost: noLoss });
    await new Promise((r) => setTimeout(r, LEASE_RENEW_MS + 600));
    // Not renewed, it would have LEASE_MS - LEASE_RENEW_MS - 600 ms left.
    expect(await used.client.pttl('lease:live')).to.be.above(LEASE_MS - LEASE_RENEW_MS);
    if (taken._tag === 'Taken') await taken.lease.release();
    expect(await used.client.exists('lease:live')).to.equal(0);
  });

  it('says so once, and stops renewing, when another coordinator took it over', async () => {
    const lost: (string | undefined)[] = [];
    const taken = await takeLease(used.client, 'lease:stolen', { waitMs: 0, onLost: (holder) => lost.push(holder) });
    await used.client.set('lease:stolen', 'other/2/abcd', 'PX', LEASE_MS);
    await new Promise((r) => setTimeout(r, LEASE_RENEW_MS * 2 + 500));
    expect(lost).to.deep.equal(['other/2/abcd']);
    // Releasing leaves the other's lease alone.
    if (taken._tag === 'Taken') await taken.lease.release();
    expect(await used.client.get('lease:stolen')).to.equal('other/2/abcd');
  });

  it('refuses to attach to a run whose coordinator is alive, after waiting a lease out', async () => {
    const first = queueExecutor({ redis: used.redis.url, runId: 'alive' });
    await first.start(named);
    const second = queueExecutor({ redis: used.redis.url, runId: 'alive', attach: true });
    try {
      const error = await second.start(named).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(AttachError);
      expect((error as Error).message).to.match(/^cannot attach to run alive: its coordinator .+ is still running/);
    } finally {
      await second.close();
    }
    // The first coordinator closes (its run not ended: killed runs are attached after their lease expires;
    // a closed one gives the lease back at once).
    await first.close();
    expect(await used.client.exists(coordinatorKey('rocketship', 'alive'))).to.equal(0);
    const third = queueExecutor({ redis: used.redis.url, runId: 'alive', attach: true });
    try {
      const t0 = Date.now();
      await third.start(named);
      expect(Date.now() - t0).to.be.below(LEASE_MS);
    } finally {
      await third.close();
    }
  });
});
