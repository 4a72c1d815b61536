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
