import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';

/**
 * How long a coordinator's hold on its run lasts without renewal, and how often it renews it:
 * a coordinator killed outright frees its run within `LEASE_MS`, when `run --attach` may take
 * it over; one alive renews three times per lease, so a stall of the event loop shorter than
 * two renewals does not lose it.
 */
export const LEASE_MS = 10_000;
export const LEASE_RENEW_MS = LEASE_MS / 4;

/** How often an attaching coordinator tries again while the run's lease is held. */
const TAKE_RETRY_MS = 500;

// Renew or give back only a lease that is still ours (another coordinator may have taken it).
const RENEW = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;

/** Who holds a run's lease: what a refused attach names. */
export type LeaseHolder = string;

/** A coordinator's hold on its run; see {@link takeLease}. */
export interface CoordinatorLease {
  /** Who this coordinator is (`host/pid/random`), as other coordinators see it. */
  readonly holder: LeaseHolder;
  /** Stops renewing and gives the lease back (if still ours): the run can be attached to at once. */
  release(): Promise<void>;
}

/** What {@link takeLease} came to. */
export type LeaseTaken =
  | { readonly _tag: 'Taken'; readonly lease: CoordinatorLease }
  | { readonly _tag: 'Held'; readonly holder: LeaseHolder; readonly waitedMs: number };

/**
 * Takes the run's coordinator lease (a Redis key holding who coordinates it, expiring after
 * {@link LEASE_MS} unless renewed), and renews it every {@link LEASE_RENEW_MS} until released.
 * Only one coordinator runs a run at a time: a new run takes its lease at once; `run --attach`
 * waits up to `waitMs` for the lease of a coordinator that was killed to expire, and is refused
 * (`Held`) when the lease is still renewed, as a live coordinator renews it.
 *
 * A renewal that finds the lease gone or another's (this process stalled longer than a lease,
 * and another coordinator attached meanwhile) calls `onLost` once and stops renewing.
 *
 * const taken = await takeLease(redis, 'rocketship:q:run:abc:coordinator', { waitMs: 0, onLost: log });
 */
export async function takeLease(
  redis: Redis,
  key: string,
  options: { readonly waitMs: number; readonly onLost: (holder: LeaseHolder | undefined) => void },
): Promise<LeaseTaken> {
  const holder = `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
  const started = Date.now();
  for (;;) {
    if ((await redis.set(key, holder, 'PX', LEASE_MS, 'NX')) === 'OK') break;
    const current = await redis.get(key);
    // Gone between the SET and the GET (its holder just gave it back): try again at once.
    if (current === null) continue;
    const waitedMs = Date.now() - started;
    if (waitedMs >= options.waitMs) return { _tag: 'Held', holder: current, waitedMs };
    await new Promise((resolve) => setTimeout(resolve, Math.min(TAKE_RETRY_MS, options.waitMs - waitedMs)));
  }
  let released = false;
  const timer = setInterval(() => {
    void (redis.eval(RENEW, 1, key, holder, LEASE_MS) as Promise<number>).then(
      async (renewed) => {
        if (renewed === 1 || released) return;
        clearInterval(timer);
        options.onLost((await redis.get(key).catch(() => null)) ?? undefined);
      },
      // Redis away: the run's outage handling says so; the next renewal tries again.
      () => undefined,
    );
  }, LEASE_RENEW_MS);
  // The lease must not keep a process alive that has nothing else to do.
  timer.unref();
  return {
    _tag: 'Taken',
    lease: {
      holder,
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        await redis.eval(RELEASE, 1, key, holder);
      },
    },
  };
}
