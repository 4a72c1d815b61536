/**
 * The floor's HTTP client: one keep-alive agent and a GET that resolves to the status and the
 * body text, with node:http and nothing else. Shared by the floor scripts (not startup.mjs, whose
 * measure is a single bare module).
 */
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true });

/** GETs `url`; resolves `{ status, body }` once the whole body arrived. */
export function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      })
      .on('error', reject);
  });
}
