/**
 * Whether a proxy named in the environment may apply to a request to `url`: `http_proxy` /
 * `HTTP_PROXY` for an http: URL, `https_proxy` / `HTTPS_PROXY` for an https: one, or
 * `all_proxy` / `ALL_PROXY` for either, set and not empty. The variables axios's proxy lookup
 * (`proxy-from-env`) reads, so `false` means it would pick no proxy; `true` means it may
 * (`NO_PROXY` and axios's own loopback rule can still rule it out: that decision is axios's).
 * Read on every call: the environment may change while a client lives.
 *
 * process.env.http_proxy = 'http://proxy.test:3128';
 * envProxyMayApply('http://api.test/x')    // true
 * envProxyMayApply('https://api.test/x')   // false (no https_proxy, no all_proxy)
 */
export function envProxyMayApply(url: string): boolean {
  const env = process.env;
  const scheme = /^https:/i.test(url) ? 'https' : 'http';
  return isSet(env[`${scheme}_proxy`]) || isSet(env[`${scheme.toUpperCase()}_PROXY`]) || isSet(env['all_proxy']) || isSet(env['ALL_PROXY']);
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}
