import { readFileSync } from 'node:fs';
import {
  XmlCData,
  XmlDocument,
  XmlElement as LibxmlElement,
  XmlText,
  XmlValidateError,
  XsdValidator,
  type XmlTreeNode,
} from 'libxml2-wasm';

// Reading the JUnit reports in specs: libxml2 (compiled to WebAssembly: no Java, no native build,
// nothing downloaded) parses them, strictly, and validates them against the Jenkins JUnit XSD
// shipped beside this file; `junitProblems` adds the rules of rocketship-rx's own JUnit contract
// that the schema leaves open.

/** An element as specs read it: a plain value, compared with deep equality. */
export interface XmlElement {
  readonly name: string;
  /** Attribute values as the XML spec normalises them (a literal tab or line break reads as a space; `&#10;` as a line break). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text (CDATA included), children's text excluded. */
  readonly text: string;
}

/** The text each root returned by {@link parseXml} was parsed from, for {@link junitProblems}. */
const sources = new WeakMap<XmlElement, string>();

/**
 * Parses a whole XML document with libxml2 and returns its root element as a plain tree. Throws
 * libxml2's `XmlParseError` (message and line) unless the document is well-formed XML 1.0: tags
 * that do not match, a duplicate attribute, a bare `&`, an undefined entity, a character XML
 * cannot hold (raw or as a reference), content after the root. No DTD or entity is loaded.
 *
 * parseXml('<a x="1">t<b/></a>')  // { name: 'a', attributes: { x: '1' }, children: [{ name: 'b', ... }], text: 't' }
 */
export function parseXml(source: string): XmlElement {
  const doc = XmlDocument.fromString(source);
  try {
    const root = plain(doc.root);
    sources.set(root, source);
    return root;
  } finally {
    doc.dispose();
  }
}

/** Children of `element` named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

const SCHEMA = readFileSync(new URL('./jenkins-junit.xsd', import.meta.url), 'utf8');
// Kept for the whole run: the validator reads the schema document it was made from.
const schemaDocument = XmlDocument.fromString(SCHEMA);
const schema = XsdValidator.fromDoc(schemaDocument);

const TIME = /^\d+\.\d{3}$/;
const COUNT = /^\d+$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/**
 * What is wrong with a JUnit report, given the root {@link parseXml} returned for it; none means
 * it is valid. First every error of validation against jenkins-junit.xsd (allowed elements and
 * attributes, their order and how many, required attributes), as `line N: <libxml2's message>`;
 * then what rocketship-rx promises beyond the schema, which makes those optional: the root is
 * `<testsuites>`; every count and time is there, counts as integers, times as seconds with
 * three decimals, timestamps as `YYYY-MM-DDTHH:MM:SS`; every testcase has a classname and every
 * failure and error a message; and the counts of each testsuite and of the whole add up.
 */
export function junitProblems(root: XmlElement): string[] {
  const source = sources.get(root);
  if (source === undefined) throw new Error('junitProblems needs the root element that parseXml returned');
  return [...schemaProblems(source), ...contractProblems(root)];
}

function schemaProblems(source: string): string[] {
  const doc = XmlDocument.fromString(source);
  try {
    schema.validate(doc);
    return [];
  } catch (error) {
    if (!(error instanceof XmlValidateError)) throw error;
    return error.details.map((detail) => `line ${detail.line}: ${detail.message.trim()}`);
  } finally {
    doc.dispose();
  }
}

function contractProblems(root: XmlElement): string[] {
  const problems: string[] = [];
  const need = (element: XmlElement, attribute: string, pattern?: RegExp) => {
    const value = element.attributes[attribute];
    if (value === undefined) problems.push(`<${element.name}> lacks ${attribute}`);
    else if (pattern !== undefined && !pattern.test(value))
      problems.push(`<${element.name} ${attribute}="${value}"> does not match ${pattern}`);
  };

  if (root.name !== 'testsuites') return [`root is <${root.name}>, not <testsuites>`];
  for (const attribute of ['tests', 'failures', 'errors']) need(root, attribute, COUNT);
  need(root, 'time', TIME);
  const totals = { tests: 0, failures: 0, errors: 0 };
  for (const suite of childrenNamed(root, 'testsuite')) {
    for (const attribute of ['tests', 'failures', 'errors', 'skipped']) need(suite, attribute, COUNT);
    need(suite, 'time', TIME);
    need(suite, 'timestamp', TIMESTAMP);
    const cases = childrenNamed(suite, 'testcase');
    const count = { tests: cases.length, failures: 0, errors: 0, skipped: 0 };
    for (const testcase of cases) {
      need(testcase, 'classname');
      need(testcase, 'time', TIME);
      for (const child of testcase.children) if (child.name === 'failure' || child.name === 'error') need(child, 'message');
      if (childrenNamed(testcase, 'failure').length > 0) count.failures++;
      if (childrenNamed(testcase, 'error').length > 0) count.errors++;
      if (childrenNamed(testcase, 'skipped').length > 0) count.skipped++;
    }
    for (const key of ['tests', 'failures', 'errors', 'skipped'] as const) {
      if (suite.attributes[key] !== String(count[key]))
        problems.push(`testsuite ${suite.attributes.name} ${key}="${suite.attributes[key]}" but counted ${count[key]}`);
    }
    totals.tests += count.tests;
    totals.failures += count.failures;
    totals.errors += count.errors;
  }
  for (const key of ['tests', 'failures', 'errors'] as const) {
    if (root.attributes[key] !== String(totals[key]))
      problems.push(`testsuites ${key}="${root.attributes[key]}" but counted ${totals[key]}`);
  }
  return problems;
}

/** libxml2's element as a plain value; comments and processing instructions are left out. */
function plain(element: LibxmlElement): XmlElement {
  const attributes: Record<string, string> = {};
  for (const attribute of element.attrs) attributes[attribute.name] = attribute.value;
  const children: XmlElement[] = [];
  let text = '';
  for (let node: XmlTreeNode | null = element.firstChild; node !== null; node = node.next) {
    if (node instanceof LibxmlElement) children.push(plain(node));
    else if (node instanceof XmlText || node instanceof XmlCData) text += node.content;
  }
  return { name: element.name, attributes, children, text };
}
