/**
 * A short human description of a decoded YAML value, as shown after `found:` in errors.
 *
 * Strings are quoted (and cut after 40 characters), numbers and booleans are shown as
 * written, collections by their kind, and an absent value as `nothing`.
 *
 * describeValue('2 seconds')   // '"2 seconds"'
 * describeValue(5)             // '5'
 * describeValue([1, 2])        // 'a list'
 * describeValue(null)          // 'null (an empty value)'
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (typeof value === 'string') {
    const cut = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(cut);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a map';
  return typeof value;
}

/** Whether a value is a YAML map decoded to a plain object (not a list, not null). */
export function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own-property lookup that never reaches `Object.prototype` (a key named `constructor` is data). */
export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}
