import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Json } from '../json.js';
import { writeJson } from '../json-text.js';
import type { LoadedSuite } from '../dsl/index.js';
import type { RunEvent } from '../event/run-event.js';
import type { SequenceState } from '../run/run-sequence.js';
import { pack, unpack, type Packed, type PayloadCipher } from './payload-cipher.js';

/**
 * One suite of a distributed run, as the run's record holds it: its file (as the run named it)
 * and a fingerprint of what it runs (see {@link suiteFingerprint}). A suite's position in the
 * run's list is part of its tests' job ids.
 */
export interface RecordedSuite {
  readonly file: string;
  readonly fingerprint: string;
}

/**
 * What suite `init` came to on the coordinator that ran it: its events (as the runner emitted
 * them, before masking: the record is sealed when the run has secrets), the variables it saved,
 * and its first failure. An attached coordinator replays it instead of running init again.
 */
export interface RecordedInit {
  readonly events: readonly RunEvent[];
  readonly saved: Readonly<Record<string, Json>>;
  readonly failure: SequenceState['failure'];
}

/** Why `run --attach` cannot attach to a run (exit 2): the message says what to do. */
export class AttachError extends Error {
  override readonly name = 'AttachError';
  constructor(readonly info: { readonly runId: string; readonly reason: string }) {
    super(info.reason);
  }
}

/**
 * The fingerprint of a suite as a run runs it: a SHA-256 of the decoded suite (so a change of
 * its content changes it; comments and layout do not), the run's `--var`/`--var-file` values
 * and the positions of the tests chosen (`--test`, `--grep`). `run --attach` refuses a suite
 * whose fingerprint differs from the one the run recorded.
 */
export function suiteFingerprint(
  loaded: LoadedSuite,
  run: { readonly vars: Readonly<Record<string, Json>>; readonly tests: readonly number[] },
): string {
  const text = writeJson({ suite: loaded.suite as unknown as Json, vars: run.vars, tests: [...run.tests] }).text;
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The record of a distributed run in Redis (one hash, `runRecordKey`): the run's suites, written
 * by the coordinator before anything is enqueued; each suite's init, marked `started` when it
 * starts and replaced by its {@link RecordedInit} when it ends (before any of its tests is
 * enqueued); `ended` once the coordinator wrote its reports. Values are packed as job payloads
 * are (sealed under `ROCKETSHIP_QUEUE_KEY` when the run has one), each under its own label. The
 * hash expires `retentionMs` after its last write.
 */
export interface RunRecordStore {
  /** Writes the run's suites (a new run). */
  create(suites: readonly RecordedSuite[]): Promise<void>;
  /** The run's suites, or `undefined` when the run is unknown here (never recorded, or expired). */
  suites(): Promise<readonly RecordedSuite[] | undefined>;
  /** Marks a suite's init as started. */
  initStarted(position: number): Promise<void>;
  /** Writes a suite's init outcome. */
  initEnded(position: number, init: RecordedInit): Promise<void>;
  /** A suite's init: not started, started and not ended, or its outcome. */
  init(
    position: number,
  ): Promise<{ readonly _tag: 'NotStarted' } | { readonly _tag: 'Started' } | ({ readonly _tag: 'Ended' } & RecordedInit)>;
  /** Marks the run as ended (its reports written); returns nothing. */
  ended(): Promise<void>;
  /** When the run ended (epoch ms), or `undefined` while it has not. */
  endedAt(): Promise<number | undefined>;
  /** Pushes the record's expiry `retentionMs` ahead (the run is still going). */
  touch(): Promise<void>;
}

const STARTED = 'started';

/** The {@link RunRecordStore} of one run, on one Redis connection. */
export function runRecordStore(
  redis: Redis,
  key: string,
  run: { readonly runId: string; readonly retentionMs: number; readonly cipher: PayloadCipher | undefined },
): RunRecordStore {
  const label = (field: string) => `${run.runId}/${field}`;
  // One round trip (a pipeline: the two need not be atomic; a write without its expiry is
  // followed by another write or the coordinator's refreshes).
  const write = async (field: string, value: string) => {
    const replies = await redis.pipeline().hset(key, field, value).pexpire(key, run.retentionMs).exec();
    const failed = replies?.find(([error]) => error !== null)?.[0];
    if (failed) throw failed;
  };
  const packed = (field: string, value: unknown) => writeJson(pack(value, label(field), run.cipher) as unknown as Json).text;
  const read = async (field: string, what: string): Promise<unknown> => {
    const text = await redis.hget(key, field);
    return text === null ? undefined : unpack(JSON.parse(text) as Packed, label(field), run.cipher, what);
  };
  return {
    create: (suites) => write('run', packed('run', { v: 1, suites })),
    suites: async () => ((await read('run', 'record')) as { suites: RecordedSuite[] } | undefined)?.suites,
    initStarted: (position) => write(`init/${position}`, STARTED),
    initEnded: (position, init) => write(`init/${position}`, packed(`init/${position}`, init)),
    init: async (position) => {
      const text = await redis.hget(key, `init/${position}`);
      if (text === null) return { _tag: 'NotStarted' };
      if (text === STARTED) return { _tag: 'Started' };
      const init = unpack(JSON.parse(text) as Packed, label(`init/${position}`), run.cipher, 'suite init record') as RecordedInit;
      return { _tag: 'Ended', ...init };
    },
    ended: () => write('ended', String(Date.now())),
    endedAt: async () => {
      const text = await redis.hget(key, 'ended');
      return text === null ? undefined : Number(text);
    },
    touch: async () => {
      await redis.pexpire(key, run.retentionMs);
    },
  };
}
