import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { expect } from 'chai';
import http, { type ClientRequest, type IncomingMessage, type RequestOptions, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Transport } from '../../lib/http/exchange-trace.js';
import { nodeAdapter } from '../../lib/http/node-adapter.js';
import { toTransportError } from '../../lib/http/to-transport-error.js';
import { readBody, startLocalServer, type LocalServer } from '../helpers/local-server.js';

/** What the server saw of one request. */
interface Received {
  readonly method: string;
  readonly url: string;
  /** Header lines as `name: value`, names lower-cased, sorted. */
  readonly headerLines: readonly string[];
  readonly body: Buffer;
}

const received: Received[] = [];
/** Resolves, per held request, when the client closed its connection. */
const held: Array<Promise<void>> = [];
let endlessClosed: Promise<void> = Promise.resolve();

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const [, first, second] = new URL(req.url ?? '/', 'http://x').pathname.split('/');
  const hold = (): void => void held.push(new Promise((resolve) => req.socket.once('close', () => resolve())));
  switch (first) {
    case 'echo': {
      const body = await readBody(req);
      const lines: string[] = [];
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]?.toLowerCase()}: ${req.rawHeaders[i + 1]}`);
      received.push({ method: req.method ?? '', url: req.url ?? '', headerLines: lines.sort(), body });
      res.writeHead(200, 'Fine', [
        ['Content-Type', 'application/json'],
        ['X-Multi', 'a'],
        ['x-multi', 'b'],
      ]);
      res.end('{"ok":true}');
      return;
    }
    case 'status':
      res.writeHead(Number(second), { 'Content-Type': 'text/plain' }).end(`status ${second}`);
      return;
    case 'bytes':
      // Not UTF-8, not JSON: what comes back must be these bytes exactly.
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x0a]));
      return;
    case 'big':
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(Buffer.alloc(Number(second), 0x61));
      return;
    case 'endless': {
      endlessClosed = new Promise((resolve) => req.socket.once('close', () => resolve()));
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 0x62);
      const pump = (): void => {
        while (!res.destroyed) if (!res.write(chunk)) return void res.once('drain', pump);
      };
      pump();
      return;
    }
    case 'never':
      hold();
      return;
    case 'half-body':
      hold();
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '100' });
      res.write('part of it');
      return;
    case 'reset-mid-body':
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '100' });
      res.write('part', () => req.socket.destroy());
      return;
    case 'redirect':
      res.writeHead(302, { Location: '/echo' }).end();
      return;
    default:
      res.writeHead(404).end();
  }
}

let server: LocalServer;
let agent: http.Agent;
let client: AxiosInstance;

/** An instance as `createAxiosClient` sets one up: identity transforms, bytes back, no default headers. */
function instance(config: AxiosRequestConfig = {}): AxiosInstance {
  const created = axios.create({
    adapter: nodeAdapter,
    maxRedirects: 0,
    responseType: 'arraybuffer',
    transformRequest: [(data: unknown) => data],
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    ...config,
  });
  created.defaults.headers = {} as typeof created.defaults.headers;
  return created;
}

async function rejection(promise: Promise<unknown>): Promise<AxiosError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome, 'expected a rejection').to.be.instanceOf(AxiosError);
  return outcome as AxiosError;
}

describe('nodeAdapter', function () {
  before(async () => {
    server = await startLocalServer(route);
  });
  beforeEach(() => {
    server.reset();
    received.length = 0;
    held.length = 0;
    agent = new http.Agent({ keepAlive: true });
    client = instance({ httpAgent: agent });
  });
  afterEach(() => agent.destroy());
  after(() => server.close());

  describe('the request', () => {
    it('sends method, path and query as given, the headers asked for and none of axios (no Accept, Accept-Encoding or axios User-Agent)', async () => {
      await client.request({ method: 'GET', url: `${server.url}/echo/x?a=1&b=%20c`, headers: { 'X-Id': '7', Accept: false } });
      await client.request({ method: 'purge', url: `${server.url}/echo/y` });
      expect(received).to.have.length(2);
      expect(received[0]).to.deep.include({ method: 'GET', url: '/echo/x?a=1&b=%20c' });
      expect(received[0]?.headerLines).to.deep.equal(['connection: keep-alive', `host: 127.0.0.1:${server.port}`, 'x-id: 7']);
      expect(received[1]).to.deep.include({ method: 'PURGE', url: '/echo/y' });
    });

    it('sends a Buffer body byte for byte with its Content-Length, and Content-Length: 0 for a body-less POST', async () => {
      const body = Buffer.from('{"name":"é ☕"}', 'utf8');
      await client.post(`${server.url}/echo`, body, { headers: { 'Content-Type': false } });
      await client.post(`${server.url}/echo`, undefined, { headers: { 'Content-Type': false } });
      expect(received[0]?.body.equals(body)).to.equal(true);
      expect(received[0]?.headerLines).to.include(`content-length: ${body.length}`);
      expect(received[1]?.headerLines).to.include('content-length: 0');
      expect(received[1]?.body.length).to.equal(0);
    });

    it('runs axios interceptors around it: a request interceptor adds a header, a response interceptor sees the response', async () => {
      const statuses: number[] = [];
      client.interceptors.request.use((config) => {
        config.headers.set('X-Intercepted', 'yes');
        return config;
      });
      client.interceptors.response.use((response) => {
        statuses.push(response.status);
        return response;
      });
      await client.get(`${server.url}/echo`);
      expect(received[0]?.headerLines).to.include('x-intercepted: yes');
      expect(statuses).to.deep.equal([200]);
    });

    it('reuses a keep-alive connection: two requests, one connection', async () => {
      await client.get(`${server.url}/echo/1`);
      await client.get(`${server.url}/echo/2`);
      expect(server.requests).to.equal(2);
      expect(server.connections).to.equal(1);
    });

    it('sends through config.transport when one is given', async () => {
      const sent: string[] = [];
      const transport: Transport = {
        request: (options: RequestOptions, onResponse: (res: IncomingMessage) => void): ClientRequest => {
          sent.push(`${options.method} ${options.path}`);
          return http.request(options, onResponse);
        },
      };
      await client.get(`${server.url}/echo/t`, { transport });
      expect(sent).to.deep.equal(['GET /echo/t']);
      expect(server.requests).to.equal(1);
    });

    it('sends nothing when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const error = await rejection(client.get(`${server.url}/echo`, { signal: controller.signal }));
      expect(error.code).to.equal('ERR_CANCELED');
      expect(server.connections).to.equal(0);
    });
  });

  describe('the response', () => {
    it('gives status, status text, headers, the exact body bytes, and the ClientRequest with the raw header lines', async () => {
      const response = await client.get<Buffer>(`${server.url}/echo`);
      expect(response.status).to.equal(200);
      expect(response.statusText).to.equal('Fine');
      expect(response.headers['content-type']).to.equal('application/json');
      expect(response.data.toString('utf8')).to.equal('{"ok":true}');
      const raw = (response.request as { res: IncomingMessage }).res.rawHeaders;
      expect(raw).to.include.members(['X-Multi', 'x-multi']);
      const bytes = await client.get<Buffer>(`${server.url}/bytes`);
      expect([...bytes.data]).to.deep.equal([0x00, 0xff, 0xfe, 0x7b, 0x0a]);
    });

    it('resolves every status through validateStatus: 404 and 500 resolve here, and reject with the default one', async () => {
      expect((await client.get(`${server.url}/status/404`)).status).to.equal(404);
      expect((await client.get(`${server.url}/status/500`)).status).to.equal(500);
      const strict = instance({ httpAgent: agent, validateStatus: (s) => s < 400 });
      expect((await rejection(strict.get(`${server.url}/status/404`))).code).to.equal('ERR_BAD_REQUEST');
      expect((await rejection(strict.get(`${server.url}/status/503`))).code).to.equal('ERR_BAD_RESPONSE');
    });

    it('does not follow redirects: the 302 is the response, one request sent', async () => {
      const response = await client.get(`${server.url}/redirect`);
      expect(response.status).to.equal(302);
      expect(response.headers['location']).to.equal('/echo');
      expect(server.requests).to.equal(1);
    });
  });

  describe('the size cap (maxContentLength)', () => {
    it('passes a body at the limit and fails one past it with ERR_BAD_RESPONSE, which toTransportError calls BODY_TOO_LARGE', async () => {
      expect((await client.get<Buffer>(`${server.url}/big/1024`, { maxContentLength: 1024 })).data.length).to.equal(1024);
      const error = await rejection(client.get(`${server.url}/big/1025`, { maxContentLength: 1024 }));
      expect(error.code).to.equal('ERR_BAD_RESPONSE');
      expect(error.message).to.equal('maxContentLength size of 1024 exceeded');
      const mapped = toTransportError(error, { method: 'GET', url: `${server.url}/big/1025` }, { timedOut: false, maxBodyBytes: 1024 });
      expect(mapped.code).to.equal('BODY_TOO_LARGE');
    });

    it('stops reading an endless body at the limit: the connection is closed', async () => {
      const error = await rejection(client.get(`${server.url}/endless`, { maxContentLength: 64 * 1024 }));
      expect(error.message).to.equal(`maxContentLength size of ${64 * 1024} exceeded`);
      await endlessClosed;
    });
  });

  describe('aborting (config.signal)', () => {
    it('before the response: ERR_CANCELED, and the server sees the connection close', async () => {
      const controller = new AbortController();
      const pending = rejection(client.get(`${server.url}/never`, { signal: controller.signal }));
      await server.waitFor((s) => s.requests === 1);
      controller.abort();
      expect((await pending).code).to.equal('ERR_CANCELED');
      await held[0];
      expect(server.closedConnections).to.equal(1);
    });

    it('in the middle of the body: ERR_CANCELED, and the connection is closed, not pooled', async () => {
      const controller = new AbortController();
      // Aborts as the first bytes of the body arrive, before the adapter sees them.
      const transport: Transport = {
        request: (options, onResponse) =>
          http.request(options, (res) => {
            res.once('data', () => controller.abort());
            onResponse(res);
          }),
      };
      const error = await rejection(client.get(`${server.url}/half-body`, { signal: controller.signal, transport }));
      expect(error.code).to.equal('ERR_CANCELED');
      await held[0];
      expect(agent.freeSockets).to.deep.equal({});
      await client.get(`${server.url}/echo`);
      expect(server.connections).to.equal(2);
    });
  });

  describe('timeout', () => {
    it('bounds the whole exchange: ECONNABORTED (ETIMEDOUT with clarifyTimeoutError), and the connection is closed', async () => {
      const error = await rejection(client.get(`${server.url}/never`, { timeout: 100 }));
      expect(error.code).to.equal('ECONNABORTED');
      expect(error.message).to.equal('timeout of 100ms exceeded');
      await held[0];
      const clear = await rejection(client.get(`${server.url}/half-body`, { timeout: 100, transitional: { clarifyTimeoutError: true } }));
      expect(clear.code).to.equal('ETIMEDOUT');
      await held[1];
    });
  });

  describe('transport failures', () => {
    it('connection refused: ECONNREFUSED, with the Node error as cause', async () => {
      const closed = await startLocalServer(() => undefined);
      await closed.close();
      const error = await rejection(client.get(`${closed.url}/x`));
      expect(error.code).to.equal('ECONNREFUSED');
      expect((error.cause as NodeJS.ErrnoException).code).to.equal('ECONNREFUSED');
    });

    it('a reset in the middle of the body rejects, and toTransportError reads it as ECONNRESET', async () => {
      const error = await rejection(client.get(`${server.url}/reset-mid-body`));
      const mapped = toTransportError(error, { method: 'GET', url: `${server.url}/reset-mid-body` }, { timedOut: false, maxBodyBytes: 1 });
      expect(mapped.code).to.equal('ECONNRESET');
    });
  });

  describe('TLS', () => {
    let tls: LocalServer;
    before(async () => {
      tls = await startLocalServer((_req, res) => void res.writeHead(200).end('tls'), { tls: true });
    });
    beforeEach(() => tls.reset());
    after(() => tls.close());

    it('verifies the certificate: a self-signed one is rejected with its code, and no request is sent', async () => {
      const error = await rejection(client.get(`${tls.url}/a`, { httpsAgent: new https.Agent() }));
      expect(error.code).to.equal('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(tls.requests).to.equal(0);
    });

    it('takes TLS options from httpsAgent: rejectUnauthorized false accepts it', async () => {
      const insecure = new https.Agent({ rejectUnauthorized: false });
      const response = await client.get<Buffer>(`${tls.url}/a`, { httpsAgent: insecure });
      expect(response.data.toString()).to.equal('tls');
      expect(tls.requests).to.equal(1);
      insecure.destroy();
    });
  });

  describe('proxies from the environment', () => {
    const names = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY'];
    let saved: Record<string, string | undefined> = {};
    beforeEach(() => {
      saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
      names.forEach((n) => delete process.env[n]);
    });
    afterEach(() => names.forEach((n) => (saved[n] === undefined ? delete process.env[n] : (process.env[n] = saved[n]))));

    it('a request a proxy applies to goes through axios own adapter, to the proxy (here our server)', async () => {
      process.env['http_proxy'] = server.url;
      await client.get('http://api.example.test/echo/via-proxy');
      expect(received[0]?.url).to.equal('http://api.example.test/echo/via-proxy');
    });

    it('a request with a proxy of its own goes through axios own adapter too', async () => {
      await client.get('http://api.example.test/echo/own-proxy', { proxy: { protocol: 'http', host: '127.0.0.1', port: server.port } });
      expect(received[0]?.url).to.equal('http://api.example.test/echo/own-proxy');
    });

    it('with proxy: false the request goes direct, through this adapter (axios would add its User-Agent)', async () => {
      process.env['http_proxy'] = 'http://127.0.0.1:9';
      await client.get(`${server.url}/echo/direct`, { proxy: false });
      expect(received[0]?.url).to.equal('/echo/direct');
      expect(received[0]?.headerLines.some((l) => l.startsWith('user-agent'))).to.equal(false);
    });
  });
});
