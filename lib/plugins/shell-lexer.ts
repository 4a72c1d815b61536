/** A character that continues a variable's name after `$`. */
export const NAME_CHAR = /^[A-Za-z0-9_]/;

/** Words after which a command still starts (`if let ...`, `! let ...`). */
const COMMAND_PREFIXES = new Set(['if', 'then', 'else', 'elif', 'while', 'until', 'do', '!', 'time', '{']);

/** Where the next character of the script would sit, as far as writing a value there goes. */
export type Place =
  | { readonly _tag: 'Word' }
  | { readonly _tag: 'Double'; readonly afterName: boolean }
  | { readonly _tag: 'Single' }
  | { readonly _tag: 'DollarSingle' }
  | { readonly _tag: 'ParamInDouble' }
  | { readonly _tag: 'Arithmetic'; readonly afterName: boolean }
  | { readonly _tag: 'Comment' }
  | { readonly _tag: 'HereDocument'; readonly quoted: boolean; readonly afterName: boolean }
  | { readonly _tag: 'Backquoted'; readonly inner: ShellLexer }
  | { readonly _tag: 'Refused'; readonly why: string };

/** A here-document announced by `<<WORD` whose body has not started yet. */
interface PendingHereDocument {
  readonly delimiter: string;
  /** `<<-`: leading tabs are stripped from body lines (and the delimiter line). */
  readonly stripTabs: boolean;
  /** Any quoting in the delimiter word (`<<'EOF'`, `<<"EOF"`, `<<\EOF`) makes the body literal. */
  readonly quoted: boolean;
}

/**
 * What the lexer is inside of. `Command` is the top level and the inside of `$( )`; the others are
 * quotes, expansions, comments and here-documents. Only what decides quoting is tracked.
 */
type Frame =
  | {
      readonly _tag: 'Command';
      /** Whether a `)` at depth 0 closes this frame (it is a `$( )`). */
      readonly closedByParen: boolean;
      /** Open `(` inside it (subshells, case patterns written `(a)`). */
      parens: number;
      /** Open `case ... esac`: a pattern's `)` there does not close a `$( )`. */
      cases: number;
      /** Inside `[[ ]]`. */
      doubleBracket: boolean;
      /** At the start of a simple command (`let` there makes its arguments arithmetic). */
      commandStart: boolean;
      /** In the arguments of `let`. */
      letArguments: boolean;
      /** At the start of a word (a `#` here starts a comment). */
      wordStart: boolean;
      /** The unquoted characters of the current word, for `case`, `esac`, `[[`, `]]` and `((`. */
      word: string;
      /** Here-documents whose bodies start after the next newline. */
      readonly pending: PendingHereDocument[];
    }
  | { readonly _tag: 'Single' }
  | { readonly _tag: 'DollarSingle' }
  | { readonly _tag: 'Double' }
  | { readonly _tag: 'Param'; readonly inDouble: boolean; braces: number; atName: boolean; sawSingleQuote: boolean }
  | { readonly _tag: 'Arithmetic'; readonly closer: '))' | ']'; parens: number }
  | { readonly _tag: 'Comment' }
  | {
      readonly _tag: 'DelimiterWord';
      readonly stripTabs: boolean;
      started: boolean;
      text: string;
      quoted: boolean;
      quote: '' | "'" | '"';
      escape: boolean;
    }
  | {
      readonly _tag: 'HereDocument';
      readonly heredoc: PendingHereDocument;
      /** The body line so far. */
      line: string;
      /** Which value (if any) wrote part of the current line. */
      valueOnLine: string | undefined;
      /** Expansions inside an unquoted body (`$(...)`, `${...}`, backquotes). */
      readonly inner: ShellLexer | undefined;
    }
  | { readonly _tag: 'Backquote'; readonly inner: ShellLexer };

/**
 * Follows bash's quoting through script text fed piece by piece. It never runs or fully parses
 * anything: it knows, at each point, whether the next character is in a command word, a quote
 * (`'...'`, `"..."`, `$'...'`), an expansion (`$( )`, backquotes, `${ }`, `$(( ))`, `(( ))`,
 * `$[ ]`), a comment or a here-document body (`<<EOF`, `<<-EOF`, `<<'EOF'`), which is all a value
 * writer needs (see `shellValueWriter`).
 *
 * Known limits, where it reads as bash does in the common cases: a `case` pattern's `)` inside
 * `$( )` is told from the closing `)` by counting `case`/`esac` words; in `"${x:-...}"` a `'`
 * means different things for different operators, so a template after one there is refused.
 */
