/**
 * The floor of the start-up workload: one GET and a status check with bare `node:http`, as a
 * whole process. `node bench/floor/startup.mjs URL` prints `1 passed` and exits 0, or exits 1.
 */
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true });
http.get(process.argv[2], { agent }, (res) => {
  res.resume();
  res.on('end', () => {
    const ok = res.statusCode === 200;
    process.stdout.write(ok ? '1 passed\n' : `failed: status ${res.statusCode}\n`);
    process.exit(ok ? 0 : 1);
  });
});
