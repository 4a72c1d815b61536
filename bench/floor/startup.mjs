/**
 * The floor of the start-up workload: one GET and a status check with bare `node:http`, as a
 * whole process. With `--json-n N`, the body is also parsed as JSON and its `n` checked against
 * N, as the start-up suite's `json_path` check does. `node bench/floor/startup.mjs URL [--json-n N]`
 * prints `1 passed` and exits 0, or exits 1.
 */
import http from 'node:http';

const [url, flag, n] = process.argv.slice(2);
const expectedN = flag === '--json-n' ? Number(n) : undefined;
const agent = new http.Agent({ keepAlive: true });
http.get(url, { agent }, (res) => {
  // Without a JSON check the body is drained unread, as before the check was added.
  const chunks = [];
  if (expectedN === undefined) res.resume();
  else res.on('data', (chunk) => chunks.push(chunk));
  res.on('end', () => {
    const why =
      res.statusCode !== 200
        ? `status ${res.statusCode}`
        : expectedN !== undefined && JSON.parse(Buffer.concat(chunks).toString('utf8')).n !== expectedN
          ? `.n is not ${expectedN}`
          : undefined;
    process.stdout.write(why === undefined ? '1 passed\n' : `failed: ${why}\n`);
    process.exit(why === undefined ? 0 : 1);
  });
});
