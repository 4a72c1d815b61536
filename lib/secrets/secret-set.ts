/** The shortest text a {@link SecretSet} looks for; shorter patterns are ignored. */
export const MIN_PATTERN_LENGTH = 4;

/** Options of {@link createSecretSet}. */
export interface SecretSetConfig {
  /**
   * The most values kept. When a new value would pass it, the value learned or seen longest ago
   * is forgotten with its patterns (a server that rotates a cookie on every response must not
   * make a long poll cost more with every attempt). Default: no limit.
   */
  readonly maxValues?: number;
}

/**
 * A set of secret values, each with the patterns (its encodings) to look for, searched in a
 * single pass over a text whatever the number of patterns. See {@link createSecretSet}.
 */
export interface SecretSet {
  /**
   * Adds `value` with its patterns, which `patternsOf(value)` gives only when the value is new
   * (those shorter than {@link MIN_PATTERN_LENGTH} are ignored). A value already present is
   * refreshed instead (it becomes the most recent). Returns whether it is new.
   */
  add(value: string, patternsOf: (value: string) => readonly string[]): boolean;
  /** Whether `value` is in the set. */
  has(value: string): boolean;
  /** Values in the set. */
  readonly size: number;
  /**
   * Appends the `[start, end)` offsets of every occurrence of every pattern in `text` to
   * `spans` (overlapping occurrences included; the caller merges them).
   */
  collect(text: string, spans: number[]): void;
  /**
   * Where a pattern was cut off at `end`: the smallest `p` such that `text.slice(p, end)`, at
   * least {@link MIN_PATTERN_LENGTH} long, is the start of a longer pattern; `-1` when none is.
   */
  cutStart(text: string, end: number): number;
}

/**
 * Creates an empty {@link SecretSet}.
 *
 * Why not one RegExp alternation of every pattern: V8 tries the alternatives one by one at each
 * position, so the cost of a scan grows with the number of patterns, and rebuilding the RegExp
 * costs more with every value added. A run against a load balancer that sets a fresh cookie on
 * every response learned thousands of values and slowed down until its polls timed out.
 *
 * Here every pattern is filed under a hash of its first four characters. A scan hashes each
 * four-character window of the text once, skips it at once unless a small counting filter says
 * some pattern starts that way, and only then compares the few patterns filed there. So:
 * - a scan costs O(text length), plus a comparison per actual candidate, for any number of
 *   patterns;
 * - adding or forgetting a value costs O(its patterns); nothing is rebuilt.
 *
 * const set = createSecretSet();
 * set.add('s3cr3t', (v) => [v, `${v}%21`]);
 * const spans: number[] = [];
 * set.collect('a=s3cr3t&b=x', spans);   // spans: [2, 8]
 */
export function createSecretSet(config: SecretSetConfig = {}): SecretSet {
  const maxValues = config.maxValues ?? Infinity;
  // Values in recency order (a Map iterates in insertion order: the first is the oldest).
  const values = new Map<string, readonly string[]>();
  // Patterns with the number of values that have them (two values may share an encoding).
  const patterns = new Map<string, number>();
  const buckets = new Map<number, string[]>();
  // Allocated with the first pattern: a worker makes sets for every test, most of which learn nothing.
  let filter = NO_PATTERNS;
  let longest = 0;

  const addPattern = (pattern: string): void => {
    const count = patterns.get(pattern);
    if (count !== undefined) {
      patterns.set(pattern, count + 1);
      return;
    }
    patterns.set(pattern, 1);
    if (filter === NO_PATTERNS) filter = new Uint16Array(FILTER_SLOTS);
    const hash = windowHash(pattern, 0);
    const bucket = buckets.get(hash);
    if (bucket === undefined) buckets.set(hash, [pattern]);
    else bucket.push(pattern);
    filter[hash & FILTER_MASK] = Math.min(0xffff, (filter[hash & FILTER_MASK] as number) + 1);
    if (pattern.length > longest) longest = pattern.length;
  };

  const removePattern = (pattern: string): void => {
    const count = patterns.get(pattern);
    if (count === undefined) return;
    if (count > 1) {
      patterns.set(pattern, count - 1);
      return;
    }
    patterns.delete(pattern);
    const hash = windowHash(pattern, 0);
    const bucket = buckets.get(hash);
    if (bucket !== undefined) {
      const at = bucket.indexOf(pattern);
      if (at >= 0) bucket.splice(at, 1);
      if (bucket.length === 0) buckets.delete(hash);
    }
    const slot = hash & FILTER_MASK;
    // A saturated counter stays set: a false "maybe" only costs a map lookup.
    if ((filter[slot] as number) < 0xffff) filter[slot] = Math.max(0, (filter[slot] as number) - 1);
  };

  return {
    add(value, patternsOf) {
      const known = values.get(value);
      if (known !== undefined) {
        values.delete(value);
        values.set(value, known);
        return false;
      }
      const kept = [...new Set(patternsOf(value))].filter((p) => p.length >= MIN_PATTERN_LENGTH);
      values.set(value, kept);
      for (const p of kept) addPattern(p);
      while (values.size > maxValues) {
        const oldest = values.keys().next().value as string;
        for (const p of values.get(oldest) ?? []) removePattern(p);
        values.delete(oldest);
      }
      return true;
    },
    has: (value) => values.has(value),
    get size() {
      return values.size;
    },
    collect(text, spans) {
      if (patterns.size === 0) return;
      const last = text.length - MIN_PATTERN_LENGTH;
      for (let i = 0; i <= last; i += 1) {
        const hash = windowHash(text, i);
        if (filter[hash & FILTER_MASK] === 0) continue;
        const bucket = buckets.get(hash);
        if (bucket === undefined) continue;
        for (const p of bucket) if (text.startsWith(p, i)) spans.push(i, i + p.length);
      }
    },
    cutStart(text, end) {
      if (patterns.size === 0) return -1;
      for (let p = Math.max(0, end - longest + 1); p <= end - MIN_PATTERN_LENGTH; p += 1) {
        const hash = windowHash(text, p);
        if (filter[hash & FILTER_MASK] === 0) continue;
        const bucket = buckets.get(hash);
        if (bucket === undefined) continue;
        const piece = text.slice(p, end);
        for (const candidate of bucket) if (candidate.length > piece.length && candidate.startsWith(piece)) return p;
      }
      return -1;
    },
  };
}

/** Slots of the counting filter: 4096 (8 KiB), so that a set per running test stays cheap. */
const FILTER_SLOTS = 4096;
const FILTER_MASK = FILTER_SLOTS - 1;
/** The filter of a set that never held a pattern: all zeros, shared, never written. */
const NO_PATTERNS = new Uint16Array(FILTER_SLOTS);

/** FNV-1a over the four UTF-16 code units at `i`. */
function windowHash(text: string, i: number): number {
  let h = 0x811c9dc5;
  h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ text.charCodeAt(i + 1), 0x01000193);
  h = Math.imul(h ^ text.charCodeAt(i + 2), 0x01000193);
  h = Math.imul(h ^ text.charCodeAt(i + 3), 0x01000193);
  return h >>> 0;
}
