/** The queue's name when none is given. */
export const DEFAULT_QUEUE = 'rocketship';

/** How long a run's events and jobs are kept in Redis by default: 24 hours. */
export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;

/** The most entries a run's event stream keeps (each a batch of events); older ones are trimmed. */
export const MAX_STREAM_ENTRIES = 100_000;

/** The Redis stream a run's events travel through. */
export function eventStreamKey(queue: string, runId: string): string {
  return `rocketship:${queue}:run:${runId}:events`;
}

/** The key that says a run was cancelled (read by a worker as it takes one of the run's jobs). */
export function cancelledKey(queue: string, runId: string): string {
  return `rocketship:${queue}:run:${runId}:cancelled`;
}

/** The channel a run's cancellation is published on (the run's id is the message). */
export function cancelChannel(queue: string): string {
  return `rocketship:${queue}:cancel`;
}

/** The field of a job's hash (beside BullMQ's own) that holds the test's last checkpoint (see `Checkpoint`), packed under the job's id + `.checkpoint`. */
export const CHECKPOINT_FIELD = 'rocketship:checkpoint';

/** The BullMQ key prefix of our queues (`rocketship-bull:<queue>:...`). */
export const BULL_PREFIX = 'rocketship-bull';

/** The hash that records a run (its suites, each suite's init, whether it ended): read by `run --attach`. */
export function runRecordKey(queue: string, runId: string): string {
  return `rocketship:${queue}:run:${runId}:record`;
}

/** The key that says which coordinator runs a run (see `takeLease`): one at a time. */
export function coordinatorKey(queue: string, runId: string): string {
  return `rocketship:${queue}:run:${runId}:coordinator`;
}
