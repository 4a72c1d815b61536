import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * ../shared, beside the checkout (and beside CI's clone): the product document and Rocketship's
 * example suites, read in place, never copied. Specs read it through these helpers so that a
 * checkout without it fails the specs that need it, one by one, instead of crashing mocha while
 * it loads the spec files.
 */
export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));

/** The text of a file under ../shared, or '' when it is missing (the spec's own checks then fail). */
export function readShared(path: string): string {
  const full = `${SHARED}${path}`;
  return existsSync(full) ? readFileSync(full, 'utf8') : '';
}

/** Whether ../shared is beside the checkout (CI lays it there; a user's fresh clone may not have it). */
export const SHARED_PRESENT = existsSync(SHARED);

/**
 * For a `before` hook: skips the enclosing `describe`, with one line saying why and how to get
 * it, when ../shared is not beside the checkout; its tests then show as pending, not failed.
 *
 * before(function () { skipWithoutShared(this, 'the product document'); });
 */
export function skipWithoutShared(context: Mocha.Context, what: string): void {
  if (SHARED_PRESENT) return;
  console.log(`      skipped: ${what} lives in ../shared, which is not beside this checkout (${SHARED}); CI lays it there`);
  context.skip();
}
