/**
 * The benchmark's HTTP server, in a process of its own (started by bench/run.ts with `fork`, so
 * it talks over IPC): a bare `node:http` server on 127.0.0.1, port 0, that records when each
 * request arrived and when its response was finished, on one clock (`performance.now()` of
 * this process), so that gaps and lateness never mix two processes' clocks.
 *
 * Routes (every response is JSON, `Content-Type: application/json`):
 *   GET /ok/<n>               200 {"ok":true,"n":<n>}
 *   GET /poll/<key>?done=<k>  200 {"status":"pending","attempt":i} for the first k-1 requests
 *                             of <key>, then {"status":"done","attempt":i}
 *   GET /wait/<key>?hold=<ms> 200 {"status":"pending","attempt":i} after holding the response
 *                             <ms> (default 0): never done, so that polls of it wait (the
 *                             memory workload); recorded as /poll/ is
 *   GET /big/<key>?done=<k>   200 {"status":"pending","items":[...]} of 9.9 MiB (109,000 small
 *                             objects) for the first k-1 requests of <key>, then the same with
 *                             "status":"done" (the large-bodies workload); recorded as /poll/ is
 *
 * IPC messages, each answered with one message of the same `type`:
 *   { type: 'reset' }    forget every record        -> { type, ok: true }
 *   { type: 'records' }  what arrived since reset    -> { type, requests, polls: { key: [[arrivedMs, finishedMs], ...] },
 *                                                       okArrivals: [arrivedMs of each /ok/ request, ...] }
 *   { type: 'close' }    stop                        -> { type, ok: true }, then exit
 * On start it sends { type: 'listening', port }.
 */
import http from 'node:http';

let requests = 0;
/** The two bodies of /big/, made on its first request: { pending, done } as Buffers. */
let bigBodies;
/** 9.9 MiB of JSON: `{"status":"<status>","items":[...]}`, as issue 11 item 20 and issue 17 point 4 describe. */
function bigBody(status) {
  const items = [];
  let size = 40;
  for (let i = 0; size < 9.9 * 2 ** 20; i += 1) {
    const item = JSON.stringify({ id: i, name: `item number ${i}`, tags: ['a', 'b', 'c'], value: i * 1.5, status: 'pending' });
    items.push(item);
    size += item.length + 1;
  }
  return Buffer.from(`{"status":"${status}","items":[${items.join(',')}]}`);
}
/** key -> [[arrivedMs, finishedMs], ...] in arrival order */
let polls = new Map();
/** When each request of /ok/ arrived, in arrival order (the sequential workload's steps as they run) */
let okArrivals = [];

const server = http.createServer((req, res) => {
  const arrived = performance.now();
  requests++;
  const url = req.url ?? '/';
  let body;
  if (url.startsWith('/wait/')) {
    const q = url.indexOf('?');
    const key = url.slice(6, q < 0 ? undefined : q);
    const hold = q < 0 ? 0 : Number(new URLSearchParams(url.slice(q + 1)).get('hold') ?? 0);
    let list = polls.get(key);
    if (list === undefined) polls.set(key, (list = []));
    const entry = [arrived, arrived];
    list.push(entry);
    res.on('finish', () => (entry[1] = performance.now()));
    const answer = `{"status":"pending","attempt":${list.length}}`;
    const send = () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(answer) });
      res.end(answer);
    };
    if (hold > 0) setTimeout(send, hold);
    else send();
    return;
  } else if (url.startsWith('/poll/') || url.startsWith('/big/')) {
    const big = url.startsWith('/big/');
    const q = url.indexOf('?');
    const key = url.slice(big ? 5 : 6, q < 0 ? undefined : q);
    const done = q < 0 ? 1 : Number(new URLSearchParams(url.slice(q + 1)).get('done') ?? 1);
    let list = polls.get(key);
    if (list === undefined) polls.set(key, (list = []));
    const entry = [arrived, arrived];
    list.push(entry);
    res.on('finish', () => (entry[1] = performance.now()));
    if (big) {
      bigBodies ??= { pending: bigBody('pending'), done: bigBody('done') };
      const answer = list.length >= done ? bigBodies.done : bigBodies.pending;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': answer.length });
      res.end(answer);
      return;
    }
    body = `{"status":"${list.length >= done ? 'done' : 'pending'}","attempt":${list.length}}`;
  } else if (url.startsWith('/ok/')) {
    okArrivals.push(arrived);
    body = `{"ok":true,"n":${Number(url.slice(4)) || 0}}`;
  } else {
    res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': 2 });
    res.end('{}');
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
});
// Clients keep connections alive between polls: never close an idle one during a run.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.requestTimeout = 0;

process.on('message', (message) => {
  switch (message?.type) {
    case 'reset':
      requests = 0;
      polls = new Map();
      okArrivals = [];
      process.send({ type: 'reset', ok: true });
      break;
    case 'records':
      process.send({ type: 'records', requests, polls: Object.fromEntries(polls), okArrivals });
      break;
    case 'close':
      server.closeAllConnections();
      server.close(() => process.send({ type: 'close', ok: true }, () => process.exit(0)));
      break;
  }
});
process.on('disconnect', () => process.exit(0));

// A backlog large enough for 10,000 clients connecting at once (capped by net.core.somaxconn).
server.listen(0, '127.0.0.1', 65535, () => process.send({ type: 'listening', port: server.address().port }));
