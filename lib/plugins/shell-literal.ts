import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import type { ValueWriter } from '../template/render-string.js';
import type { TemplateReference } from '../template/parse-template.js';
import { valueText } from './script-values.js';
import { NAME_CHAR, ShellLexer } from './shell-lexer.js';

/**
 * A `ValueWriter` for bash script text: every `{{ template }}` becomes a literal, so that a value
 * (from a server, say) is data, never code, and reads exactly as its text where it sits:
 *
 * | where the template sits              | written as                                     | example, value `it's $HOME`         |
 * |--------------------------------------|------------------------------------------------|-------------------------------------|
 * | a command, unquoted                  | one single-quoted word, `'` as `'\''`          | `echo 'it'\''s $HOME'`              |
 * | inside `"..."`                       | `\ $ \` "` escaped with a backslash            | `"a it's \$HOME b"`                 |
 * | inside `'...'`                       | `'` as `'\''`                                  | `'a it'\''s $HOME b'`               |
 * | inside `$'...'`                      | `\` and `'` escaped                            | `$'a it\'s $HOME b'`                |
 * | inside `${x:-...}` (in `"..."`)      | a nested `"..."` with `\ $ \` "` escaped        | `"${x:-"it's \$HOME"}"`             |
 * | a here-document body (`<<EOF`)       | `\ $ \`` escaped (nothing, for `<<'EOF'`)       | `it's \$HOME`                       |
 * | inside `$(( ))`, `(( ))`, `$[ ]`      | an integer only; anything else is refused      |                                     |
 * | a comment                            | the text, line breaks written `\n`              |                                     |
 * | inside backquotes                    | as in a command, with `\` and `` ` `` escaped   |                                     |
 *
 * Quoting is followed through `$( )`, `` ` ` ``, `${ }`, `$(( ))`, comments and here-documents.
 * Lists and maps are written as compact JSON text first, as everywhere else in a suite.
 *
 * Refused, with a message that names the line and the variable (write `$ROCKETSHIP_NAME`, the
 * safe form, instead): a template right after `\` or `$`, in a here-document's delimiter, in a
 * variable's name inside `${ }`, in arithmetic when the value is not an integer, inside `[[ ]]`
 * or `let` when the value holds `[` and `$` or `` ` `` (bash evaluates `-eq` operands and `let`
 * arguments as arithmetic, and `a[$(cmd)]` there runs `cmd`), a value holding a NUL character
 * (bash cannot), and a value that would end its here-document (a line equal to the delimiter).
 *
 * Not covered, as no quoting can cover them: text the script itself runs as code (`eval "{{ v }}"`,
 * `bash -c '{{ v }}'`), and arithmetic bash reads from variables (`declare -i`, array subscripts,
 * `$(( $ROCKETSHIP_X ))`): check such a value is a number first.
 *
 * Every literal is checked by reading it back: the quoting state after it must be the state
 * before it, so a value can never leave its literal.
 *
 * renderString('echo {{ id }} "id={{ id }}"', ctx, shellValueWriter())
 * // Right(`echo 'a'\''; $(rm -rf ~)' "id=a'; \$(rm -rf ~)"`) for id `a'; $(rm -rf ~)`
 */
export function shellValueWriter(): ValueWriter {
  const lexer = new ShellLexer();
  let problem: string | undefined;
  const at = () => `line ${lexer.line} of the script`;
  return {
    text(text) {
      lexer.feed(text, undefined);
      problem ??= lexer.problem;
      return problem;
    },
    value(value, reference) {
      if (problem !== undefined) return E.left(problem);
      const written = literalFor(lexer, value, reference);
      if (E.isLeft(written)) return E.left(`${at()}: ${written.left}`);
      const before = lexer.signature();
      lexer.feed(written.right, reference.name);
      if (lexer.problem !== undefined) return E.left(lexer.problem);
      // A literal that did not leave the quoting as it found it would let the value out: never write it.
      if (lexer.signature() !== before)
        return E.left(`${at()}: the value of "${reference.name}" cannot be written safely here; ${safeForm(reference)}`);
      return written;
    },
    end() {
      lexer.finish();
      return problem ?? lexer.problem;
    },
  };
}

