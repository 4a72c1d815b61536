import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import http, { type ClientRequest } from 'node:http';
import { traceExchange, type ExchangeBreak, type Transport } from '../../lib/http/exchange-trace.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';

describe('traceExchange', () => {
  let server: LocalServer;
  before(async () => {
    server = await startLocalServer((_req, res) => void res.writeHead(200, { 'Content-Length': '2' }).end('ok'));
  });
  after(() => server.close());

  /** Sends one GET through a traced Node transport; resolves with the trace once the body ended. */
  const send = (agent: http.Agent, breaks: ExchangeBreak[] = []) => {
    const { transport, trace } = traceExchange(NODE, { agent, onBreak: (why) => breaks.push(why) });
    const phases: string[] = [trace.phase];
    return new Promise<{ trace: typeof trace; phases: string[] }>((resolve, reject) => {
      const req = transport.request({ host: '127.0.0.1', port: server.port, path: '/', agent }, (res) => {
        phases.push(trace.phase);
        res.resume();
        res.on('end', () => resolve({ trace, phases }));
      });
      req.on('socket', () => setImmediate(() => phases.push(trace.phase)));
      req.on('error', reject);
      req.end();
    });
  };

  it('follows a request through its phases, counting the bytes of the response and of its body', async () => {
    const agent = new http.Agent({ keepAlive: true });
    const { trace, phases } = await send(agent);
    expect(phases[0]).to.equal('Connecting');
    expect(phases).to.include('Body');
    expect(trace.phase).to.equal('Body');
    expect(trace.reusedConnection).to.equal(false);
    expect(trace.bodyBytes).to.equal(2);
    expect(trace.responseBytes).to.be.above(2);
    expect(trace.informational).to.equal(undefined);
    expect(trace.connectionCap).to.equal(Infinity);
    const second = await send(agent);
    expect(second.trace.reusedConnection).to.equal(true);
    agent.destroy();
  });

  it('calls onBreak once when the request closes with neither a response nor an error', async () => {
    const breaks: ExchangeBreak[] = [];
    const silent = new EventEmitter();
    const stub: Transport = { request: () => silent as unknown as ClientRequest };
    traceExchange(stub, { agent: undefined, onBreak: (why) => breaks.push(why) }).transport.request({}, () => undefined);
    silent.emit('close');
    silent.emit('close');
    await new Promise((resolve) => setImmediate(resolve));
    expect(breaks).to.deep.equal([{ _tag: 'ClosedSilently' }]);
  });

  it('does not call onBreak when an error came before the close', async () => {
    const breaks: ExchangeBreak[] = [];
    const failing = new EventEmitter();
    const stub: Transport = { request: () => failing as unknown as ClientRequest };
    traceExchange(stub, { agent: undefined, onBreak: (why) => breaks.push(why) }).transport.request({}, () => undefined);
    failing.emit('error', new Error('socket hang up'));
    failing.emit('close');
    await new Promise((resolve) => setImmediate(resolve));
    expect(breaks).to.deep.equal([]);
  });
});

const NODE: Transport = { request: (options, onResponse) => http.request(options, onResponse) };
