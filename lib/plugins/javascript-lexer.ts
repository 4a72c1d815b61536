/**
 * Where the next character of JavaScript text sits, as far as writing a value there goes:
 * `wordBefore` is the name, keyword or number the position follows without a space.
 */
export type Place =
  | { readonly _tag: 'Code'; readonly wordBefore: string | undefined }
  | { readonly _tag: 'String' }
  | { readonly _tag: 'Comment' }
  | { readonly _tag: 'Refused'; readonly why: string };

type BraceKind = 'block' | 'expression';

/** What came last in code, for telling a regular expression from a division and a block from an object. */
export type Previous =
  | { readonly _tag: 'Start' }
  /** A name, a keyword or a number. */
  | { readonly _tag: 'Word'; readonly word: string }
  /** A string, template, regular expression, `]`, or a postfix `++`/`--`: a value ended. */
  | { readonly _tag: 'Operand' }
  | { readonly _tag: 'CloseParen'; readonly control: boolean }
  | { readonly _tag: 'CloseBrace'; readonly kind: BraceKind }
  | { readonly _tag: 'Punctuator'; readonly text: string };

type Frame =
  | {
      readonly _tag: 'Code';
      /** Whether a `}` at depth 0 ends it (it is a template's `${ }`). */
      readonly inTemplate: boolean;
      readonly braces: BraceKind[];
      /** For each open `(`: whether it holds the condition of `if`, `while`, `for` or `with`. */
      readonly parens: boolean[];
      /** The name, keyword or number being read. */
      word: string;
      previous: Previous;
      /** Only white space and comments so far on this line (`-->` starts a comment there). */
      lineStart: boolean;
    }
  | { readonly _tag: 'String'; readonly quote: "'" | '"' }
  | { readonly _tag: 'Template' }
  | { readonly _tag: 'LineComment' }
  | { readonly _tag: 'BlockComment' }
  | { readonly _tag: 'Regex'; inClass: boolean };

/** After these keywords an expression starts, so a `/` starts a regular expression. */
export const BEFORE_EXPRESSION = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
  'extends',
]);
/** The `)` after these keywords' condition ends a statement head: a `/` then starts a regular expression. */
const CONTROL = new Set(['if', 'while', 'for', 'with']);
/** After these keywords a `{` opens a block. */
const BEFORE_BLOCK = new Set(['else', 'do', 'try', 'finally']);
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;
const WORD_CHAR = /[A-Za-z0-9_$\\\u0080-\uffff]/;

/**
 * Follows JavaScript's strings, template literals, comments and regular expressions through
 * script text fed piece by piece, far enough to know where each template sits (see
 * `javascriptValueWriter`) and where each `throw` statement is (see `markThrows`). It never parses
 * the script; a script that is not valid JavaScript fails when it runs, as it would have.
 *
 * Division and regular expressions are told apart as JavaScript tokenizers do, by what comes
 * before the `/`: after a name, a number, a string, `)` or `]` it divides, except after keywords
 * such as `return` and `typeof`, after the `)` of `if (...)`, `while (...)`, `for (...)`, and
 * after the `}` of a block.
 */
export class JavaScriptLexer {
  /**
   * `onWord` is told of each name, keyword or number read in code: the word, the index just past
   * it in the text of the `feed` call (when nothing was held back from an earlier call), and what
   * came before it.
   */
  constructor(private readonly onWord?: (word: string, end: number, previous: Previous) => void) {}

  private readonly stack: Frame[] = [code(false)];
  private held = '';
  private escaped = false;
  private atStart = true;
  /** The line of the script being read (values never add lines: their line breaks are escaped). */
  line = 1;

  feed(text: string, fromValue = false): void {
    const s = this.held + text;
    this.held = '';
    for (let i = 0; i < s.length; i += 1) {
      const taken = this.step(s, i, false);
      if (taken === HOLD) {
        this.held = s.slice(i);
        return;
      }
      if (!fromValue) for (let k = i; k <= i + taken; k += 1) if (isLineStart(s, k)) this.line += 1;
      i += taken;
    }
  }