export class ShellLexer {
  private readonly stack: Frame[];
  /** Characters held back until the next one decides what they are (`$` before `(`, `<` before `<`...). */
  private held = '';
  /** A backslash was read; the next character is escaped. */
  private escaped = false;
  /** Right after `$name`: a letter, digit or `_` now would lengthen the name. */
  private inName = false;
  /** Set when a value wrote something that changes the script's structure (ends a here-document). */
  problem: string | undefined;
  /** The line of the script's own text being read (a value's line breaks do not count). */
  line = 1;

  constructor(base: 'Command' | 'HereText' = 'Command') {
    this.stack = [base === 'Command' ? command(false) : { _tag: 'Double' }];
    this.hereText = base === 'HereText';
  }

  /** A lexer for the expansions of an unquoted here-document body: like `"..."`, but `"` is text. */
  private readonly hereText: boolean;

  /** Reads `text`; `value` names the variable whose value it is, undefined for the script's own text. */
  feed(text: string, value: string | undefined): void {
    const s = this.held + text;
    this.held = '';
    for (let i = 0; i < s.length; i += 1) {
      const taken = this.step(s, i, value);
      if (taken === HOLD) {
        this.held = s.slice(i);
        return;
      }
      if (value === undefined) for (let k = i; k <= i + taken; k += 1) if (s[k] === '\n') this.line += 1;
      i += taken;
    }
  }

  /** The end of the script: held characters are read as they are. */
  finish(): void {
    this.finishHeld();
    const top = this.top();
    if (top._tag === 'HereDocument') this.endOfLine(top);
  }

  /** The quoting state, for checking that a literal left it as it found it. */
  signature(): string {
    const frames = this.stack.map((f) => {
      switch (f._tag) {
        case 'Command':
          return `C${f.closedByParen ? ')' : ''}${f.parens},${f.cases},${f.doubleBracket ? 'b' : ''},${f.pending.length}`;
        case 'Param':
          return `P${f.inDouble ? 'd' : ''}${f.braces}${f.sawSingleQuote ? "'" : ''}`;
        case 'Arithmetic':
          return `A${f.closer}${f.parens}`;
        case 'HereDocument':
          return `H${f.heredoc.delimiter}/${f.inner?.signature() ?? ''}/`;
        case 'Backquote':
          return `B/${f.inner.signature()}/`;
        case 'DelimiterWord':
          return 'W';
        default:
          return f._tag;
      }
    });
    return `${frames.join(' ')}${this.escaped ? '\\' : ''}${this.held}`;
  }

  /** Where a value written now would sit. */
  place(): Place {
    if (this.escaped) return refused('a template right after a backslash would have its first character escaped');
    if (this.held.endsWith('$')) return refused('a template right after "$" would be read as part of an expansion');
    if (this.held === '<<' || this.held === '<<-') return refused('a template cannot be a here-document delimiter');
    // Anything else held (`<`, `$(`, `((`) is decided by the value's first character, a quote.
    if (this.held !== '') {
      const held = this.held;
      this.held = '';
      this.feed(held, undefined);
      this.finishHeld();
    }
    const top = this.top();
    switch (top._tag) {
      case 'Command':
        return { _tag: 'Word' };
      case 'Single':
        return { _tag: 'Single' };
      case 'DollarSingle':
        return { _tag: 'DollarSingle' };
      case 'Double':
        return this.hereText && this.stack.length === 1
          ? { _tag: 'HereDocument', quoted: false, afterName: this.inName }
          : { _tag: 'Double', afterName: this.inName };
      case 'Param':
        if (top.atName) return refused('a template cannot be the name of a variable inside "${...}"');
        if (!top.inDouble) return { _tag: 'Word' };
        if (top.sawSingleQuote)
          return refused('inside "${...}" within double quotes, bash reads single quotes differently for each operator');
        return { _tag: 'ParamInDouble' };
      case 'Arithmetic':
        return { _tag: 'Arithmetic', afterName: this.inName };
      case 'Comment':
        return { _tag: 'Comment' };
      case 'DelimiterWord':
        return refused('a template cannot be a here-document delimiter');
      case 'HereDocument':
        return top.inner === undefined ? { _tag: 'HereDocument', quoted: true, afterName: false } : top.inner.place();
      case 'Backquote':
        return { _tag: 'Backquoted', inner: top.inner };
    }
  }

