import type { Json } from '../json.js';

/**
 * The tokens of a JSON pointer (`/paths/~1jobs/get` -> `['paths', '/jobs', 'get']`), `~1` and
 * `~0` unescaped. `''` and `'/'`-less text give no tokens.
 */
export function pointerTokens(pointer: string): string[] {
  if (!pointer.startsWith('/')) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A JSON pointer made of tokens: `['paths', '/jobs']` -> `/paths/~1jobs`. */
export function toPointer(tokens: readonly string[]): string {
  return tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * A JSON pointer as messages show a place in a document: its tokens joined by dots, as written
 * (`/paths/~1jobs/get/responses/200` -> `paths./jobs.get.responses.200`).
 */
export function dotted(pointer: string): string {
  return pointerTokens(pointer).join('.');
}

/** Whether a JSON value is an object (not an array, not null). */
export function isJsonMap(value: Json | undefined): value is { readonly [k: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