  signature(): string {
    const frames = this.stack.map((f) =>
      f._tag === 'Code'
        ? `C${f.inTemplate ? '$' : ''}${f.braces.map((b) => b[0]).join('')}/${f.parens.map((p) => (p ? 'c' : 'o')).join('')}`
        : f._tag === 'String'
          ? `S${f.quote}`
          : f._tag === 'Regex'
            ? `R${f.inClass ? '[' : ''}`
            : f._tag,
    );
    return `${frames.join(' ')}${this.escaped ? '\\' : ''}${this.held}`;
  }

  /**
   * Where a value written now would sit. Characters held back (a `/` that might start a comment,
   * a `*` that might end one, a `$` that might start `${`) are read as if a plain character came
   * next: no literal starts with a character that would combine with them (see `literalFor`).
   */
  place(): Place {
    if (this.held !== '') {
      const held = this.held;
      this.held = '';
      for (let i = 0; i < held.length; i += 1) {
        const taken = this.step(held, i, true);
        i += taken === HOLD ? 0 : taken;
      }
    }
    const top = this.top();
    switch (top._tag) {
      case 'Code':
        return { _tag: 'Code', wordBefore: top.word === '' ? undefined : top.word };
      case 'String':
      case 'Template':
        return this.escaped
          ? { _tag: 'Refused', why: 'a template right after a backslash would have its first character escaped' }
          : { _tag: 'String' };
      case 'LineComment':
      case 'BlockComment':
        return { _tag: 'Comment' };
      case 'Regex':
        return {
          _tag: 'Refused',
          why: 'a template inside a regular expression literal would be read as part of the pattern; build it with new RegExp(...) from the value, escaping what must match as text',
        };
    }
  }

  private top(): Frame {
    return this.stack[this.stack.length - 1] as Frame;
  }

  private step(s: string, i: number, atEnd: boolean): number | typeof HOLD {
    const c = s[i] as string;
    const next = s[i + 1];
    const need = (n: number) => !atEnd && i + n >= s.length;
    const top = this.top();
    const start = this.atStart;
    this.atStart = false;
    switch (top._tag) {
      case 'String':
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        // (U+2028 and U+2029 are allowed in strings; a line break is an error that ends it.)
        else if (c === top.quote || c === '\n' || c === '\r') this.close();
        return 0;
      case 'Template':
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '`') this.close();
        else if (c === '$') {
          if (need(1)) return HOLD;
          if (next === '{') {
            this.stack.push(code(true));
            return 1;
          }
        }
        return 0;
      case 'LineComment':
        if (LINE_TERMINATOR.test(c)) {
          this.stack.pop();
          return this.step(s, i, atEnd);
        }
        return 0;
      case 'BlockComment':
        if (c === '*') {
          if (need(1)) return HOLD;
          if (next === '/') {
            this.stack.pop();
            return 1;
          }
        }
        return 0;
      case 'Regex':
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (LINE_TERMINATOR.test(c)) {
          // A regular expression cannot span lines: that `/` was a division after all.
          this.stack.pop();
          return this.step(s, i, atEnd);
        } else if (top.inClass) {
          if (c === ']') top.inClass = false;
        } else if (c === '[') top.inClass = true;
        else if (c === '/') this.close();
        return 0;
      case 'Code':
        return this.code(top, s, i, atEnd, start);
    }
  }

  /** A string, template or regular expression ended: a value. */
  private close(): void {
    this.stack.pop();
    const outer = this.top();
    if (outer._tag === 'Code') {
      outer.previous = { _tag: 'Operand' };
      outer.lineStart = false;
    }
  }

  private code(top: Extract<Frame, { _tag: 'Code' }>, s: string, i: number, atEnd: boolean, start: boolean): number | typeof HOLD {
    const c = s[i] as string;
    const next = s[i + 1];
    const need = (n: number) => !atEnd && i + n >= s.length;
    if (WORD_CHAR.test(c)) {
      top.word += c;
      top.lineStart = false;
      return 0;
    }
    // Anything else ends the word being read.
    if (top.word !== '') {
      this.onWord?.(top.word, i, top.previous);
      top.previous = { _tag: 'Word', word: top.word };
      top.word = '';
    }
    if (/\s/.test(c)) {
      if (LINE_TERMINATOR.test(c)) top.lineStart = true;
      return 0;
    }
    const lineStart = top.lineStart;
    top.lineStart = false;
    const previous = top.previous;
    const punctuator = (text: string, skip = 0) => {
      top.previous = { _tag: 'Punctuator', text };
      return skip;
    };
    switch (c) {
      case "'":
      case '"':
        this.stack.push({ _tag: 'String', quote: c });
        return 0;
      case '`':
        this.stack.push({ _tag: 'Template' });
        return 0;
      case '#':
        // `#!` on the first line is a comment; elsewhere `#` starts a private name (`this.#x`).
        if (start && next === '!') {
          this.stack.push({ _tag: 'LineComment' });
          return 0;
        }
        top.word = '#';
        return 0;
      case '/':
        if (need(1)) return HOLD;
        if (next === '/') {
          this.stack.push({ _tag: 'LineComment' });
          top.lineStart = lineStart;
          return 1;
        }
        if (next === '*') {
          this.stack.push({ _tag: 'BlockComment' });
          top.lineStart = lineStart;
          return 1;
        }
        if (regexAllowed(previous)) {
          this.stack.push({ _tag: 'Regex', inClass: false });
          return 0;
        }
        return punctuator('/');
      case '<':
        if (need(3)) return HOLD;
        if (s.startsWith('!--', i + 1)) {
          this.stack.push({ _tag: 'LineComment' });
          return 3;
        }
        return punctuator('<');
      case '-':
      case '+': {
        if (need(1)) return HOLD;
        if (c === '-' && lineStart && next === '-') {
          if (need(2)) return HOLD;
          if (s[i + 2] === '>') {
            this.stack.push({ _tag: 'LineComment' });
            return 2;
          }
        }
        if (next === c) {
          // Postfix after a value (`i++ / 2` divides); prefix otherwise.
          if (!regexAllowed(previous)) {
            top.previous = { _tag: 'Operand' };
            return 1;
          }
          return punctuator(c + c, 1);
        }
        return punctuator(c);
      }
      case '(':
        top.parens.push(previous._tag === 'Word' && CONTROL.has(previous.word));
        return punctuator('(');
      case ')':
        top.previous = { _tag: 'CloseParen', control: top.parens.pop() ?? false };
        return 0;
      case '[':
        return punctuator('[');
      case ']':
        top.previous = { _tag: 'Operand' };
        return 0;
      case '{':
        top.braces.push(braceKind(previous));
        return punctuator('{');
      case '}': {
        const kind = top.braces.pop();
        if (kind === undefined) {
          if (top.inTemplate) {
            this.stack.pop();
            return 0;
          }
          return punctuator('}');
        }
        top.previous = { _tag: 'CloseBrace', kind };
        return 0;
      }
      case '>':
        return punctuator(previous._tag === 'Punctuator' && previous.text === '=' ? '=>' : '>');
      default:
        return punctuator(c);
    }
  }
}

