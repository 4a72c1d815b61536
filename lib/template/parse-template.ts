import * as E from 'fp-ts/lib/Either.js';
import { backslashesBefore, escapeOutcome } from './escapes.js';
import { quote, TemplateError } from './template-error.js';

/**
 * Where a reference looks its name up.
 * - `auto`: `{{ name }}`, `{{ a.b }}` (also written `{{ .name }}`): saved values first, then `vars`.
 * - `vars`: `{{ .vars.a.b }}`. `env`: `{{ .env.NAME }}`. `secrets`: `{{ .secrets.NAME }}`.
 */
export type ReferenceScope = 'auto' | 'vars' | 'env' | 'secrets';

/** One `{{ ... }}` of a template. */
export interface TemplateReference {
  readonly scope: ReferenceScope;
  /** The dotted names after the scope: `{{ .vars.a.b }}` -> `['a', 'b']`. */
  readonly path: readonly string[];
  /** The canonical spelling, used in messages: `job_id`, `a.b`, `.vars.a.b`, `.env.USER`. */
  readonly name: string;
}

/** A parsed template: literal text (escapes already applied) and references, in order. */
export type TemplatePart =
  { readonly _tag: 'Text'; readonly text: string } | ({ readonly _tag: 'Reference'; readonly offset: number } & TemplateReference);

/**
 * Splits a string into literal text and `{{ reference }}` parts.
 *
 * A reference is a dotted name with optional spaces inside the braces: `{{name}}`, `{{ a.b }}`,
 * `{{ .vars.x }}`, `{{ .env.NAME }}`, `{{ .secrets.NAME }}`. Names are made of letters, digits,
 * `_` and `-`. Nothing else is a reference (no pipes, functions or Go template actions).
 * Backslashes before `{{` escape it as Rocketship does (`\{{` and `\\{{` are a literal `{{`; see
 * `escapes.ts`); a `}}` or `{` outside a reference is plain text, so JSON bodies pass through.
 *
 * parseTemplate('id={{ job_id }}')   // Right([Text 'id=', Reference auto ['job_id']])
 * parseTemplate('{{ a b }}')         // Left(TemplateError: invalid template at offset 5 ...)
 */
export function parseTemplate(source: string): E.Either<TemplateError, readonly TemplatePart[]> {
  const parts: TemplatePart[] = [];
  let text = '';
  let from = 0;
  for (;;) {
    const open = source.indexOf('{{', from);
    if (open < 0) {
      text += source.slice(from);
      break;
    }
    const backslashes = backslashesBefore(source, open, from);
    const outcome = escapeOutcome(backslashes);
    text += source.slice(from, open - backslashes) + '\\'.repeat(outcome.kept);
    if (outcome.literal) {
      text += '{{';
      from = open + 2;
      continue;
    }
    const close = source.indexOf('}}', open + 2);
    if (close < 0) return E.left(syntax(source, open, 'unclosed "{{" (no "}}" follows; write \\{{ for a literal "{{")'));
    const reference = parseReference(source, open + 2, close);
    if (E.isLeft(reference)) return reference;
    if (text !== '') parts.push({ _tag: 'Text', text });
    text = '';
    parts.push({ _tag: 'Reference', offset: open, ...reference.right });
    from = close + 2;
  }
  if (text !== '') parts.push({ _tag: 'Text', text });
  return E.right(parts);
}

const NAME = /^[A-Za-z0-9_-]+/;
const SCOPES: Record<string, ReferenceScope> = { vars: 'vars', env: 'env', secrets: 'secrets' };
const FORMS = 'a reference looks like {{ name }}, {{ a.b }}, {{ .vars.name }}, {{ .env.NAME }} or {{ .secrets.NAME }}';

/** Parses the text between `{{` (ending at `start`) and `}}` (at `end`). */
function parseReference(source: string, start: number, end: number): E.Either<TemplateError, TemplateReference> {
  let pos = skipSpaces(source, start, end);
  if (pos === end) return E.left(syntax(source, start - 2, `empty template ${quote(`{{${source.slice(start, end)}}}`)}; ${FORMS}`));
  const dotted = source[pos] === '.';
  if (dotted) pos += 1;
  const names: string[] = [];
  for (;;) {
    const m = NAME.exec(source.slice(pos, end));
    if (m === null) {
      const found = pos === end ? 'the closing "}}"' : JSON.stringify(source[pos]);
      return E.left(syntax(source, pos, `expected a name, found ${found}; ${FORMS}`));
    }
    names.push(m[0]);
    pos += m[0].length;
    if (source[pos] === '.' && pos < end) {
      pos += 1;
      continue;
    }
    break;
  }
  const after = skipSpaces(source, pos, end);
  if (after !== end) {
    return E.left(
      syntax(
        source,
        after,
        `unexpected ${JSON.stringify(source[after])} in ${quote(`{{${source.slice(start, end)}}}`, after - start + 2)}; ${FORMS}`,
      ),
    );
  }
  const [first, ...rest] = names as [string, ...string[]];
  const scope = dotted ? SCOPES[first] : undefined;
  if (scope !== undefined) {
    if (rest.length === 0) return E.left(syntax(source, pos, `expected a name after ".${first}", as in {{ .${first}.NAME }}`));
    return E.right({ scope, path: rest, name: `.${first}.${rest.join('.')}` });
  }
  return E.right({ scope: 'auto', path: names, name: names.join('.') });
}

function skipSpaces(s: string, pos: number, end: number): number {
  while (pos < end && /\s/.test(s[pos] as string)) pos += 1;
  return pos;
}

function syntax(source: string, offset: number, message: string): TemplateError {
  return new TemplateError({ _tag: 'Syntax', source, offset, message });
}
