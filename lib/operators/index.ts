/** Our RxJS operators: usable on any Observable, they import nothing but rxjs. */
export { backoffDelay, type BackoffConfig } from './backoff.js';
export { deadline, DeadlineError, type DeadlineConfig, type DeadlineInfo } from './deadline.js';
export { formatDuration, type DurationPrecision } from './format-duration.js';
export { done, failed, notYet, type Done, type Failed, type Judgement, type NotYet } from './judgement.js';
export {
  poll,
  PollConfigError,
  PollFailedError,
  PollMaxAttemptsError,
  PollTimeoutError,
  type AttemptOutcome,
  type AttemptTiming,
  type PollConfig,
  type PollDone,
  type PollEvent,
  type PollFailedInfo,
  type PollFailureInfo,
  type PollMaxAttemptsInfo,
  type PollPending,
  type PollResume,
  type PollTimeoutInfo,
} from './poll.js';
export { pollUntil, type PollUntilConfig } from './poll-until.js';
