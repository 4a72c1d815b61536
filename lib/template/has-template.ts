import { backslashesBefore, escapeOutcome } from './escapes.js';

/**
 * Whether a string holds at least one `{{ ... }}` reference that rendering would replace.
 * Escaped openers (`\{{`, and Rocketship's doubled `\\{{`) are literal text, not templates
 * (see `escapes.ts` for longer runs of backslashes).
 *
 * hasTemplate('{{ job_id }}')      // true
 * hasTemplate('\\{{ literal }}')   // false
 */
export function hasTemplate(s: string): boolean {
  let from = 0;
  for (;;) {
    const i = s.indexOf('{{', from);
    if (i < 0) return false;
    if (!escapeOutcome(backslashesBefore(s, i, from)).literal) return true;
    from = i + 2;
  }
}

// Text up to a `{{` as `hasTemplate` scans it (no `{{` inside, a `{` not followed by another),
// ending before a run of backslashes that is a multiple of four long (none included).
const UP_TO_OPENER = String.raw`(?:[^{]|\{(?!\{))*?(?<!\\)(?:\\{4})*`;

/**
 * {@link hasTemplate} as a regular expression (ECMAScript syntax, as JSON Schema's `pattern`
 * takes it): the escaped openers (1 to 3 backslashes more than a multiple of 4) are skipped, the
 * first `{{` preceded by a multiple of 4 backslashes matches.
 *
 * new RegExp(TEMPLATE_PATTERN, 'u').test('{{ .vars.n }}')   // true
 * new RegExp(TEMPLATE_PATTERN, 'u').test('\\{{ n }}')       // false
 */
export const TEMPLATE_PATTERN = String.raw`^(?:${UP_TO_OPENER}\\{1,3}\{\{)*${UP_TO_OPENER}\{\{`;
