/**
 * What parsing a suite file with the card's parser costs a fresh process, for the sequential
 * workload (bench/workloads/sequential.ts):
 *
 *   node bench/floor/parse-suite.mjs SUITE_FILE
 *
 * reads the file and parses it as bench/floor/sequential-libs.mjs does (`readSuiteYaml`: `yaml`'s
 * `parseDocument` with a LineCounter, then `toJS`), once, and prints the time that took as its
 * last line: `{"parseMs":412.3,"steps":1000}`. Loading `yaml` and starting node are outside it.
 * Every side of the workload but the floor pays this before its first request.
 */
import { readSuiteYaml } from './read-suite-yaml.mjs';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: node bench/floor/parse-suite.mjs SUITE_FILE');
const started = performance.now();
const steps = readSuiteYaml(file).tests[0].steps.length;
const parseMs = performance.now() - started;
process.stdout.write(`${JSON.stringify({ parseMs, steps })}\n`);
