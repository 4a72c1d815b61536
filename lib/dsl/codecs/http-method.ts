import * as t from 'io-ts';
import { hasTemplate } from '../../template/has-template.js';
import { unsupportedMessage } from './keyword.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'] as const;

/**
 * An HTTP method, case-insensitive, decoded upper-case (`post` -> `POST`). A template is kept
 * as written and checked once rendered.
 *
 * HttpMethod.decode('post')   // Right('POST')
 * HttpMethod.decode('GETT')   // Left: method "GETT" is not supported; supported: GET, POST, ...; did you mean "GET"?
 */
export const HttpMethod = new t.Type<string, string, unknown>(
  `an HTTP method (${METHODS.join(', ')})`,
  (u): u is string => typeof u === 'string',
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c);
    if (hasTemplate(u)) return t.success(u);
    const upper = u.trim().toUpperCase();
    return (METHODS as readonly string[]).includes(upper) ? t.success(upper) : t.failure(u, c, unsupportedMessage('method', u, METHODS));
  },
  (a) => a,
);
export type HttpMethod = string;
