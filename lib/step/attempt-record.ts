import type { CheckResult } from '../check/check-result.js';
import type { AttemptContract } from './contract-check.js';

/** The outcome of one check (a condition or an assertion) on one response. */
export type CheckRecord = CheckResult;

/** One request and what came of it. */
export interface AttemptRecord {
  /** 1-based attempt number within the poll (1 for a step without polling). */
  readonly number: number;
  /** The poll's cap on attempts, when it has one. */
  readonly maxAttempts: number | undefined;
  /** Milliseconds since the step's first request. */
  readonly elapsedMs: number;
  /** The poll's overall deadline in ms, when polling. */
  readonly timeoutMs: number | undefined;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
  };
  readonly outcome:
    | {
        readonly _tag: 'Response';
        readonly status: number;
        /**
         * One key per header, spelled as first received: its value when received once, the list
         * of its values in order when received several times; `Set-Cookie` is always a list.
         * Never joined (see `headerRecord`).
         */
        readonly headers: Readonly<Record<string, string | readonly string[]>>;
        readonly bodyExcerpt: string;
        readonly durationMs: number;
      }
    | { readonly _tag: 'TransportError'; readonly code: string; readonly message: string };
  /** Results of the poll's conditions (empty for a step without polling). */
  readonly conditions: readonly CheckRecord[];
  /** The wait before the next attempt in ms; undefined when this attempt ends the poll. */
  readonly nextDelayMs: number | undefined;
  /** The OpenAPI contract validation of this attempt (request and response), when the step has a contract. */
  readonly contract?: AttemptContract;
}
