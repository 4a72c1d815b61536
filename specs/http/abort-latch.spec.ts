import axios from 'axios';
import { expect } from 'chai';
import { AbortLatch } from '../../lib/http/abort-latch.js';
import { nodeAdapter } from '../../lib/http/node-adapter.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';

describe('AbortLatch', () => {
  it('calls its abort listeners once, in the order added, and is aborted from then on', () => {
    const latch = new AbortLatch();
    const calls: string[] = [];
    latch.addEventListener('abort', () => calls.push('a'));
    latch.addEventListener('abort', () => calls.push('b'));
    expect(latch.aborted).to.equal(false);
    latch.abort();
    latch.abort();
    expect(calls).to.deep.equal(['a', 'b']);
    expect(latch.aborted).to.equal(true);
  });

  it('does not call a removed listener, nor one for another event, nor one added after the abort', () => {
    const latch = new AbortLatch();
    const calls: string[] = [];
    const removed = (): number => calls.push('removed');
    latch.addEventListener('abort', removed);
    latch.addEventListener('other', () => calls.push('other'));
    latch.removeEventListener('abort', removed);
    latch.abort();
    latch.addEventListener('abort', () => calls.push('late'));
    expect(calls).to.deep.equal([]);
  });

  describe('as the signal of an axios request', () => {
    let server: LocalServer;
    let closed: Promise<void> = Promise.resolve();
    before(async () => {
      server = await startLocalServer((req) => {
        closed = new Promise((resolve) => req.socket.once('close', () => resolve()));
      });
    });
    after(() => server.close());

    for (const [name, adapter] of [
      ['nodeAdapter', nodeAdapter],
      ["axios's http adapter", 'http'],
    ] as const) {
      it(`cancels it through ${name}: ERR_CANCELED, and the server sees the connection close`, async () => {
        server.reset();
        const latch = new AbortLatch();
        const pending = axios.get(`${server.url}/never`, { adapter, signal: latch }).then(
          () => undefined,
          (error: { code?: string }) => error.code,
        );
        await server.waitFor((s) => s.requests === 1);
        latch.abort();
        expect(await pending).to.equal('ERR_CANCELED');
        await closed;
      });
    }

    it('an aborted latch sends nothing', async () => {
      server.reset();
      const latch = new AbortLatch();
      latch.abort();
      const code = await axios.get(`${server.url}/x`, { adapter: nodeAdapter, signal: latch }).then(
        () => undefined,
        (error: { code?: string }) => error.code,
      );
      expect(code).to.equal('ERR_CANCELED');
      expect(server.connections).to.equal(0);
    });
  });
});
