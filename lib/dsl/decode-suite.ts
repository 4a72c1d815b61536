import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument, type YAMLError } from 'yaml';
import { stepCodec } from './codecs/step.js';
import { type PluginCodecs } from './codecs/plugin-codecs.js';
import { Suite, suiteCodec } from './codecs/suite.js';
import { describeValue } from './describe-value.js';
import type { DslError } from './dsl-error.js';
import type { KeyPath } from './key-path.js';
import { formatKeyPath } from './key-path.js';
import { reportErrors, sortAndDedupe } from './report-errors.js';
import { capErrors } from './cap-errors.js';
import { formatUnclosedQuote, unclosedQuote } from './unclosed-quote.js';
import { checkDocumentLimits, MAX_NESTING } from './document-limits.js';
import { type DuplicateKey, duplicateKeys } from './duplicate-keys.js';
import { findNode, lineCol, pathAtOffset, spanOf } from './yaml-nodes.js';
import { locateTextIn, type TextPosition, type TextSpan } from './locate-text.js';

/** A decoded suite file, with a way back to positions in its source. */
export interface LoadedSuite {
  /** The file as named to the decoder. */
  readonly file: string;
  readonly suite: Suite;
  /**
   * 1-based line and column of the value at a key path (`['tests', 0, 'steps', 2]` gives the
   * step's first line), or `undefined` when the path is not in the file.
   */
  locate(path: KeyPath): { line: number; col: number } | undefined;
  /**
   * Where characters of a string of the file are: the string at a key path (its map key when
   * `span.key`), characters `from`..`to` of it as decoded (see `locateTextIn`): 1-based line and
   * column, the width to underline, and the source line. `undefined` when the path is not in the
   * file. Used to put a caret under one template of a longer string.
   */
  locateText(path: KeyPath, span: TextSpan): (TextPosition & { readonly source: string }) | undefined;
}

/** Options of {@link decodeSuiteText}. */
export interface DecodeSuiteOptions {
  /**
   * The plugins a step may name, each with the codec of its `config`. Default: the built-in
   * ones (`builtinPluginCodecs`: delay, http, log, script, sql).
   */
  readonly plugins?: PluginCodecs;
}

/**
 * Decodes the text of a suite file. Never throws: the result is either the typed suite or
 * every error of the file, in source order, each pointing at a line and column.
 *
 * - YAML syntax errors come first and alone (a broken document gives no further errors);
 *   duplicate keys are reported along with the other errors.
 * - An empty file, and a file whose top level is not a map, are one clear error each.
 * - At most `MAX_ERRORS` (100) errors are returned; the last then says how many more there are.
 * - `file` is only used to label errors; nothing is read from disk.
 *
 * decodeSuiteText('name: x\ntests: []\n', 'a.yaml')
 * // Left([{ file: 'a.yaml', line: 2, col: 8, path: 'tests', message: 'needs at least one test, found an empty list', ... }])
 */