const HOLD = Symbol('hold');

function code(inTemplate: boolean): Frame {
  return { _tag: 'Code', inTemplate, braces: [], parens: [], word: '', previous: { _tag: 'Start' }, lineStart: true };
}

/** Whether a line starts after s[k] (CRLF counts once). */
function isLineStart(s: string, k: number): boolean {
  const c = s[k];
  return c === '\n' || c === '\u2028' || c === '\u2029' || (c === '\r' && s[k + 1] !== '\n');
}

function regexAllowed(previous: Previous): boolean {
  switch (previous._tag) {
    case 'Start':
    case 'Punctuator':
      return true;
    case 'Word':
      return BEFORE_EXPRESSION.has(previous.word);
    case 'Operand':
      return false;
    case 'CloseParen':
      return previous.control;
    case 'CloseBrace':
      return previous.kind === 'block';
  }
}

function braceKind(previous: Previous): BraceKind {
  switch (previous._tag) {
    case 'Start':
    case 'CloseParen':
    case 'CloseBrace':
      return 'block';
    case 'Word':
      // `else {`, `class A {`, `function f() {`: blocks; `return {`, `typeof {`: objects.
      return BEFORE_EXPRESSION.has(previous.word) && !BEFORE_BLOCK.has(previous.word) ? 'expression' : 'block';
    case 'Operand':
      return 'expression';
    case 'Punctuator':
      // `=> {`, `; {`, `{ {`: blocks; after any other operator, `(`, `,`, `[` or `:`, an object.
      return previous.text === ';' || previous.text === '{' || previous.text === '}' || previous.text === '=>' ? 'block' : 'expression';
  }
}
