import * as t from 'io-ts';
import { hasTemplate } from '../../template/has-template.js';

/**
 * An absolute `http://` or `https://` URL. A URL holding a template (`{{ .vars.base_url }}/x`)
 * is only known once rendered and is accepted as written.
 *
 * HttpUrl.decode('https://api.example.com/jobs/123')   // Right(...)
 * HttpUrl.decode('api.example.com/jobs')               // Left: url must be absolute ...
 */
export const HttpUrl = new t.Type<string, string, unknown>(
  'an absolute http(s) URL such as "https://api.example.com/jobs"',
  (u): u is string => typeof u === 'string',
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c);
    if (hasTemplate(u)) return t.success(u);
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      return t.failure(u, c, `url ${JSON.stringify(u)} is not an absolute URL; write it with its scheme, e.g. "https://${u.replace(/^\/+/, '')}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return t.failure(u, c, `url ${JSON.stringify(u)} must use http or https, found ${url.protocol.replace(/:$/, '')}`);
    }
    return t.success(u);
  },
  (a) => a,
);
export type HttpUrl = string;
