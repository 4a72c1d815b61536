import type { Json } from '../json.js';

/**
 * Merges `over` onto `base` deeply: maps merge key by key, anything else in `over` replaces.
 * Used for `--var-file` and `--var` over a file's `vars`.
 *
 * mergeVars({ api: { url: 'a', key: 'k' } }, { api: { url: 'b' } })   // { api: { url: 'b', key: 'k' } }
 */
export function mergeVars(base: Readonly<Record<string, Json>>, over: Readonly<Record<string, Json>>): Record<string, Json> {
  const out: Record<string, Json> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    out[key] = isMap(prior) && isMap(value) ? mergeVars(prior, value) : value;
  }
  return out;
}

function isMap(v: Json | undefined): v is Readonly<Record<string, Json>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
