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
