import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import type { ValueWriter } from '../template/render-string.js';
import type { TemplateReference } from '../template/parse-template.js';
import { MAX_SCRIPT_VALUE_DEPTH, scriptJson, valueText } from './script-values.js';
import { BEFORE_EXPRESSION, JavaScriptLexer } from './javascript-lexer.js';

/**
 * A `ValueWriter` for JavaScript script text: every `{{ template }}` becomes a literal, so that a
 * value (from a server, say) is data, never code:
 *
 * | where the template sits                  | written as                                       | value `it's` / `{"a":1}` / `-2` |
 * |------------------------------------------|--------------------------------------------------|---------------------------------|
 * | code                                     | a JSON literal (a map in parentheses, a negative number too) | `"it's"` / `({"a":1})` / `(-2)` |
 * | inside `'...'`, `"..."` or `` `...` ``   | the value's text, escaped for any of the three   | `it\'s` / `{\"a\":1}` / `-2`     |
 * | a comment                                | the text, line breaks written `\n`, `*\/` broken  |                                 |
 *
 * Inside a string the value reads exactly as its text (strings as they are, anything else as
 * compact JSON), so `console.log('{{ name }}')` still prints the name. In code a string value is
 * now a string literal: `let n = {{ name }}` gives `let n = "Ellie"`, where it used to paste the
 * text as code. A map's key `__proto__` is written so that it stays a key (as `JSON.parse` does).
 *
 * Refused, naming the line and the variable (read `state.name` or `vars.name` instead, the safe
 * forms): a template inside a regular expression literal (`/{{ x }}/`), right after a backslash
 * in a string, and right after a name in code (`x{{ n }}`, which would lengthen the name).
 *
 * Where each template sits is told by `JavaScriptLexer` (strings, templates, comments, regular
 * expressions). Every literal is read back: the state after it must be the state before it.
 *
 * renderString("console.log('{{ v }}'); const x = {{ v }};", ctx, javascriptValueWriter())
 * // Right("console.log('it\\'s'); const x = \"it's\";") for v `it's`
 */
export function javascriptValueWriter(): ValueWriter {
  const lexer = new JavaScriptLexer();
  return {
    text(text) {
      lexer.feed(text);
      return undefined;
    },
    value(value, reference) {
      const written = literalFor(lexer, value, reference);
      if (E.isLeft(written)) return E.left(`line ${lexer.line} of the script: ${written.left}`);
      const before = lexer.signature();
      lexer.feed(written.right, true);
      // A literal that did not leave the state as it found it would let the value out: never write it.
      if (lexer.signature() !== before)
        return E.left(
          `line ${lexer.line} of the script: the value of "${reference.name}" cannot be written safely here; ${safeForm(reference)}`,
        );
      return written;
    },
    end() {
      return undefined;
    },
  };
}

function safeForm(reference: TemplateReference): string {
  const [first, ...rest] = reference.path;
  const member = (names: readonly string[]) =>
    names.map((n) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(n) ? `.${n}` : `[${JSON.stringify(n)}]`)).join('');
  switch (reference.scope) {
    case 'auto':
      return `read it as state${member([first as string, ...rest])} (or vars${member([first as string, ...rest])} for a var) instead`;
    case 'vars':
      return `read it as vars${member(reference.path)} instead`;
    default:
      return 'save it in an earlier step and read it as state.<name> instead';
  }
}

function literalFor(lexer: JavaScriptLexer, value: Json, reference: TemplateReference): E.Either<string, string> {
  const name = reference.name;
  const place = lexer.place();
  switch (place._tag) {
    case 'Refused':
      return E.left(`${place.why}; ${safeForm(reference)}`);
    case 'Code': {
      // Right after a keyword (`return{{ n }}`) a space keeps them apart; after a name or a number the value would join it.
      const space = place.wordBefore !== undefined && BEFORE_EXPRESSION.has(place.wordBefore) ? ' ' : '';
      if (place.wordBefore !== undefined && space === '')
        return E.left(`a template right after "${place.wordBefore}" would join it into one name; put a space or an operator between them`);
      const json = scriptJson(value, true);
      if (E.isLeft(json))
        return E.left(
          `the value of "${name}" nests lists and maps more than ${MAX_SCRIPT_VALUE_DEPTH} levels deep, too deep to give to a script`,
        );
      const literal = escapeLineTerminators(json.right);
      // `{...}` where a statement starts is a block, and `a -{{ n }}` must not make `a --2`.
      const wrap = (value !== null && typeof value === 'object' && !Array.isArray(value)) || (typeof value === 'number' && value < 0);
      return E.right(space + (wrap ? `(${literal})` : literal));
    }
    case 'String': {
      const text = valueText(value, `the value of "${name}"`);
      return E.map(stringContent)(text);
    }
    case 'Comment': {
      // Inside /* */ no "*/" may form: not in the value, nor with a "*" before it or a "/" after it.
      const text = valueText(value, `the value of "${name}"`);
      return E.map((t: string) => stringContent(t).replace(/\*\//g, '*\\/').replace(/^\//, '\\/').replace(/\*$/, '*\\'))(text);
    }
  }
}

/**
 * `text` escaped so that inside `'...'`, `"..."` and `` `...` `` alike it reads as exactly `text`:
 * JSON's escapes, plus `'`, `` ` ``, `$`, `{` and the two Unicode line terminators escaped.
 */
function stringContent(text: string): string {
  return escapeLineTerminators(JSON.stringify(text).slice(1, -1)).replace(/['`${]/g, (c) => `\\${c}`);
}

/** U+2028 and U+2029 end a line in JavaScript (in comments, and in strings before ES2019). */
function escapeLineTerminators(text: string): string {
  return text.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
