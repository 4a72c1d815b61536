import * as E from 'fp-ts/lib/Either.js';
import { compileJsonPath } from '../../extract/json-path.js';
import { checkedString } from './checked-string.js';

/**
 * A JSON path expression (`path:` of a `json_path` check, `json_path:` of a save), checked when
 * the file is decoded so that a typo is an error, not a condition that never holds.
 *
 * Accepted: jq-style paths (`.status`, `.items[0].id`, `.headers["X-Custom"]`, `.`,
 * `.items | length`) and JSONPath (`$.a.b`). A path containing a template (`.{{ field }}`) is
 * only known once rendered, so it is accepted here and compiled when the step runs.
 *
 * JsonPathString.decode('.deployment.status')   // Right('.deployment.status')
 * JsonPathString.decode('status')               // Left: the compiler's message naming the accepted forms
 */
export const JsonPathString = checkedString('a JSON path such as ".status" or "$.items[0].id"', (u) => E.map(() => u)(compileJsonPath(u)));
export type JsonPathString = string;
