import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Pair, type YAMLError } from 'yaml';
import { stepCodec } from './codecs/step.js';
import { type PluginCodecs } from './codecs/plugin-codecs.js';
import { Suite, suiteCodec } from './codecs/suite.js';
import { describeValue } from './describe-value.js';
import type { DslError } from './dsl-error.js';
import type { KeyPath } from './key-path.js';
import { formatKeyPath } from './key-path.js';
import { reportErrors, sortAndDedupe } from './report-errors.js';
import { findNode, keyText, lineCol, pairWithKeyAt, pathAtOffset, spanOf } from './yaml-nodes.js';

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
}

/** Options of {@link decodeSuiteText}. */
export interface DecodeSuiteOptions {
  /**
   * The plugins a step may name, each with the codec of its `config`. Default: the built-in
   * ones (`builtinPluginCodecs`: delay, http, log, script).
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
 * - `file` is only used to label errors; nothing is read from disk.
 *
 * decodeSuiteText('name: x\ntests: []\n', 'a.yaml')
 * // Left([{ file: 'a.yaml', line: 2, col: 8, path: 'tests', message: 'needs at least one test, found an empty list', ... }])
 */
export function decodeSuiteText(text: string, file: string, options: DecodeSuiteOptions = {}): E.Either<DslError[], LoadedSuite> {
  const lineCounter = new LineCounter();
  // Split like the YAML LineCounter counts: at LF, a CR before it belonging to the break.
  const lines = text.split(/\r?\n/);
  const at = (offset: number, length: number, path: string, message: string): DslError => {
    const { line, col } = lineCol(lineCounter, offset);
    const source = lines[line - 1];
    return { file, line, col, path, message, ...(source === undefined ? {} : { source }), length: Math.max(1, length) };
  };

  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: true, logLevel: 'error' });
  } catch (e) {
    return E.left([at(0, 1, '', `could not parse the file as YAML: ${errorText(e)}`)]);
  }

  const yamlErrors = doc.errors.map((e) => yamlError(e, doc, at));
  const syntaxBroken = doc.errors.some((e) => e.code !== 'DUPLICATE_KEY');
  if (syntaxBroken) return E.left(sortAndDedupe(yamlErrors));

  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null && contents.source === '')) {
    return E.left([...yamlErrors, at(0, 1, '', 'the file is empty; a suite needs at least "name" and "tests"')]);
  }
  if (!isMap(contents)) {
    const kind = isSeq(contents) ? 'a list' : isScalar(contents) ? describeValue(contents.value) : 'something else';
    const offset = contents.range?.[0] ?? 0;
    return E.left([
      ...yamlErrors,
      at(offset, 1, '', `a suite file must be a map at the top level (name, tests, ...), found ${kind}`),
    ]);
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return E.left([...yamlErrors, at(0, 1, '', `could not read the YAML document: ${errorText(e)}`)]);
  }

  const codec = options.plugins === undefined ? Suite : codecFor(options.plugins);
  const result = codec.validate(value, [{ key: '', type: codec, actual: value }]);
  const decodeErrors = result._tag === 'Left' ? reportErrors(result.left, { file, text, doc, lineCounter }) : [];
  const all = sortAndDedupe([...yamlErrors, ...decodeErrors]);
  if (all.length > 0 || result._tag === 'Left') return E.left(all);

  return E.right({
    file,
    suite: result.right,
    locate: (path: KeyPath) => {
      const hit = findNode(doc, path);
      if (hit.resolved < path.length) return undefined;
      const span = spanOf(hit, false);
      return span === undefined ? undefined : lineCol(lineCounter, span.offset);
    },
  });
}

const codecs = new WeakMap<PluginCodecs, t.Type<Suite, unknown, unknown>>();

function codecFor(plugins: PluginCodecs): t.Type<Suite, unknown, unknown> {
  const cached = codecs.get(plugins);
  if (cached !== undefined) return cached;
  const codec = suiteCodec(stepCodec(plugins));
  codecs.set(plugins, codec);
  return codec;
}

function yamlError(e: YAMLError, doc: Document, at: (offset: number, length: number, path: string, message: string) => DslError): DslError {
  const [start, end] = e.pos;
  if (e.code === 'DUPLICATE_KEY') {
    const found = pairWithKeyAt(doc, start);
    const key = (found?.pair.key ?? null) as Node | null;
    const name = keyText(key);
    const keyRange = key?.range ?? undefined;
    const first = found?.siblings.find((p: Pair) => p !== found.pair && keyText(p.key as Node | null) === name);
    const firstOffset = (first?.key as Node | null | undefined)?.range?.[0];
    const where = firstOffset === undefined ? '' : `; it is already set at line ${at(firstOffset, 1, '', '').line}`;
    const label = name === undefined ? 'duplicate key' : `duplicate key "${name}"`;
    const length = keyRange === undefined ? end - start : keyRange[1] - keyRange[0];
    return at(start, length, formatKeyPath(pathAtOffset(doc, start)), `${label}${where}`);
  }
  if (e.code === 'MULTIPLE_DOCS') {
    return at(start, end - start, '', 'a suite file holds one YAML document, but a second one starts here; remove the "---" line or split the file');
  }
  return at(start, end - start, formatKeyPath(pathAtOffset(doc, start)), `YAML syntax error: ${firstLine(e.message)}`);
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
