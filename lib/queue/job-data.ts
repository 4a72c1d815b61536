import type { Packed } from './payload-cipher.js';

/** What a job of the queue holds: the test (sealed when the run has secrets), where its events go, and its last checkpoint. */
export interface JobData {
  readonly v: 1;
  readonly runId: string;
  /** The run's event stream (see `eventStreamKey`). */
  readonly stream: string;
  /** How long the stream is kept after its last event, in ms. */
  readonly retentionMs: number;
  /** The `TestPayload`, packed under the job's id. */
  readonly payload: Packed;
  /** The last `Checkpoint`, packed under the job's id + `.checkpoint`. */
  readonly checkpoint?: Packed;
}

/** The first field of a stream entry: the job; then the first event's sequence number; then the events (JSON). */
export type StreamEntry = { readonly job: string; readonly seq: number; readonly events: string };
