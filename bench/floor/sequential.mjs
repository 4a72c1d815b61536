/**
 * The floor of the sequential workload: N GETs one after another with bare `node:http` and a
 * keep-alive agent, each checked for status 200 and `.n` in its JSON body.
 * `node bench/floor/sequential.mjs BASE_URL N` requests BASE_URL/ok/0 ... /ok/N-1.
 */
import { get } from './get.mjs';

const [base, count] = [process.argv[2], Number(process.argv[3])];

let passed = 0;
for (let i = 0; i < count; i++) {
  const r = await get(`${base}/ok/${i}`);
  if (r.status === 200 && JSON.parse(r.body).n === i) passed++;
}
process.stdout.write(`${passed} passed, ${count - passed} failed\n`);
process.exit(passed === count ? 0 : 1);
