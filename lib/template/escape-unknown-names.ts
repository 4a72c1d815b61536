import type { Json } from '../json.js';
import { escapeOutcome } from './escapes.js';
import type { TemplateContext } from './template-context.js';

/** The most levels of lists and maps walked (a check nests far less). */
const MAX_DEPTH = 100;

/**
 * `value` with every `{{ name }}` whose name is neither saved nor a var escaped to a literal
 * `{{ name }}`: Rocketship renders a `sql` step's assertions this way (only `.vars`, `.env` and
 * known runtime variables are replaced), so that `expected: "Escaped: {{ placeholder }}"` compares
 * with the text `{{ placeholder }}`. References with a scope (`.vars.x`, `.env.X`) are untouched.
 *
 * escapeUnknownNames('id {{ user_id }}, {{ placeholder }}', { saved: { user_id: 7 }, vars: {}, env: {}, secrets: {} })
 * // 'id {{ user_id }}, \\{{ placeholder }}'
 */
export function escapeUnknownNames<A extends Json>(value: A, ctx: TemplateContext, depth = 0): A {
  if (typeof value === 'string') return escapeText(value, ctx) as A;
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => escapeUnknownNames(v as Json, ctx, depth + 1)) as unknown as A;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) out[k] = escapeUnknownNames(v as Json, ctx, depth + 1);
  return out as A;
}

function escapeText(text: string, ctx: TemplateContext): string {
  if (!text.includes('{{')) return text;
  return text.replace(
    /(\\*)\{\{(\s*)([A-Za-z_][\w-]*(?:\.[\w-]+)*)(\s*)\}\}/g,
    (match, slashes: string, before: string, name: string, after: string) => {
      if (escapeOutcome(slashes.length).literal) return match;
      const root = name.split('.')[0] as string;
      const known = Object.prototype.hasOwnProperty.call(ctx.saved, root) || Object.prototype.hasOwnProperty.call(ctx.vars, root);
      return known ? match : `${slashes}\\{{${before}${name}${after}}}`;
    },
  );
}
