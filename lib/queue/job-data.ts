import type { Packed } from './payload-cipher.js';

/**
 * What a job of the queue holds: the test (sealed when the run has secrets) and where its events
 * go. Its last checkpoint is in a field of the job's hash of its own (`CHECKPOINT_FIELD`), so
 * that a checkpoint does not write the payload again.
 */
export interface JobData {
  readonly v: 1;
  readonly runId: string;
  /** The run's event stream (see `eventStreamKey`). */
  readonly stream: string;
  /** How long the stream is kept after its last event, in ms. */
  readonly retentionMs: number;
  /** The `TestPayload`, packed under the job's id. */
  readonly payload: Packed;
}

/** The first field of a stream entry: the job; then the first event's sequence number; then the events (JSON). */
export type StreamEntry = { readonly job: string; readonly seq: number; readonly events: string };
