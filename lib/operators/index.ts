/** Our RxJS operators: usable on any Observable, they import nothing but rxjs. */
export { backoffDelay, type BackoffConfig } from './backoff.js';
export { deadline, DeadlineError, type DeadlineConfig, type DeadlineInfo } from './deadline.js';
export { formatDuration, type DurationPrecision } from './format-duration.js';
export {
  poll,
  PollConfigError,
  PollFailedError,
  PollMaxAttemptsError,
  PollTimeoutError,
  type AttemptOutcome,
  type PollAttempt,
  type PollConfig,
  type PollEvent,
  type PollFailedInfo,
  type PollFailureInfo,
  type PollMaxAttemptsInfo,
  type PollTimeoutInfo,
} from './poll.js';
