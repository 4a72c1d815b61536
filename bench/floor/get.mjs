/**
 * The floor's HTTP client: one keep-alive agent and a GET that resolves to the status and the
 * body text, with node:http and nothing else. Shared by the floor scripts (not startup.mjs, whose
 * measure is a single bare module).
 */
import http from 'node:http';

/**
 * The keep-alive pool every GET goes through (bench/floor/memory.mjs closes its idle sockets).
 * TCP keep-alive after 60 s idle, as our client's pool sets it: with Node's default of 1 s, a
 * request held by the server (the memory workload's 20 s) was probed every second, and when
 * 10,000 connections arrived at once, those still waiting in the server's accept queue failed
 * with `read ETIMEDOUT` after ten probes.
 */
export const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 60_000 });

/**
 * Sends a GET of `url` and calls `settle` once: `settle(undefined, { status, body })` when the
 * whole body arrived, `settle(error)` when the request or the response failed. Returns Node's
 * request (to cut it off).
 */
export function send(url, settle) {
  const request = http.get(url, { agent }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => settle(undefined, { status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    res.on('error', (error) => settle(error));
  });
  request.on('error', (error) => settle(error));
  return request;
}

/** GETs `url`; resolves `{ status, body }` once the whole body arrived. */
export function get(url) {
  return new Promise((resolve, reject) => send(url, (error, response) => (error === undefined ? resolve(response) : reject(error))));
}
