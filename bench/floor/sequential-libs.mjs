/**
 * The sequential workload with the card's libraries and nothing of ours: what any implementation
 * that parses the suite with `yaml` and sends with `axios` pays at least. It reads the suite file
 * our CLI runs, parses it as our decoder does (`parseDocument` with a LineCounter, then `toJS`),
 * and for each step GETs its URL with axios configured as lib/http/axios-client.ts configures it
 * (keep-alive agent, raw bytes, no redirects followed by axios), then checks the status and the
 * JSON field as the step's two assertions do. No io-ts decoding, no RxJS, no templates, no
 * reporting: those are ours, and this measures what is left without them.
 * `node bench/floor/sequential-libs.mjs SUITE_FILE`
 */
import { createFloorAxios } from './axios-client.mjs';
import { readSuiteYaml } from './read-suite-yaml.mjs';

const steps = readSuiteYaml(process.argv[2]).tests[0].steps;

const client = createFloorAxios();

let passed = 0;
for (const step of steps) {
  const response = await client.request({ method: step.config.method, url: step.config.url });
  const [status, field] = step.assertions;
  if (response.status === status.expected && JSON.parse(Buffer.from(response.data).toString('utf8')).n === field.expected) passed++;
}
process.stdout.write(`${passed} passed, ${steps.length - passed} failed\n`);
process.exit(passed === steps.length ? 0 : 1);