  /**
   * Whether the command around the current position is `[[ ... ]]` or `let ...`, where bash reads
   * words (quoted or not) as arithmetic.
   */
  inArithmeticCommand(): boolean {
    for (let i = this.stack.length - 1; i >= 0; i -= 1) {
      const f = this.stack[i] as Frame;
      if (f._tag === 'Command') return f.doubleBracket || f.letArguments;
    }
    return false;
  }

  /** Reads held characters as if a non-special character followed. */
  private finishHeld(): void {
    const held = this.held;
    this.held = '';
    for (let i = 0; i < held.length; i += 1) {
      // At the end nothing is held back: `step` reads what it has.
      const taken = this.step(held, i, undefined, true);
      i += taken === HOLD ? 0 : taken;
    }
  }

  private top(): Frame {
    return this.stack[this.stack.length - 1] as Frame;
  }

  /**
   * Reads the character at `s[i]`. Returns how many further characters it consumed, or HOLD when
   * the rest of `s` is too short to decide (unless `atEnd`, when it reads what it has).
   */
  private step(s: string, i: number, value: string | undefined, atEnd = false): number | typeof HOLD {
    const c = s[i] as string;
    const next = s[i + 1];
    const need = (n: number) => !atEnd && i + n >= s.length;
    const top = this.top();
    if (this.inName && !NAME_CHAR.test(c)) this.inName = false;

    // Here-document bodies are read by lines first, whatever their expansions hold (as bash does).
    if (top._tag === 'HereDocument') {
      if (c === '\n') {
        this.endOfLine(top);
        return 0;
      }
      top.line += c;
      if (value !== undefined) top.valueOnLine ??= value;
      top.inner?.feed(c, value);
      return 0;
    }
    if (top._tag === 'Backquote') {
      if (this.escaped) {
        this.escaped = false;
        // Inside backquotes, \$ \` \\ stand for the character; any other \x is both characters.
        top.inner.feed('$`\\'.includes(c) ? c : `\\${c}`, value);
        return 0;
      }
      if (c === '\\') {
        this.escaped = true;
        return 0;
      }
      if (c === '`') {
        this.stack.pop();
        return 0;
      }
      top.inner.feed(c, value);
      return 0;
    }
    if (top._tag === 'DelimiterWord') return this.delimiterWord(top, c);
    if (this.escaped) {
      this.escaped = false;
      if (top._tag === 'Command') top.wordStart = false;
      return 0;
    }
    switch (top._tag) {
      case 'Single':
        if (c === "'") this.stack.pop();
        return 0;
      case 'DollarSingle':
        if (c === '\\') this.escaped = true;
        else if (c === "'") this.stack.pop();
        return 0;
      case 'Comment':
        if (c === '\n') {
          this.stack.pop();
          return this.step(s, i, value, atEnd);
        }
        return 0;
      case 'Double':
        if (c === '\\') this.escaped = true;
        else if (c === '"' && !this.hereText) this.stack.pop();
        else if (c === '"' && this.hereText && this.stack.length > 1) this.stack.pop();
        else if (c === '`') this.stack.push({ _tag: 'Backquote', inner: new ShellLexer() });
        else if (c === '$') return this.dollar(s, i, true, atEnd);
        return 0;
      case 'Param':
        return this.param(top, s, i, atEnd);
      case 'Arithmetic':
        return this.arithmetic(top, s, i, atEnd);
      case 'Command':
        break;
    }
    // Command.
    const cmd = top as Extract<Frame, { _tag: 'Command' }>;
    const wasWordStart = cmd.wordStart;
    if (c === '\\') {
      this.escaped = true;
      cmd.word = '\0';
      return 0;
    }
    if (c === "'") return this.open(cmd, { _tag: 'Single' });
    if (c === '"') return this.open(cmd, { _tag: 'Double' });
    if (c === '`') return this.open(cmd, { _tag: 'Backquote', inner: new ShellLexer() });
    if (c === '$') {
      cmd.wordStart = false;
      cmd.word = '\0';
      return this.dollar(s, i, false, atEnd);
    }
    if (c === '#' && wasWordStart) {
      this.stack.push({ _tag: 'Comment' });
      return 0;
    }
    if (c === '<') {
      if (need(1)) return HOLD;
      if (next !== '<') return this.endWord(cmd, 0);
      if (need(2)) return HOLD;
      if (s[i + 2] === '<') return this.endWord(cmd, 2);
      {
        const stripTabs = s[i + 2] === '-';
        this.endWord(cmd, 0);
        this.stack.push({ _tag: 'DelimiterWord', stripTabs, started: false, text: '', quoted: false, quote: '', escape: false });
        return stripTabs ? 2 : 1;
      }
    }
    if (c === '(') {
      if (wasWordStart && cmd.word === '') {
        if (need(1)) return HOLD;
        if (next === '(') {
          this.stack.push({ _tag: 'Arithmetic', closer: '))', parens: 0 });
          cmd.wordStart = false;
          return 1;
        }
      }
      cmd.parens += 1;
      return this.endWord(cmd, 0, true);
    }
    if (c === ')') {
      if (cmd.parens > 0) cmd.parens -= 1;
      else if (cmd.cases === 0 && cmd.closedByParen) {
        this.endWord(cmd, 0);
        this.stack.pop();
        const outer = this.top();
        if (outer._tag === 'Command') outer.wordStart = false;
        return 0;
      }
      return this.endWord(cmd, 0, true);
    }
    if (c === '\n') {
      this.endWord(cmd, 0, true);
      // Bodies of the here-documents announced on this line follow it, first announced first.
      for (const heredoc of cmd.pending.splice(0).reverse()) {
        this.stack.push({
          _tag: 'HereDocument',
          heredoc,
          line: '',
          valueOnLine: undefined,
          inner: heredoc.quoted ? undefined : new ShellLexer('HereText'),
        });
      }
      return 0;
    }
    if (c === ' ' || c === '\t' || c === '>') return this.endWord(cmd, 0);
    if (c === ';' || c === '&' || c === '|') return this.endWord(cmd, 0, true);
    cmd.wordStart = false;
    if (cmd.word !== '\0') cmd.word += c;
    return 0;
  }

