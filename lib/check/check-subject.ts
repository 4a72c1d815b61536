import type { Json } from '../json.js';

/**
 * A response body as checks see it: parsed JSON with its text, or text that is not JSON
 * (`reason` says why, e.g. `Unexpected token < in JSON at position 0`, or `empty body`).
 */
export type Body =
  | { readonly _tag: 'Json'; readonly value: Json; readonly text: string }
  | { readonly _tag: 'NotJson'; readonly text: string; readonly reason: string };

/** What a check reads: the part of an HTTP response that conditions and assertions judge. */
export interface CheckSubject {
  readonly status: number;
  /** Every value of a header, matched case-insensitively; empty when absent. */
  headerValues(name: string): readonly string[];
  readonly body: Body;
}
