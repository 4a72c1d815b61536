import { expect } from 'chai';
import http from 'node:http';
import type { Socket } from 'node:net';
import { honourKeepAliveTimeout, KEEP_ALIVE_MARGIN_MS, keepAliveTimeoutMs } from '../../lib/http/keep-alive-timeout.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';

describe('keepAliveTimeoutMs', () => {
  it('reads timeout=N in seconds, in any position, case and quoting', () => {
    expect(keepAliveTimeoutMs('timeout=5')).to.equal(5000);
    expect(keepAliveTimeoutMs('timeout=5, max=1000')).to.equal(5000);
    expect(keepAliveTimeoutMs('max=100, timeout=2')).to.equal(2000);
    expect(keepAliveTimeoutMs('MAX=100,Timeout = "3"')).to.equal(3000);
    expect(keepAliveTimeoutMs('timeout=0')).to.equal(0);
  });

  it('is undefined without a usable timeout', () => {
    for (const header of [
      undefined,
      '',
      'max=100',
      'timeout=',
      'timeout=-1',
      'timeout=1.5',
      'timeout=abc',
      'xtimeout=5',
      'timeout=9999999999',
    ]) {
      expect(keepAliveTimeoutMs(header), String(header)).to.equal(undefined);
    }
  });

  it('reads each header for itself when the same ones come again, in any order', () => {
    // The last header read is remembered: a repeat must give its own answer, never another's.
    const headers: Array<[string | undefined, number | undefined]> = [
      ['timeout=5', 5000],
      ['timeout=5', 5000],
      ['max=100', undefined],
      ['max=100', undefined],
      ['timeout=5', 5000],
      [undefined, undefined],
      ['timeout=5', 5000],
      ['timeout=2, max=9', 2000],
      ['timeout=5', 5000],
    ];
    for (const [header, ms] of headers) expect(keepAliveTimeoutMs(header), String(header)).to.equal(ms);
  });
});

describe('honourKeepAliveTimeout', () => {
  let server: LocalServer;
  let header = '';
  before(async () => {
    server = await startLocalServer((_req, res) => void res.writeHead(200, header === '' ? {} : { 'Keep-Alive': header }).end('ok'));
  });
  beforeEach(async () => {
    await server.waitFor((s) => s.openConnections === 0);
    server.reset();
  });
  after(() => server.close());

  /** One request through `agent`; resolves with its socket once the response ended and the socket went back to the pool. */
  const get = (agent: http.Agent, hints: WeakMap<Socket, number>, stated: number | undefined): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const req = http.get(`${server.url}/`, { agent }, (res) => {
        if (stated === undefined) hints.delete(res.socket);
        else hints.set(res.socket, stated);
        const socket = res.socket;
        res.resume();
        res.on('end', () => agent.once('free', () => setImmediate(() => resolve(socket))));
      });
      req.on('error', reject);
    });

  it("lowers an idle socket's timeout to the stated one less the margin, and never raises it", async () => {
    const hints = new WeakMap<Socket, number>();
    const agent = honourKeepAliveTimeout(new http.Agent({ keepAlive: true, timeout: 4000 }), hints);
    header = 'max=100, timeout=3';
    expect((await get(agent, hints, 3000)).timeout).to.equal(3000 - KEEP_ALIVE_MARGIN_MS);
    header = 'timeout=60';
    expect((await get(agent, hints, 60_000)).timeout).to.equal(4000);
    header = '';
    expect((await get(agent, hints, undefined)).timeout).to.equal(4000);
    agent.destroy();
  });

  it('destroys an idle socket at once when the stated timeout is within the margin', async () => {
    const hints = new WeakMap<Socket, number>();
    const agent = honourKeepAliveTimeout(new http.Agent({ keepAlive: true, timeout: 4000 }), hints);
    header = 'max=5, timeout=1';
    const socket = await get(agent, hints, 1000);
    expect(socket.destroyed).to.equal(true);
    await server.waitFor((s) => s.closedConnections === 1);
    agent.destroy();
  });
});
