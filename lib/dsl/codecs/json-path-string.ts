import * as t from 'io-ts';
import { compileJsonPath } from '../../extract/json-path.js';
import { hasTemplate } from '../../template/has-template.js';

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
export const JsonPathString = new t.Type<string, string, unknown>(
  'a JSON path such as ".status" or "$.items[0].id"',
  (u): u is string => typeof u === 'string',
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c);
    if (hasTemplate(u)) return t.success(u);
    const compiled = compileJsonPath(u);
    return compiled._tag === 'Left' ? t.failure(u, c, compiled.left) : t.success(u);
  },
  (a) => a,
);
export type JsonPathString = string;