  private open(cmd: Extract<Frame, { _tag: 'Command' }>, frame: Frame): number {
    cmd.wordStart = false;
    cmd.word = '\0';
    this.stack.push(frame);
    return 0;
  }

  /**
   * A word ended: notes keywords, and a new word starts after the `skip` further characters.
   * `separates`: what ended it also ends the simple command (`;`, `&`, `|`, a newline, a paren).
   */
  private endWord(cmd: Extract<Frame, { _tag: 'Command' }>, skip: number, separates = false): number {
    if (cmd.word !== '') {
      if (cmd.commandStart && cmd.word === 'let') cmd.letArguments = true;
      cmd.commandStart &&= COMMAND_PREFIXES.has(cmd.word);
    }
    if (separates) {
      cmd.commandStart = true;
      cmd.letArguments = false;
    }
    if (cmd.word === 'case') cmd.cases += 1;
    else if (cmd.word === 'esac' && cmd.cases > 0) cmd.cases -= 1;
    else if (cmd.word === '[[') cmd.doubleBracket = true;
    else if (cmd.word === ']]') cmd.doubleBracket = false;
    cmd.word = '';
    cmd.wordStart = true;
    return skip;
  }

  /** `$` at s[i]: an expansion, a quote or a plain `$`. */
  private dollar(s: string, i: number, inDouble: boolean, atEnd: boolean): number | typeof HOLD {
    const next = s[i + 1];
    if (next === undefined) return atEnd ? 0 : HOLD;
    if (/[A-Za-z_]/.test(next)) this.inName = true;
    if (next === '(') {
      if (s[i + 2] === undefined && !atEnd) return HOLD;
      if (s[i + 2] === '(') {
        this.stack.push({ _tag: 'Arithmetic', closer: '))', parens: 0 });
        return 2;
      }
      this.stack.push(command(true));
      return 1;
    }
    if (next === '{') {
      this.stack.push({ _tag: 'Param', inDouble, braces: 0, atName: true, sawSingleQuote: false });
      return 1;
    }
    if (next === '[') {
      this.stack.push({ _tag: 'Arithmetic', closer: ']', parens: 0 });
      return 1;
    }
    if (!inDouble && next === "'") {
      this.stack.push({ _tag: 'DollarSingle' });
      return 1;
    }
    if (!inDouble && next === '"') {
      this.stack.push({ _tag: 'Double' });
      return 1;
    }
    return 0;
  }

