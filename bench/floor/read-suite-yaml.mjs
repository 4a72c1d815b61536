/**
 * Reads a suite file as the design card's pipeline reads it, and as our decoder parses it:
 * `yaml`'s `parseDocument` with a LineCounter (duplicate keys allowed, merge keys on), the first
 * syntax error thrown, the document as plain values (`toJS`). Shared by the floor scripts that
 * read suites: sequential-libs.mjs, card.mjs, card-fanout.mjs and parse-suite.mjs.
 *
 * readSuiteYaml('/tmp/bench/sequential.yaml').tests[0].steps.length   // 1000
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';

export function readSuiteYaml(file) {
  const doc = parseDocument(readFileSync(file, 'utf8'), {
    lineCounter: new LineCounter(),
    uniqueKeys: false,
    prettyErrors: false,
    merge: true,
  });
  if (doc.errors.length > 0) throw doc.errors[0];
  return doc.toJS();
}