function safeForm(reference: TemplateReference): string {
  return reference.scope === 'auto' && reference.path.length === 1
    ? `use "$ROCKETSHIP_${envName(reference.name)}" instead`
    : `read it from the environment instead ("$ROCKETSHIP_<NAME>" for a saved value, "$ROCKETSHIP_VAR_<NAME>" for a var)`;
}

/** `ROCKETSHIP_<NAME>`'s `<NAME>` for a variable name. */
export function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

function literalFor(lexer: ShellLexer, value: Json, reference: TemplateReference): E.Either<string, string> {
  const name = reference.name;
  const text = valueText(value, `the value of "${name}"`);
  if (E.isLeft(text)) return text;
  const v = text.right;
  if (v.includes('\0')) return E.left(`the value of "${name}" holds a NUL character, which a shell script cannot hold`);
  const place = lexer.place();
  if (
    place._tag !== 'Backquoted' &&
    place._tag !== 'Comment' &&
    place._tag !== 'HereDocument' &&
    lexer.inArithmeticCommand() &&
    v.includes('[') &&
    /[$`]/.test(v)
  ) {
    return E.left(
      `the value of "${name}" holds "[" and "$" or "\`", and inside [[ ]] (the operands of -eq, -lt and the like) and in the arguments of let, bash evaluates text as arithmetic, which runs "$(...)" found in "a[...]"; compare with [ ] (test) instead`,
    );
  }
  switch (place._tag) {
    case 'Refused':
      return E.left(`${place.why}; ${safeForm(reference)}`);
    case 'Word':
      return E.right(singleQuoted(v));
    case 'Double': {
      // Within "...", a backslash makes exactly these four characters plain text; bash keeps the rest as is.
      const escaped = v.replace(/[\\$`"]/g, (c) => `\\${c}`);
      // After "$name", a value starting with a letter would lengthen the name: "" ends it first.
      return E.right(place.afterName && NAME_CHAR.test(v) ? `""${escaped}` : escaped);
    }
    case 'Single':
      return E.right(v.replace(/'/g, `'\\''`));
    case 'DollarSingle':
      return E.right(v.replace(/[\\']/g, (c) => `\\${c}`));
    case 'ParamInDouble':
      return E.right(`"${v.replace(/[\\$`"]/g, (c) => `\\${c}`)}"`);
    case 'Arithmetic': {
      if (place.afterName) return E.left(`a template right after "$name" inside arithmetic would lengthen the name; write "\${name}"`);
      const integer =
        typeof value === 'number'
          ? Number.isSafeInteger(value)
            ? String(value)
            : undefined
          : /^-?(0|[1-9][0-9]{0,15})$/.test(v)
            ? v
            : undefined;
      if (integer === undefined) {
        return E.left(
          `the value of "${name}" is not an integer, and inside $(( )), (( )) and $[ ] bash reads it as arithmetic, where text can run commands; ${safeForm(reference)} in a string, or make the value a number`,
        );
      }
      return E.right(integer.startsWith('-') ? `(${integer})` : integer);
    }
    case 'Comment':
      return E.right(v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n'));
    case 'HereDocument':
      if (place.afterName && NAME_CHAR.test(v))
        return E.left(
          `the value of "${name}" starts with a letter, digit or "_", and right after "$name" it would lengthen the name; write "\${name}"`,
        );
      return E.right(place.quoted ? v : v.replace(/[\\$`]/g, (c) => `\\${c}`));
    case 'Backquoted': {
      const inner = literalFor(place.inner, value, reference);
      return E.map((s: string) => s.replace(/[\\`]/g, (c) => `\\${c}`))(inner);
    }
  }
}

function singleQuoted(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}