  private param(top: Extract<Frame, { _tag: 'Param' }>, s: string, i: number, atEnd: boolean): number | typeof HOLD {
    const c = s[i] as string;
    // The name (and `#`, `!` before it) ends at the first character that is not part of one.
    if (top.atName && !/[A-Za-z0-9_#!@*?$-]/.test(c)) top.atName = false;
    if (c === '\\') this.escaped = true;
    else if (c === '}') {
      if (top.braces > 0) top.braces -= 1;
      else this.stack.pop();
    } else if (c === '{') top.braces += 1;
    else if (c === '"') this.stack.push({ _tag: 'Double' });
    else if (c === "'") {
      if (top.inDouble) top.sawSingleQuote = !top.sawSingleQuote;
      else this.stack.push({ _tag: 'Single' });
    } else if (c === '`') this.stack.push({ _tag: 'Backquote', inner: new ShellLexer() });
    else if (c === '$') return this.dollar(s, i, false, atEnd);
    return 0;
  }

  private arithmetic(top: Extract<Frame, { _tag: 'Arithmetic' }>, s: string, i: number, atEnd: boolean): number | typeof HOLD {
    const c = s[i] as string;
    if (c === '\\') this.escaped = true;
    else if (c === '(' || (c === '[' && top.closer === ']')) top.parens += 1;
    else if (c === ')' && top.closer === '))') {
      if (top.parens > 0) top.parens -= 1;
      else {
        if (s[i + 1] === undefined && !atEnd) return HOLD;
        this.stack.pop();
        return s[i + 1] === ')' ? 1 : 0;
      }
    } else if (c === ']' && top.closer === ']') {
      if (top.parens > 0) top.parens -= 1;
      else this.stack.pop();
    } else if (c === '"') this.stack.push({ _tag: 'Double' });
    else if (c === "'") this.stack.push({ _tag: 'Single' });
    else if (c === '`') this.stack.push({ _tag: 'Backquote', inner: new ShellLexer() });
    else if (c === '$') return this.dollar(s, i, false, atEnd);
    return 0;
  }

  /** One character of the word after `<<`: blanks, then the delimiter, quotes removed. */
  private delimiterWord(top: Extract<Frame, { _tag: 'DelimiterWord' }>, c: string): number {
    if (top.escape) {
      top.escape = false;
      top.text += c;
      return 0;
    }
    if (top.quote !== '') {
      if (c === top.quote) top.quote = '';
      else top.text += c;
      return 0;
    }
    if (!top.started && (c === ' ' || c === '\t')) return 0;
    if (c === "'" || c === '"') {
      top.started = true;
      top.quoted = true;
      top.quote = c;
      return 0;
    }
    if (c === '\\') {
      top.started = true;
      top.quoted = true;
      top.escape = true;
      return 0;
    }
    if (/[\s;&|<>()]/.test(c)) {
      this.stack.pop();
      const cmd = this.top();
      if (cmd._tag === 'Command') cmd.pending.push({ delimiter: top.text, stripTabs: top.stripTabs, quoted: top.quoted });
      // The character that ended the word belongs to the command.
      return this.step(c, 0, undefined, true) as number;
    }
    top.started = true;
    top.text += c;
    return 0;
  }

  /** A line of a here-document body ended: it may be the delimiter line. */
  private endOfLine(top: Extract<Frame, { _tag: 'HereDocument' }>): void {
    const line = top.heredoc.stripTabs ? top.line.replace(/^\t+/, '') : top.line;
    if (line === top.heredoc.delimiter) {
      if (top.valueOnLine !== undefined) {
        this.problem ??= `line ${this.line} of the script: the value of "${top.valueOnLine}" would end the here-document (<<${top.heredoc.delimiter}) early, with a line "${top.heredoc.delimiter}"; read it from the environment instead ("$ROCKETSHIP_<NAME>")`;
      }
      this.stack.pop();
      return;
    }
    top.inner?.feed('\n', undefined);
    top.line = '';
    top.valueOnLine = undefined;
  }
}

const HOLD = Symbol('hold');

function command(closedByParen: boolean): Frame {
  return {
    _tag: 'Command',
    closedByParen,
    parens: 0,
    cases: 0,
    doubleBracket: false,
    commandStart: true,
    letArguments: false,
    wordStart: true,
    word: '',
    pending: [],
  };
}

function refused(why: string): Place {
  return { _tag: 'Refused', why };
}