export function decodeSuiteText(text: string, file: string, options: DecodeSuiteOptions = {}): E.Either<DslError[], LoadedSuite> {
  const lineCounter = new LineCounter();
  // Split like the YAML LineCounter counts: at LF, a CR before it belonging to the break.
  // Only errors quote a line, so a file without errors is never split.
  let lines: string[] | undefined;
  const at = (offset: number, length: number, path: string, message: string): DslError => {
    const { line, col } = lineCol(lineCounter, offset);
    lines ??= text.split(/\r?\n/);
    const source = lines[line - 1];
    return { file, line, col, path, message, ...(source === undefined ? {} : { source }), length: Math.max(1, length) };
  };

  let doc: Document;
  // A broken file can make the parser create hundreds of thousands of errors, whose stack
  // traces nobody reads: not capturing them halves the time and memory that takes.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    // Duplicate keys are found by `duplicateKeys` in linear time (the package's check is quadratic).
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, merge: true, logLevel: 'error' });
  } catch (e) {
    return E.left([at(0, 1, '', `could not parse the file as YAML: ${errorText(e)}`)]);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }

  const yamlErrors = [
    ...withUnclosedQuote(doc.errors, text).map((e) => yamlError(e, doc, at)),
    ...duplicateKeys(doc).map((d) => duplicateKeyError(d, at)),
  ];
  const syntaxBroken = doc.errors.length > 0;
  if (syntaxBroken) return E.left(capErrors(sortAndDedupe(yamlErrors)));

  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null && contents.source === '')) {
    return E.left([...yamlErrors, at(0, 1, '', 'the file is empty; a suite needs at least "name" and "tests"')]);
  }
  if (!isMap(contents)) {
    const kind = isSeq(contents) ? 'a list' : isScalar(contents) ? describeValue(contents.value) : 'something else';
    const offset = contents.range?.[0] ?? 0;
    return E.left([...yamlErrors, at(offset, 1, '', `a suite file must be a map at the top level (name, tests, ...), found ${kind}`)]);
  }

  // Nesting, aliases and alias expansion are bounded before anything recurses into the document.
  const limit = checkDocumentLimits(doc, (offset) => lineCol(lineCounter, offset).line);
  if (limit !== undefined)
    return E.left(capErrors(sortAndDedupe([...yamlErrors, at(limit.offset, limit.length, formatKeyPath(limit.path), limit.message)])));

  let value: unknown;
  try {
    // Alias expansion is bounded by checkDocumentLimits, with the offending alias located.
    value = doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    return E.left([...yamlErrors, at(0, 1, '', `could not read the YAML document: ${errorText(e)}`)]);
  }

  const codec = options.plugins === undefined ? Suite : codecFor(options.plugins);
  const result = codec.validate(value, [{ key: '', type: codec, actual: value }]);
  const decodeErrors = result._tag === 'Left' ? reportErrors(result.left, { file, text, doc, lineCounter }) : [];
  const all = capErrors(sortAndDedupe([...yamlErrors, ...decodeErrors]));
  if (all.length > 0 || result._tag === 'Left') return E.left(all);

  const { locate, locateText } = stepLocator(result.right, text, doc, lineCounter);
  return E.right({ file, suite: result.right, locate, locateText });
}

type Position = { line: number; col: number };

/**
 * `locate` for a decoded suite, without keeping the parsed document alive for the whole run
 * (about 8 KB a test, which thousands of concurrent tests feel): the positions of every step
 * (`init`, `steps`, `cleanup.always`, `cleanup.on_failure`, of the suite and of each test) and of
 * every test (all a run asks for) are taken now; any other path parses the text again, once, on
 * first use.
 */
function stepLocator(suite: Suite, text: string, doc: Document, lineCounter: LineCounter): Pick<LoadedSuite, 'locate' | 'locateText'> {
  // Computed in a function of its own: a closure created here would share this scope, `doc` included.
  const known = stepPositions(suite, doc, lineCounter);
  let again: { readonly doc: Document; readonly lineCounter: LineCounter; readonly lines: readonly string[] } | undefined;
  const parsedAgain = () => {
    if (again === undefined) {
      const counter = new LineCounter();
      again = {
        doc: parseDocument(text, { lineCounter: counter, uniqueKeys: false, prettyErrors: false, merge: true, logLevel: 'error' }),
        lineCounter: counter,
        lines: text.split(/\r?\n/),
      };
    }
    return again;
  };
  return {
    locate: (path) => {
      const key = JSON.stringify(path);
      if (known.has(key)) return known.get(key);
      const parsed = parsedAgain();
      return locateIn(parsed.doc, parsed.lineCounter, path);
    },
    locateText: (path, span) => {
      const parsed = parsedAgain();
      const at = locateTextIn(parsed.doc, parsed.lineCounter, text, path, span);
      if (at === undefined) return undefined;
      const source = parsed.lines[at.line - 1] ?? '';
      // The underline stays on the line (a span cut by a line break ends there).
      return { ...at, length: Math.max(1, Math.min(at.length, source.length - (at.col - 1))), source };
    },
  };
}

