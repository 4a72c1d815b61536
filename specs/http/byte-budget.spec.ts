import { expect } from 'chai';
import { firstValueFrom, lastValueFrom, merge, toArray } from 'rxjs';
import { createAxiosClient } from '../../lib/http/axios-client.js';
import { createByteBudget } from '../../lib/http/byte-budget.js';
import { TransportError, type HttpResponse } from '../../lib/http/http-client.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('createByteBudget: response bytes read at once, across requests in flight (issue 11, item 20)', function () {
  this.timeout(20_000);
  let server: LocalServer;
  const body = Buffer.from(JSON.stringify({ status: 'done', pad: 'x'.repeat(MiB - 40) }));

  /** Responses of /halves whose second half waits until 10 requests came in. */
  let waiting: Array<() => void> = [];

  before(async () => {
    server = await startLocalServer((req, res) => {
      if (req.url === '/halves') {
        // The first half of every body at once; the second halves once all 10 requests are in,
        // after a pause long enough for the client to have read whatever it is going to read.
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
        res.write(body.subarray(0, body.length / 2));
        waiting.push(() => res.end(body.subarray(body.length / 2)));
        if (waiting.length === 10) {
          const all = waiting;
          waiting = [];
          setTimeout(() => all.forEach((finish) => finish()), 300);
        }
        return;
      }
      if (req.url === '/stall') {
        // headers and a first piece of the body, then nothing
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
        res.write(body.subarray(0, 200 * KiB));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) }).end(body);
    });
  });
  after(() => server.close());

  const get = (client: ReturnType<typeof createAxiosClient>, path = '/big', timeoutMs = 10_000) =>
    client({ method: 'GET', url: `${server.url}${path}`, headers: {}, timeoutMs });

  it('keeps 10 bodies of 1 MiB read at once under a 2 MiB budget (plus what one read brings per body), and every one arrives whole', async () => {
    const client = createAxiosClient({ maxBufferedBytes: 2 * MiB });
    const responses: HttpResponse[] = await lastValueFrom(
      merge(...Array.from({ length: 10 }, () => get(client, '/halves'))).pipe(toArray()),
    );
    expect(responses.map((r) => r.body._tag)).to.deep.equal(Array(10).fill('Json'));
    expect(client.responseBudget.peak).to.be.at.most(2 * MiB + 10 * 128 * KiB);
    expect(client.responseBudget.used).to.equal(0);
  });

  it('without a budget the same requests hold every first half at once, 5 MiB (what the budget prevents)', async () => {
    const client = createAxiosClient({ maxBufferedBytes: Infinity });
    await lastValueFrom(merge(...Array.from({ length: 10 }, () => get(client, '/halves'))).pipe(toArray()));
    expect(client.responseBudget.peak).to.be.at.least(5 * MiB);
  });

  it('never stalls: a budget smaller than one body still reads every body, the oldest first', async () => {
    const client = createAxiosClient({ maxBufferedBytes: 100 * KiB });
    const responses = await lastValueFrom(merge(...Array.from({ length: 4 }, () => get(client))).pipe(toArray()));
    expect(responses).to.have.length(4);
    expect(client.responseBudget.used).to.equal(0);
  });

  it('a body waiting for the budget still times out, and gives its bytes back', async () => {
    const client = createAxiosClient({ maxBufferedBytes: 100 * KiB });
    // The stalled body starts first and keeps the budget spent; the second waits, then times out.
    const stalled = firstValueFrom(get(client, '/stall', 600)).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    const waiting = await firstValueFrom(get(client, '/big', 300)).catch((e: unknown) => e);
    expect(waiting).to.be.instanceOf(TransportError);
    expect((waiting as TransportError).code).to.equal('ETIMEDOUT');
    expect(await stalled).to.be.instanceOf(TransportError);
    await new Promise((r) => setTimeout(r, 50));
    expect(client.responseBudget.used).to.equal(0);
  });

  it('counts a body until its reader lets it go, or until it closes cut short', async () => {
    const { PassThrough } = await import('node:stream');
    const budget = createByteBudget(10);
    const a = new PassThrough();
    const b = new PassThrough();
    budget.track(a);
    const releaseB = budget.track(b);
    a.on('data', () => undefined);
    b.on('data', () => undefined);
    a.write(Buffer.alloc(8));
    b.write(Buffer.alloc(8));
    await new Promise((r) => setImmediate(r));
    expect(budget.used).to.equal(16);
    expect(b.isPaused()).to.equal(true); // over the budget and not the first
    expect(a.isPaused()).to.equal(false); // the first always reads
    a.destroy(); // cut short: let go at once
    await new Promise((r) => setImmediate(r));
    expect(budget.used).to.equal(8);
    expect(b.isPaused()).to.equal(false); // woken: now the first
    b.end(); // read to the end: still held while its reader decodes it
    await new Promise((r) => setImmediate(r));
    expect(budget.used).to.equal(8);
    releaseB();
    releaseB();
    expect(budget.used).to.equal(0);
  });
});
