/**
 * The candidate closest to a misspelt word, when one is close enough to be a likely typo.
 *
 * Closeness is the Damerau-Levenshtein distance (insertions, deletions, substitutions and
 * swaps of neighbours each cost 1) compared case-insensitively. A candidate is suggested when
 * the distance is at most 1 for short words (up to 4 characters) and at most 2 otherwise, or
 * when the words differ only in `_` and `-` (`maxattempts`), or when the word is the start of
 * a candidate and at least 4 letters long (`status` -> `status_code`). Ties go to the
 * candidate listed first.
 *
 * didYouMean('intervall', ['interval', 'timeout'])   // 'interval'
 * didYouMean('banana', ['interval', 'timeout'])      // undefined
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    if (c === w) return candidate;
    // The distance is at least the difference in length; past 2 only the rules below can
    // suggest, so skip the quadratic table (a 100 KB word would fill one per candidate).
    const gap = Math.abs(w.length - c.length);
    const d = gap > 2 ? gap : distance(w, c);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.min(word.length, best.length) <= 4 ? 1 : 2;
  if (bestDistance <= limit) return best;
  const squash = (s: string): string => s.toLowerCase().replace(/[_-]/g, '');
  const sw = squash(word);
  const squashed = candidates.find((c) => squash(c) === sw);
  if (squashed !== undefined || sw.length < 4) return squashed;
  // A word cut short (`status` for `status_code`, `max` is too short to guess from).
  return candidates.find((c) => squash(c).startsWith(sw));
}

/** Optimal-string-alignment distance: edits plus swaps of adjacent characters. Three rows, not a table. */
function distance(a: string, b: string): number {
  const cols = b.length + 1;
  let before = new Int32Array(cols); // row i - 2
  let previous = Int32Array.from({ length: cols }, (_, j) => j); // row i - 1
  let row = new Int32Array(cols);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (before[j - 2] as number) + 1);
      row[j] = v;
    }
    [before, previous, row] = [previous, row, before];
  }
  return previous[cols - 1] as number;
}
