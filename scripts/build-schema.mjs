#!/usr/bin/env node
/**
 * Writes schema/rocketship.schema.json, the JSON Schema of suite files, from the codecs that
 * decode them (run by `npm run build` after `tsc`, from dist/). The file is committed and shipped
 * in the package: an editor can point at it on GitHub or in node_modules without a build, and a
 * change of the format shows up as a change of this file in review.
 * specs/dsl/suite-json-schema.spec.ts fails when the committed file is not what the codecs give.
 *
 * Usage: node scripts/build-schema.mjs
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = join(ROOT, 'schema', 'rocketship.schema.json');

const { formatSuiteJsonSchema } = await import(join(ROOT, 'dist/dsl/suite-json-schema.js'));
const text = formatSuiteJsonSchema();
let before;
try {
  before = readFileSync(TARGET, 'utf8');
} catch {
  before = undefined;
}
// Written only when it changed, so a build leaves the file (and its time) alone otherwise.
if (before !== text) {
  mkdirSync(dirname(TARGET), { recursive: true });
  writeFileSync(TARGET, text);
  console.log(`wrote ${TARGET.slice(ROOT.length + 1)}`);
}