/** Positions of every test and step of the suite, by `JSON.stringify` of its key path. */
function stepPositions(suite: Suite, doc: Document, lineCounter: LineCounter): Map<string, Position | undefined> {
  const known = new Map<string, Position | undefined>();
  const note = (steps: readonly unknown[] | undefined, path: KeyPath): void => {
    steps?.forEach((_, i) => {
      const at = [...path, i];
      known.set(JSON.stringify(at), locateIn(doc, lineCounter, at));
    });
  };
  const noteAll = (owner: Pick<Suite, 'init' | 'cleanup'> & { readonly steps?: readonly unknown[] }, path: KeyPath): void => {
    note(owner.init, [...path, 'init']);
    note(owner.steps, [...path, 'steps']);
    note(owner.cleanup?.always, [...path, 'cleanup', 'always']);
    note(owner.cleanup?.on_failure, [...path, 'cleanup', 'on_failure']);
  };
  noteAll(suite, []);
  note(suite.tests, ['tests']); // each test's own line, for reports that tell same-named tests apart
  suite.tests.forEach((test, i) => noteAll(test, ['tests', i]));
  return known;
}

function locateIn(doc: Document, lineCounter: LineCounter, path: KeyPath): Position | undefined {
  const hit = findNode(doc, path);
  if (hit.resolved < path.length) return undefined;
  const span = spanOf(hit, false);
  return span === undefined ? undefined : lineCol(lineCounter, span.offset);
}

const codecs = new WeakMap<PluginCodecs, t.Type<Suite, unknown, unknown>>();

function codecFor(plugins: PluginCodecs): t.Type<Suite, unknown, unknown> {
  const cached = codecs.get(plugins);
  if (cached !== undefined) return cached;
  const codec = suiteCodec(stepCodec(plugins));
  codecs.set(plugins, codec);
  return codec;
}

function yamlError(
  e: SyntaxProblem,
  doc: Document,
  at: (offset: number, length: number, path: string, message: string) => DslError,
): DslError {
  const [start, end] = e.pos;
  if (e.code === 'MULTIPLE_DOCS') {
    return at(
      start,
      end - start,
      '',
      'a suite file holds one YAML document, but a second one starts here; remove the "---" line or split the file',
    );
  }
  // The package's composer recurses once per level and reports a stack overflow as an error.
  if (e.message.includes('Maximum call stack size exceeded')) {
    return at(
      start,
      end - start,
      formatKeyPath(pathAtOffset(doc, start).slice(0, MAX_NESTING)),
      `lists and maps nest more than ${MAX_NESTING} levels deep here; a suite needs only a few levels`,
    );
  }
  return at(start, end - start, formatKeyPath(pathAtOffset(doc, start)), `YAML syntax error: ${firstLine(e.message)}`);
}

/**
 * The package's errors, with a "Missing closing quote" (reported at the end of the file, where
 * the parser gave up) moved to the opening quote, and the errors after that quote dropped: the
 * string took in the rest of the file, so they are its consequences.
 */
function withUnclosedQuote(errors: readonly YAMLError[], text: string): SyntaxProblem[] {
  const missing = errors.find((e) => e.code === 'MISSING_CHAR' && /^Missing closing ["']quote/.test(e.message));
  const quote = missing === undefined ? undefined : unclosedQuote(text, missing.pos[0]);
  if (missing === undefined || quote === undefined) return [...errors];
  const before = errors.filter((e) => e !== missing && e.pos[0] < quote.offset);
  const moved: SyntaxProblem = {
    code: missing.code,
    pos: [quote.offset, quote.offset + 1],
    message: formatUnclosedQuote(quote),
  };
  return [...before, moved];
}

/** What `yamlError` reads of the package's error. */
type SyntaxProblem = Pick<YAMLError, 'code' | 'pos' | 'message'>;

function duplicateKeyError(d: DuplicateKey, at: (offset: number, length: number, path: string, message: string) => DslError): DslError {
  return at(
    d.offset,
    d.length,
    formatKeyPath(d.path),
    `duplicate key "${d.name}"; it is already set at line ${at(d.firstOffset, 1, '', '').line}`,
  );
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
