import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import { firstValueFrom, lastValueFrom, merge, toArray, type Observable } from 'rxjs';
import { IDLE_SOCKET_MS } from '../../lib/http/agents.js';
import { createAxiosClient, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_SOCKETS_PER_HOST } from '../../lib/http/axios-client.js';
import { buildRequest, type RenderedHttpConfig } from '../../lib/http/build-request.js';
import { TransportError, type HttpClient, type HttpRequest, type HttpResponse } from '../../lib/http/http-client.js';
import { VERSION } from '../../lib/version.js';
import { USER_AGENT } from '../../lib/http/wire-headers.js';
import { readBody, startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { okResponse, startRawServer, type RawServer } from '../helpers/raw-server.js';
import { collectGarbage } from '../helpers/gc.js';

/** What the server saw of one request. */
interface Received {
  readonly method: string;
  readonly url: string;
  /** Header lines as `name: value`, names lower-cased, sorted: exact, but independent of order. */
  readonly headerLines: readonly string[];
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

/** Requests the server is holding without answering; `closed` resolves when the client hangs up. */
interface Held {
  readonly closed: Promise<void>;
}

const received: Received[] = [];
const held: Held[] = [];
/** Bytes the endless-body route managed to write before the client hung up. */
let endlessBytesWritten = 0;
let endlessClosed: Promise<void> = Promise.resolve();

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const [, first, second] = url.pathname.split('/');
  switch (first) {
    case 'echo': {
      const body = await readBody(req);
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headerLines: headerLines(req.rawHeaders),
        rawHeaders: req.rawHeaders,
        body,
      });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
      return;
    }
    case 'status':
      res.writeHead(Number(second), { 'Content-Type': 'application/json' }).end(`{"status":${Number(second)}}`);
      return;
    case 'never':
      held.push({ closed: new Promise((resolve) => req.socket.once('close', () => resolve())) });
      return; // never answers
    case 'reset-before-headers':
      req.socket.destroy();
      return;
    case 'reset-mid-body':
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"partial":', () => req.socket.destroy());
      return;
    case 'slow-headers':
      // A status line and one header, then silence: the header block never ends.
      held.push({ closed: new Promise((resolve) => req.socket.once('close', () => resolve())) });
      req.socket.write('HTTP/1.1 200 OK\r\nX-Slow: 1\r\n');
      return;
    case 'trickle': {
      // The response in small pieces, 10 ms apart: slow, but well within the client's timeout.
      const pieces = ['HTTP/1.1 200 OK\r\n', 'Content-Type: application/json\r\n', 'Content-Length: 13\r\n', '\r\n', '{"slow":', 'true}'];
      const next = (): void => {
        const piece = pieces.shift();
        if (piece === undefined || req.socket.destroyed) return;
        req.socket.write(piece);
        setTimeout(next, 10);
      };
      next();
      return;
    }
    case 'slow-body':
      held.push({ closed: new Promise((resolve) => req.socket.once('close', () => resolve())) });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('{"a":');
      return;
    case 'redirect': {
      const n = Number(second);
      if (n > 0) res.writeHead(302, { Location: `/redirect/${n - 1}` }).end();
      else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"arrived":true}');
      return;
    }
    case 'loop':
      res.writeHead(302, { Location: '/loop' }).end();
      return;
    case 'to': {
      // /to/<status>?location=<url>: answers <status> with that Location (none when absent).
      await readBody(req);
      const location = url.searchParams.get('location');
      res.writeHead(Number(second), location === null ? {} : { Location: location }).end();
      return;
    }
    case 'post-redirect':
      await readBody(req);
      res.writeHead(302, { Location: '/echo' }).end();
      return;
    case 'big':
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(Buffer.alloc(Number(second), 0x61));
      return;
    case 'endless': {
      // Streams 64 KiB chunks for as long as the client reads, respecting backpressure.
      endlessBytesWritten = 0;
      endlessClosed = new Promise((resolve) => req.socket.once('close', () => resolve()));
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 0x62);
      const pump = (): void => {
        while (!res.destroyed) {
          endlessBytesWritten += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
      };
      pump();
      return;
    }
    case 'headers':
      res.writeHead(429, 'Slow Down', [
        ['Content-Type', 'application/json'],
        ['Retry-After', '3'],
        ['X-Multi', 'a'],
        ['x-multi', 'b'],
        ['Set-Cookie', 'session=1; Path=/'],
        ['Set-Cookie', 'theme=dark'],
        // Node writes header strings as Latin-1: this sends the UTF-8 bytes of "café ☕".
        ['X-Name', Buffer.from('café ☕', 'utf8').toString('latin1')],
      ]);
      res.end('{"error":"rate limited"}');
      return;
    case 'json-as-text':
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('{"status":"done"}');
      return;
    case 'html':
      res.writeHead(503, { 'Content-Type': 'text/html' }).end('<html><body>Service Unavailable</body></html>');
      return;
    case 'latin1':
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=iso-8859-1' }).end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
      return;
    case 'no-content':
      res.writeHead(204).end();
      return;
    case 'gzip':
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }).end(gzipSync('{"z":1}'));
      return;
    default:
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no route');
  }
}

function headerLines(raw: readonly string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) lines.push(`${(raw[i] as string).toLowerCase()}: ${raw[i + 1] as string}`);
  return lines.sort();
}

function request(path: string, extra: Partial<HttpRequest> = {}): HttpRequest {
  return { method: 'GET', url: `${server.url}${path}`, headers: {}, timeoutMs: 5000, ...extra };
}

function built(config: Omit<RenderedHttpConfig, 'url'> & { readonly path: string }): HttpRequest {
  const { path, ...rest } = config;
  const result = buildRequest({ ...rest, url: `${server.url}${path}` });
  if (E.isLeft(result)) throw new Error(result.left);
  return result.right;
}

/** Resolves when the client closed the connection of the `index`-th held request. */
function heldClosed(index: number): Promise<void> {
  const entry = held[index];
  if (entry === undefined) return Promise.reject(new Error(`no held request #${index} (held: ${held.length})`));
  return entry.closed;
}

async function transportError(response$: Observable<HttpResponse>): Promise<TransportError> {
  const outcome = await firstValueFrom(response$).then(
    (response) => ({ response }),
    (error: unknown) => ({ error }),
  );
  if ('response' in outcome) return expect.fail(`expected a TransportError, got status ${outcome.response.status}`);
  expect(outcome.error).to.be.instanceOf(TransportError);
  return outcome.error as TransportError;
}

let server: LocalServer;
const http = createAxiosClient();

describe('createAxiosClient', function () {
  before(async () => {
    server = await startLocalServer(route);
  });
  beforeEach(() => {
    server.reset();
    received.length = 0;
    held.length = 0;
  });
  after(() => server.close());

  describe('what the server receives', () => {
    it('GET: only Host, User-Agent and Connection besides what was asked for (no Accept, no Accept-Encoding)', async () => {
      await firstValueFrom(http(request('/echo/get?a=1&b=%20x')));
      expect(received).to.have.length(1);
      expect(received[0]).to.deep.include({ method: 'GET', url: '/echo/get?a=1&b=%20x' });
      expect(received[0]?.headerLines).to.deep.equal([
        'connection: keep-alive',
        `host: 127.0.0.1:${server.port}`,
        `user-agent: rocketship-rx/${VERSION}`,
      ]);
      expect(received[0]?.body.length).to.equal(0);
      expect(USER_AGENT).to.equal(`rocketship-rx/${VERSION}`);
    });

    it('a raw string body goes out byte for byte with Content-Length and NO Content-Type', async () => {
      const body = '{"name": "é ☕ 🚀", "n": 1}\n';
      await firstValueFrom(http(built({ method: 'post', path: '/echo', body })));
      expect(received[0]?.method).to.equal('POST');
      expect(received[0]?.body.equals(Buffer.from(body, 'utf8'))).to.equal(true);
      expect(received[0]?.headerLines).to.deep.equal([
        'connection: keep-alive',
        `content-length: ${Buffer.byteLength(body, 'utf8')}`,
        `host: 127.0.0.1:${server.port}`,
        `user-agent: ${USER_AGENT}`,
      ]);
    });

    it('a JSON body goes out as JSON with Content-Type application/json', async () => {
      await firstValueFrom(http(built({ method: 'PUT', path: '/echo', body: { name: 'Widget', price: 19.99 } })));
      expect(received[0]?.method).to.equal('PUT');
      expect(received[0]?.body.toString('utf8')).to.equal('{"name":"Widget","price":19.99}');
      expect(received[0]?.headerLines).to.deep.equal([
        'connection: keep-alive',
        'content-length: 31',
        'content-type: application/json',
        `host: 127.0.0.1:${server.port}`,
        `user-agent: ${USER_AGENT}`,
      ]);
    });

    it('a form goes out url-encoded with Content-Type application/x-www-form-urlencoded exactly (no charset)', async () => {
      const form = { foo: 'bar', templated: 'hello world', tag: ['a', 'b'] };
      await firstValueFrom(http(built({ method: 'POST', path: '/echo', form })));
      expect(received[0]?.body.toString('utf8')).to.equal('foo=bar&templated=hello+world&tag=a&tag=b');
      expect(received[0]?.headerLines).to.include('content-type: application/x-www-form-urlencoded');
      expect(received[0]?.headerLines.filter((l) => l.startsWith('content-type'))).to.have.length(1);
    });

    it('a body-less POST sends Content-Length: 0 and no Content-Type', async () => {
      await firstValueFrom(http(request('/echo', { method: 'POST' })));
      expect(received[0]?.headerLines).to.deep.equal([
        'connection: keep-alive',
        'content-length: 0',
        `host: 127.0.0.1:${server.port}`,
        `user-agent: ${USER_AGENT}`,
      ]);
    });

    it('sends every method as given', async () => {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PURGE']) {
        const response = await firstValueFrom(http(request('/echo', { method })));
        expect(response.status).to.equal(200);
      }
      expect(received.map((r) => r.method)).to.deep.equal(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PURGE']);
    });

    it('HEAD gets the headers and an empty body', async () => {
      const response = await firstValueFrom(http(request('/echo', { method: 'HEAD' })));
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.equal('application/json');
      expect(response.body).to.deep.equal({ _tag: 'NotJson', text: '', reason: 'empty body' });
      expect(received[0]?.method).to.equal('HEAD');
    });

    it("sends the user's headers with names as written; the user's User-Agent, Accept and Content-Type win", async () => {
      const headers = {
        'X-Test-Session': 'S1',
        'user-agent': 'custom/1',
        accept: 'text/html',
        'Content-Type': 'text/plain',
        'X-Empty': '',
      };
      await firstValueFrom(http(request('/echo', { method: 'POST', headers, body: 'x' })));
      expect(received[0]?.rawHeaders).to.include.members(['X-Test-Session', 'user-agent', 'accept', 'Content-Type']);
      expect(received[0]?.headerLines).to.deep.equal([
        'accept: text/html',
        'connection: keep-alive',
        'content-length: 1',
        'content-type: text/plain',
        `host: 127.0.0.1:${server.port}`,
        'user-agent: custom/1',
        'x-empty: ',
        'x-test-session: S1',
      ]);
    });

    it('sends header values as UTF-8 bytes, as Go does', async () => {
      await firstValueFrom(http(request('/echo', { headers: { 'X-Name': 'café ☕' } })));
      const raw = received[0]?.rawHeaders ?? [];
      const value = raw[raw.indexOf('X-Name') + 1] as string;
      expect(Buffer.from(value, 'latin1').toString('utf8')).to.equal('café ☕');
    });

    it('sends Connection: close without keep-alive', async () => {
      await firstValueFrom(createAxiosClient({ keepAlive: false })(request('/echo')));
      expect(received[0]?.headerLines).to.include('connection: close');
    });

    it('is cold: nothing is sent before subscription, and each subscription sends again', async () => {
      const response$ = http(request('/echo'));
      await firstValueFrom(http(request('/status/200')));
      expect(server.requests).to.equal(1);
      await firstValueFrom(response$);
      await firstValueFrom(response$);
      expect(server.requests).to.equal(3);
      expect(received).to.have.length(2);
    });
  });

  describe('responses', () => {
    it('emits one response and completes', async () => {
      const all = await lastValueFrom(http(request('/status/200')).pipe(toArray()));
      expect(all).to.have.length(1);
    });

    it('gives 4xx and 5xx as values, not errors', async () => {
      for (const status of [400, 404, 409, 500, 502]) {
        const response = await firstValueFrom(http(request(`/status/${status}`)));
        expect(response.status).to.equal(status);
        expect(response.body).to.deep.include({ _tag: 'Json', value: { status } });
      }
    });

    it('keeps every header value, finds names case-insensitively, and Retry-After is readable', async () => {
      const response = await firstValueFrom(http(request('/headers')));
      expect(response.status).to.equal(429);
      expect(response.statusText).to.equal('Slow Down');
      expect(response.headers.get('retry-after')).to.equal('3');
      expect(response.headers.getAll('X-MULTI')).to.deep.equal(['a', 'b']);
      expect(response.headers.get('x-multi')).to.equal('a');
      expect(response.headers.getAll('set-cookie')).to.deep.equal(['session=1; Path=/', 'theme=dark']);
      expect(response.headerValues('Set-Cookie')).to.deep.equal(['session=1; Path=/', 'theme=dark']);
      expect(response.headers.get('x-name')).to.equal('café ☕');
      const names = response.headers.entries().map(([name]) => name);
      expect(names).to.include.members(['Retry-After', 'X-Multi', 'x-multi', 'Set-Cookie']);
      expect(names.filter((n) => n === 'Set-Cookie')).to.have.length(2);
    });

    it('parses JSON whatever the Content-Type', async () => {
      const response = await firstValueFrom(http(request('/json-as-text')));
      expect(response.body).to.deep.equal({ _tag: 'Json', value: { status: 'done' }, text: '{"status":"done"}' });
    });

    it('gives an HTML error page as NotJson text with the reason', async () => {
      const response = await firstValueFrom(http(request('/html')));
      expect(response.status).to.equal(503);
      expect(response.body._tag).to.equal('NotJson');
      expect(response.body.text).to.equal('<html><body>Service Unavailable</body></html>');
      expect(response.body)
        .to.have.property('reason')
        .that.matches(/^not JSON/);
    });

    it('reports a body that is not UTF-8', async () => {
      const response = await firstValueFrom(http(request('/latin1')));
      expect(response.body).to.deep.equal({ _tag: 'NotJson', text: 'caf\ufffd', reason: 'not UTF-8 text (4 bytes)' });
    });

    it('gives an empty 204 as an empty body', async () => {
      const response = await firstValueFrom(http(request('/no-content')));
      expect(response.status).to.equal(204);
      expect(response.body).to.deep.equal({ _tag: 'NotJson', text: '', reason: 'empty body' });
    });

    it('does not decompress: the bytes and Content-Encoding are what the server sent', async () => {
      const response = await firstValueFrom(http(request('/gzip', { headers: { 'Accept-Encoding': 'gzip' } })));
      expect(response.headers.get('content-encoding')).to.equal('gzip');
      expect(response.body._tag).to.equal('NotJson');
      expect(response.body)
        .to.have.property('reason')
        .that.matches(/^not UTF-8 text/);
    });

    it('gives the URL that answered and a duration', async () => {
      const response = await firstValueFrom(http(request('/status/200')));
      expect(response.url).to.equal(`${server.url}/status/200`);
      expect(response.durationMs).to.be.a('number').and.to.be.at.least(0);
    });
  });

  describe('redirects', () => {
    it('are followed; the response says where it ended', async () => {
      const response = await firstValueFrom(http(request('/redirect/3')));
      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ value: { arrived: true } });
      expect(response.url).to.equal(`${server.url}/redirect/0`);
      expect(server.requests).to.equal(4);
    });

    it('turn a POST answered with 302 into a GET without body, as Go does', async () => {
      await firstValueFrom(http(request('/post-redirect', { method: 'POST', body: 'data' })));
      expect(received).to.have.length(1);
      expect(received[0]?.method).to.equal('GET');
      expect(received[0]?.body.length).to.equal(0);
      expect(received[0]?.headerLines.some((l) => l.startsWith('content-length'))).to.equal(false);
    });

    it('fail with TOO_MANY_REDIRECTS after 10 in a loop', async () => {
      const error = await transportError(http(request('/loop')));
      expect(error.code).to.equal('TOO_MANY_REDIRECTS');
      expect(error.message).to.equal(`GET ${server.url}/loop: more than 10 redirects (a redirect loop?) (TOO_MANY_REDIRECTS)`);
      expect(server.requests).to.equal(11);
    });

    it('follow maxRedirects of the request', async () => {
      const error = await transportError(http(request('/loop', { maxRedirects: 2 })));
      expect(error.detail).to.equal('more than 2 redirects (a redirect loop?)');
      expect(server.requests).to.equal(3);
    });

    const to = (status: number, location?: string): string =>
      `/to/${status}${location === undefined ? '' : `?location=${encodeURIComponent(location)}`}`;

    for (const status of [307, 308]) {
      it(`repeat the method and the body on ${status}`, async () => {
        await firstValueFrom(
          http(request(to(status, '/echo/kept'), { method: 'PUT', body: 'data', headers: { 'Content-Type': 'text/plain' } })),
        );
        expect(received).to.have.length(1);
        expect(received[0]?.method).to.equal('PUT');
        expect(received[0]?.body.toString()).to.equal('data');
        expect(received[0]?.headerLines).to.include('content-type: text/plain');
        expect(server.requests).to.equal(2);
      });
    }

    it('turn a PUT answered with 303 into a GET without body or Content-Type', async () => {
      await firstValueFrom(
        http(request(to(303, '/echo/other'), { method: 'PUT', body: 'data', headers: { 'Content-Type': 'text/plain' } })),
      );
      expect(received[0]?.method).to.equal('GET');
      expect(received[0]?.body.length).to.equal(0);
      expect(received[0]?.headerLines.filter((l) => l.startsWith('content-'))).to.deep.equal([]);
    });

    it('keep a HEAD a HEAD', async () => {
      await firstValueFrom(http(request(to(301, '/echo/head'), { method: 'HEAD' })));
      expect(received[0]?.method).to.equal('HEAD');
    });

    it('keep Authorization and Cookie on the same host', async () => {
      await firstValueFrom(
        http(request(to(302, '/echo/same'), { headers: { Authorization: 'Bearer t0k', Cookie: 'a=1', 'X-Other': 'x' } })),
      );
      expect(received[0]?.headerLines).to.include.members(['authorization: Bearer t0k', 'cookie: a=1', 'x-other: x']);
    });

    it('drop Authorization and Cookie when the redirect leaves the host, and keep the other headers', async () => {
      // 127.0.0.1 and localhost are the same server but not the same host name.
      const elsewhere = server.url.replace('127.0.0.1', 'localhost');
      const response = await firstValueFrom(
        http(request(to(302, `${elsewhere}/echo/away`), { headers: { Authorization: 'Bearer t0k', Cookie: 'a=1', 'X-Other': 'x' } })),
      );
      expect(response.url).to.equal(`${elsewhere}/echo/away`);
      expect(received[0]?.headerLines.filter((l) => /^(authorization|cookie)/.test(l))).to.deep.equal([]);
      expect(received[0]?.headerLines).to.include('x-other: x');
    });

    it('are not followed without a Location: the 3xx is the response', async () => {
      const response = await firstValueFrom(http(request(to(302))));
      expect(response.status).to.equal(302);
      expect(server.requests).to.equal(1);
    });

    it('fail with BAD_REDIRECT when Location is not http: or https:', async () => {
      const error = await transportError(http(request(to(302, 'ftp://files.test/x'))));
      expect(error.code).to.equal('BAD_REDIRECT');
      expect(error.detail).to.equal('redirected to "ftp://files.test/x", which is not an http: or https: URL');
      expect(server.requests).to.equal(1);
    });

    it('count into the request timeout as a whole', async () => {
      const error = await transportError(http(request(to(302, '/never'), { timeoutMs: 100 })));
      expect(error.code).to.equal('ETIMEDOUT');
      expect(server.requests).to.equal(2);
    });

    it('are not followed with maxRedirects 0: the 3xx is the response', async () => {
      const response = await firstValueFrom(http(request('/redirect/1', { maxRedirects: 0 })));
      expect(response.status).to.equal(302);
      expect(response.headers.get('location')).to.equal('/redirect/0');
      expect(server.requests).to.equal(1);
    });
  });

  describe('transport failures', () => {
    it('connection refused', async () => {
      const closed = await startLocalServer(() => undefined);
      const url = `${closed.url}/x`;
      await closed.close();
      const error = await transportError(http({ method: 'GET', url, headers: {} }));
      expect(error).to.deep.include({ name: 'TransportError', code: 'ECONNREFUSED', method: 'GET', url });
      expect(error.message).to.equal(`GET ${url}: connection refused (ECONNREFUSED)`);
    });

    it('keeps request headers (secrets) out of the error, cause included', async () => {
      const error = await transportError(
        http(request('/reset-before-headers', { headers: { Authorization: 'Bearer s3cr3t-token', 'X-Api-Key': 'k3y-value' } })),
      );
      const printed = inspect(error, { depth: Infinity, showHidden: true });
      expect(printed).to.not.contain('s3cr3t-token');
      expect(printed).to.not.contain('k3y-value');
    });

    it('connection reset before the headers', async () => {
      const error = await transportError(http(request('/reset-before-headers')));
      expect(error.code).to.equal('ECONNRESET');
      expect(error.message).to.equal(
        `GET ${server.url}/reset-before-headers: connection closed by the server before the response headers (ECONNRESET)`,
      );
    });

    it('connection reset in the middle of the body', async () => {
      const error = await transportError(http(request('/reset-mid-body')));
      expect(error.code).to.equal('ECONNRESET');
      expect(error.detail).to.equal('connection closed by the server in the middle of the response body');
    });

    it('a server that never answers: ETIMEDOUT at timeoutMs, and the server sees the connection close', async () => {
      const error = await transportError(http(request('/never', { timeoutMs: 200 })));
      expect(error.code).to.equal('ETIMEDOUT');
      expect(error.message).to.equal(`GET ${server.url}/never: no complete response within 200 ms (ETIMEDOUT)`);
      expect(held).to.have.length(1);
      await heldClosed(0);
      expect(server.requests).to.equal(1);
    });

    it('headers that never finish: ETIMEDOUT', async () => {
      const error = await transportError(http(request('/slow-headers', { timeoutMs: 200 })));
      expect(error.code).to.equal('ETIMEDOUT');
      await heldClosed(0);
    });

    it('headers and body that trickle in slowly, within the timeout: a response', async () => {
      const response = await firstValueFrom(http(request('/trickle', { timeoutMs: 5000 })));
      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ _tag: 'Json', value: { slow: true } });
    });

    it('a body that never finishes: ETIMEDOUT (the timeout covers the body too)', async () => {
      const error = await transportError(http(request('/slow-body', { timeoutMs: 200 })));
      expect(error.code).to.equal('ETIMEDOUT');
      await heldClosed(0);
    });

    it('unsubscribing aborts the request: the server sees the connection close, nothing is emitted', async () => {
      const seen: string[] = [];
      const subscription = http(request('/never', { timeoutMs: 0 })).subscribe({
        next: () => seen.push('next'),
        error: () => seen.push('error'),
        complete: () => seen.push('complete'),
      });
      await server.waitFor((s) => s.requests === 1);
      subscription.unsubscribe();
      await heldClosed(0);
      // A request to another route goes through: the client is still usable, and nothing arrived late.
      await firstValueFrom(http(request('/status/200')));
      expect(seen).to.deep.equal([]);
      expect(server.requests).to.equal(2);
    });

    it('a body over the limit fails with BODY_TOO_LARGE; a body at the limit passes', async () => {
      const ok = await firstValueFrom(http(request('/big/1024', { maxBodyBytes: 1024 })));
      expect(ok.body.text).to.have.length(1024);
      const error = await transportError(http(request('/big/1025', { maxBodyBytes: 1024 })));
      expect(error.code).to.equal('BODY_TOO_LARGE');
      expect(error.message).to.equal(`GET ${server.url}/big/1025: response body is larger than the limit of 1 KiB (BODY_TOO_LARGE)`);
    });

    it('an endless body stops being read at the limit: the client hangs up, memory stays bounded', async () => {
      const small = createAxiosClient({ maxBodyBytes: 64 * 1024 });
      const error = await transportError(small(request('/endless')));
      expect(error.code).to.equal('BODY_TOO_LARGE');
      expect(error.detail).to.equal('response body is larger than the limit of 64 KiB');
      await endlessClosed;
      // The server could only push what socket buffers held beyond the 64 KiB read: far below
      // what an unbounded read would have taken by the time the server noticed.
      expect(endlessBytesWritten).to.be.below(32 * 1024 * 1024);
    });

    it('the default limit is 10 MiB', async () => {
      expect(DEFAULT_MAX_BODY_BYTES).to.equal(10 * 1024 * 1024);
      const ok = await firstValueFrom(http(request(`/big/${DEFAULT_MAX_BODY_BYTES}`)));
      expect(ok.body.text).to.have.length(DEFAULT_MAX_BODY_BYTES);
      const error = await transportError(http(request(`/big/${DEFAULT_MAX_BODY_BYTES + 1}`)));
      expect(error.detail).to.equal('response body is larger than the limit of 10 MiB');
    });
  });

  describe('proxies from the environment', () => {
    const names = [
      'http_proxy',
      'HTTP_PROXY',
      'https_proxy',
      'HTTPS_PROXY',
      'no_proxy',
      'NO_PROXY',
      'all_proxy',
      'ALL_PROXY',
      'npm_config_http_proxy',
      'npm_config_proxy',
    ];
    let saved: Record<string, string | undefined> = {};
    beforeEach(() => {
      saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
      names.forEach((n) => delete process.env[n]);
    });
    afterEach(() => {
      names.forEach((n) => (saved[n] === undefined ? delete process.env[n] : (process.env[n] = saved[n])));
    });

    it('are used for other hosts (here: our server plays the proxy)', async () => {
      process.env['http_proxy'] = server.url;
      await firstValueFrom(http({ method: 'GET', url: 'http://api.example.test/echo/via-proxy', headers: {} }));
      expect(received).to.have.length(1);
      // A proxy receives the absolute URL in the request line.
      expect(received[0]?.url).to.equal('http://api.example.test/echo/via-proxy');
    });

    it('are never used for loopback, as in Go', async () => {
      const dead = await startLocalServer(() => undefined);
      await dead.close();
      process.env['http_proxy'] = dead.url;
      const response = await firstValueFrom(http(request('/echo/direct')));
      expect(response.status).to.equal(200);
      expect(received[0]?.url).to.equal('/echo/direct');
    });
  });

  describe('TLS', () => {
    let tls: LocalServer;
    before(async () => {
      tls = await startLocalServer(
        (_req, res) => {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"tls":true}');
        },
        { tls: true },
      );
    });
    beforeEach(() => tls.reset());
    after(() => tls.close());

    it('rejects a self-signed certificate, says how to skip verification, and sends nothing', async () => {
      const error = await transportError(http({ method: 'GET', url: `${tls.url}/a`, headers: {} }));
      expect(error.code).to.equal('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(error.message).to.match(
        /^GET https:\/\/127\.0\.0\.1:\d+\/a: TLS certificate rejected: .+; `insecure: true` skips verification \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/,
      );
      expect(tls.requests).to.equal(0);
      expect(tls.connections).to.equal(1);
    });

    it('accepts it with insecure: true', async () => {
      const response = await firstValueFrom(http({ method: 'GET', url: `${tls.url}/a`, headers: {}, insecure: true }));
      expect(response.body).to.deep.include({ value: { tls: true } });
      expect(tls.requests).to.equal(1);
    });

    it('does not let an insecure connection serve a later verified request', async () => {
      await firstValueFrom(http({ method: 'GET', url: `${tls.url}/a`, headers: {}, insecure: true }));
      const error = await transportError(http({ method: 'GET', url: `${tls.url}/b`, headers: {} }));
      expect(error.code).to.equal('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(tls.requests).to.equal(1);
    });

    describe('after a redirect from http: to https:', () => {
      let plain: LocalServer;
      before(async () => {
        plain = await startLocalServer((_req, res) => void res.writeHead(302, { Location: `${tls.url}/moved` }).end());
      });
      after(() => plain.close());

      it('uses the insecure agent for an insecure request (the https agents are made on demand)', async () => {
        const response = await firstValueFrom(http({ method: 'GET', url: `${plain.url}/old`, headers: {}, insecure: true }));
        expect(response.body).to.deep.include({ value: { tls: true } });
        expect(response.url).to.equal(`${tls.url}/moved`);
        expect(tls.requests).to.equal(1);
      });

      it('verifies the certificate for a request that is not insecure', async () => {
        const error = await transportError(http({ method: 'GET', url: `${plain.url}/old`, headers: {} }));
        expect(error.code).to.equal('DEPTH_ZERO_SELF_SIGNED_CERT');
        expect(tls.requests).to.equal(0);
      });
    });
  });
});

describe('createAxiosClient: the connection pool', () => {
  /**
   * A server that holds every request until `batch` of them are waiting (or all `total` arrived),
   * then answers them all: so the client has as many requests in flight as it will open
   * connections for, and the server can count the connections open at the peak.
   */
  let pool: LocalServer;
  let batch = 64;
  let total = 200;
  let waiting: ServerResponse[] = [];
  let peakOpen = 0;
  const release = (): void => {
    for (const res of waiting.splice(0)) res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
  };
  before(async () => {
    pool = await startLocalServer((req, res) => {
      if (req.url === '/quick') return void res.writeHead(200).end('ok');
      peakOpen = Math.max(peakOpen, pool.openConnections);
      waiting.push(res);
      if (waiting.length >= batch || pool.requests >= total) release();
    });
  });
  beforeEach(async () => {
    await pool.waitFor((s) => s.openConnections === 0);
    pool.reset();
    waiting = [];
    peakOpen = 0;
  });
  after(() => pool.close());

  const get = (client: HttpClient, path: string, timeoutMs = 5000): Observable<HttpResponse> =>
    client({ method: 'GET', url: `${pool.url}${path}`, headers: {}, timeoutMs });
  const all = (client: HttpClient, n: number): Promise<HttpResponse[]> =>
    lastValueFrom(merge(...Array.from({ length: n }, (_, i) => get(client, `/held/${i}`))).pipe(toArray()));

  it('opens at most 64 connections to one host by default: 200 concurrent requests all succeed over 64', async () => {
    const client = createAxiosClient();
    [batch, total] = [64, 200];
    const responses = await all(client, 200);
    expect(responses).to.have.length(200);
    expect(responses.every((r) => r.status === 200)).to.equal(true);
    expect(DEFAULT_MAX_SOCKETS_PER_HOST).to.equal(64);
    expect(peakOpen).to.equal(64);
    // The queued requests took the connections the first ones freed: no other was ever opened.
    expect(pool.connections).to.equal(64);
    client.closeIdleConnections();
  });

  it('holds to maxSocketsPerHost: 2', async () => {
    const client = createAxiosClient({ maxSocketsPerHost: 2 });
    [batch, total] = [2, 200];
    const responses = await all(client, 200);
    expect(responses.every((r) => r.status === 200)).to.equal(true);
    expect(peakOpen).to.equal(2);
    expect(pool.connections).to.equal(2);
    client.closeIdleConnections();
  });

  it('a queued request keeps its own timeout: ETIMEDOUT while waiting for a connection, never sent', async () => {
    const client = createAxiosClient({ maxSocketsPerHost: 1 });
    [batch, total] = [2, 2];
    const first = firstValueFrom(get(client, '/held/1'));
    await pool.waitFor((s) => s.requests === 1);
    const error = await transportError(get(client, '/quick', 150));
    expect(error.message).to.equal(
      `GET ${pool.url}/quick: no complete response within 150 ms; it was still waiting for a free connection (this client opens at most 1 to one host at once) (ETIMEDOUT)`,
    );
    expect(pool.requests).to.equal(1);
    release();
    expect((await first).status).to.equal(200);
    // The connection went on to the next request, not to the one that gave up.
    expect((await firstValueFrom(get(client, '/quick'))).status).to.equal(200);
    expect(pool.requests).to.equal(2);
    expect(pool.connections).to.equal(1);
    client.closeIdleConnections();
  });

  it('unsubscribing from a queued request takes it out of the queue: it is never sent', async () => {
    const client = createAxiosClient({ maxSocketsPerHost: 1 });
    [batch, total] = [2, 2];
    const first = firstValueFrom(get(client, '/held/1'));
    await pool.waitFor((s) => s.requests === 1);
    const seen: string[] = [];
    const queued = get(client, '/quick').subscribe({ next: () => seen.push('next'), error: () => seen.push('error') });
    queued.unsubscribe();
    release();
    await first;
    expect((await firstValueFrom(get(client, '/quick'))).status).to.equal(200);
    expect(pool.requests).to.equal(2);
    expect(seen).to.deep.equal([]);
    client.closeIdleConnections();
  });

  it('closeIdleConnections() closes every idle pooled connection (the server sees them close), and the client goes on', async () => {
    const client = createAxiosClient();
    [batch, total] = [3, 3];
    await all(client, 3);
    expect(pool.openConnections).to.equal(3);
    client.closeIdleConnections();
    await pool.waitFor((s) => s.closedConnections === 3 && s.openConnections === 0);
    expect((await firstValueFrom(get(client, '/quick'))).status).to.equal(200);
    expect(pool.connections).to.equal(4);
    client.closeIdleConnections();
  });

  it('closeIdleConnections() leaves a request in flight alone', async () => {
    const client = createAxiosClient();
    [batch, total] = [2, 2];
    await firstValueFrom(get(client, '/quick'));
    const inFlight = firstValueFrom(get(client, '/held/1'));
    await pool.waitFor((s) => s.requests === 2);
    client.closeIdleConnections();
    release();
    expect((await inFlight).status).to.equal(200);
    expect(pool.closedConnections).to.equal(0);
    client.closeIdleConnections();
  });

  it('rejects a cap that is not a whole number from 1', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => createAxiosClient({ maxSocketsPerHost: bad })).to.throw(RangeError, /maxSocketsPerHost must be a whole number from 1/);
    }
    expect(() => createAxiosClient({ maxSocketsPerHost: Infinity })).not.to.throw();
  });

  describe('over TLS with insecure: true (a pool of its own)', () => {
    let tls: LocalServer;
    let held: ServerResponse[] = [];
    before(async () => {
      tls = await startLocalServer(
        (_req, res) => {
          held.push(res);
          if (held.length >= 2 || tls.requests >= 10) for (const r of held.splice(0)) r.writeHead(200).end('ok');
        },
        { tls: true },
      );
    });
    after(() => tls.close());

    it('holds to the cap too', async () => {
      const client = createAxiosClient({ maxSocketsPerHost: 2 });
      const requests = Array.from({ length: 10 }, () =>
        client({ method: 'GET', url: `${tls.url}/x`, headers: {}, insecure: true, timeoutMs: 5000 }),
      );
      const responses = await lastValueFrom(merge(...requests).pipe(toArray()));
      expect(responses.map((r) => r.status)).to.deep.equal(Array(10).fill(200));
      expect(tls.connections).to.equal(2);
      client.closeIdleConnections();
      await tls.waitFor((s) => s.openConnections === 0);
    });
  });
});

describe('createAxiosClient: hostile and unusual servers (raw sockets)', () => {
  const servers: RawServer[] = [];
  const raw = async (onRequest: Parameters<typeof startRawServer>[0]): Promise<RawServer> => {
    const server = await startRawServer(onRequest);
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const get = (client: HttpClient, url: string, extra: Partial<HttpRequest> = {}): Observable<HttpResponse> =>
    client({ method: 'GET', url, headers: {}, timeoutMs: 5000, ...extra });

  describe('the keep-alive race: a pooled connection the server closes as the next request arrives', () => {
    /** Answers the first request on connection 1 with keep-alive, then closes connection 1 when the next request arrives on it. */
    const racing = (close: (socket: Socket) => void) =>
      raw((req, conn) => {
        if (conn.index === 1 && req.indexOnConnection === 2) return void close(conn.socket);
        const response = okResponse(JSON.stringify({ connection: conn.index, request: req.indexOnConnection }));
        // A response to HEAD has no body.
        conn.socket.write(req.method === 'HEAD' ? response.slice(0, response.indexOf('\r\n\r\n') + 4) : response);
      });

    for (const [how, close] of [
      ['closes (FIN: "socket hang up")', (s: Socket) => void s.destroy()],
      ['resets (RST: "read ECONNRESET")', (s: Socket) => void s.resetAndDestroy()],
    ] as const) {
      it(`GET: retried once on a fresh connection when the server ${how}`, async () => {
        const server = await racing(close);
        const client = createAxiosClient();
        await firstValueFrom(get(client, `${server.url}/a`));
        const response = await firstValueFrom(get(client, `${server.url}/b`));
        expect(response.status).to.equal(200);
        expect(response.body).to.deep.include({ value: { connection: 2, request: 1 } });
        // /a, /b on the closed connection, /b again on a new one.
        expect(server.received.map((r) => r.path)).to.deep.equal(['/a', '/b', '/b']);
        expect(server.connections).to.equal(2);
        client.closeIdleConnections();
      });
    }

    it('PUT (with its body), DELETE, HEAD, OPTIONS and TRACE are retried too', async () => {
      for (const method of ['PUT', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE']) {
        const server = await racing((s) => s.destroy());
        const client = createAxiosClient();
        await firstValueFrom(get(client, `${server.url}/first`));
        const response = await firstValueFrom(
          client({ method, url: `${server.url}/x`, headers: {}, timeoutMs: 5000, ...(method === 'PUT' ? { body: 'data' } : {}) }),
        );
        expect(response.status, method).to.equal(200);
        expect(server.requests, method).to.equal(3);
        expect(server.connections, method).to.equal(2);
        if (method === 'PUT') expect(server.received[2]?.body.toString()).to.equal('data');
        client.closeIdleConnections();
      }
    });

    for (const method of ['POST', 'PATCH']) {
      it(`${method}: never retried; the error says the request may have reached the server`, async () => {
        const server = await racing((s) => s.destroy());
        const client = createAxiosClient();
        await firstValueFrom(get(client, `${server.url}/first`));
        const error = await transportError(client({ method, url: `${server.url}/jobs`, headers: {}, body: '{}', timeoutMs: 5000 }));
        expect(error.code).to.equal('ECONNRESET');
        expect(error.message).to.equal(
          `${method} ${server.url}/jobs: connection closed by the server before the response headers (on a reused keep-alive connection the server may have closed as idle); ` +
            `the request may have reached the server, so ${method} is not retried (ECONNRESET)`,
        );
        expect(server.requests).to.equal(2);
        expect(server.connections).to.equal(1);
        client.closeIdleConnections();
      });
    }

    it('a request that waited in the queue and got a connection straight from the one before is retried too', async () => {
      // Node's `reusedSocket` is false for a connection handed to a queued request; it was used all the same.
      const server = await racing((s) => s.destroy());
      const client = createAxiosClient({ maxSocketsPerHost: 1 });
      const [a, b] = await Promise.all([firstValueFrom(get(client, `${server.url}/a`)), firstValueFrom(get(client, `${server.url}/b`))]);
      expect([a.status, b.status]).to.deep.equal([200, 200]);
      expect(server.received.map((r) => r.path)).to.deep.equal(['/a', '/b', '/b']);
      expect(server.connections).to.equal(2);
      client.closeIdleConnections();
    });

    it('a new connection closed before the response is not retried', async () => {
      const server = await raw((_req, conn) => void conn.socket.destroy());
      const error = await transportError(get(createAxiosClient(), `${server.url}/x`));
      expect(error.detail).to.equal('connection closed by the server before the response headers');
      expect(server.requests).to.equal(1);
      expect(server.connections).to.equal(1);
    });

    it('a reused connection closed after part of the response arrived is not retried (the server answered)', async () => {
      const server = await raw((req, conn) => {
        if (req.indexOnConnection === 2) return void conn.socket.end('HTTP/1.1 200 O');
        conn.socket.write(okResponse());
      });
      const client = createAxiosClient();
      await firstValueFrom(get(client, `${server.url}/a`));
      const error = await transportError(get(client, `${server.url}/b`));
      expect(error.detail).to.equal('connection closed by the server in the middle of the response headers');
      expect(server.requests).to.equal(2);
      expect(server.connections).to.equal(1);
    });

    it('retries only once: a retry that fails too is the error', async () => {
      // Connection 1 serves one request; every later request on any connection is dropped.
      const server = await raw((req, conn) => {
        if (conn.index === 1 && req.indexOnConnection === 1) return void conn.socket.write(okResponse());
        conn.socket.destroy();
      });
      const client = createAxiosClient();
      await firstValueFrom(get(client, `${server.url}/a`));
      const error = await transportError(get(client, `${server.url}/b`));
      expect(error.detail).to.equal('connection closed by the server before the response headers');
      expect(server.requests).to.equal(3);
      expect(server.connections).to.equal(2);
    });

    it('the retry goes on a new connection: the other idle connections to that server, idle at least as long, are dropped', async () => {
      // Three connections each serve one request; then the server drops every request on them.
      const waiting: Array<() => void> = [];
      const server = await raw((req, conn) => {
        if (conn.index <= 3 && req.indexOnConnection === 1) {
          // Held until all three arrived, so that each came on a connection of its own.
          waiting.push(() => conn.socket.write(okResponse()));
          if (waiting.length === 3) for (const answer of waiting.splice(0)) answer();
          return;
        }
        if (conn.index <= 3) return void conn.socket.destroy();
        conn.socket.write(okResponse(JSON.stringify({ connection: conn.index })));
      });
      const client = createAxiosClient();
      await lastValueFrom(
        merge(get(client, `${server.url}/1`), get(client, `${server.url}/2`), get(client, `${server.url}/3`)).pipe(toArray()),
      );
      expect(server.connections).to.equal(3);
      const response = await firstValueFrom(get(client, `${server.url}/4`));
      expect(response.body).to.deep.include({ value: { connection: 4 } });
      expect(server.requests).to.equal(5);
      await server.waitFor((s) => s.openConnections === 1);
      client.closeIdleConnections();
    });

    it('the retry counts into the request timeout as a whole (no new budget)', async () => {
      // Connection 1 serves /a, then holds the next request 300 ms before closing; connection 2 never answers.
      const server = await raw((req, conn) => {
        if (conn.index === 1 && req.indexOnConnection === 1) return void conn.socket.write(okResponse());
        if (conn.index === 1) return void setTimeout(() => conn.socket.destroy(), 300);
      });
      const client = createAxiosClient();
      await firstValueFrom(get(client, `${server.url}/a`));
      const started = performance.now();
      const error = await transportError(get(client, `${server.url}/b`, { timeoutMs: 450 }));
      const elapsed = performance.now() - started;
      expect(error.code).to.equal('ETIMEDOUT');
      expect(server.requests).to.equal(3);
      // 450 ms in all; a fresh budget for the retry would have ended at 300 + 450 = 750 ms.
      expect(elapsed).to.be.below(650);
      await server.waitFor((s) => s.openConnections === 0);
    });

    it('unsubscribing cancels the retry in flight: the server sees its connection close, nothing is emitted', async () => {
      const server = await raw((req, conn) => {
        if (conn.index === 1 && req.indexOnConnection === 1) return void conn.socket.write(okResponse());
        if (conn.index === 1) conn.socket.destroy();
        // connection 2: never answers
      });
      const client = createAxiosClient();
      await firstValueFrom(get(client, `${server.url}/a`));
      const seen: string[] = [];
      const subscription = get(client, `${server.url}/b`, { timeoutMs: 0 }).subscribe({
        next: () => seen.push('next'),
        error: () => seen.push('error'),
        complete: () => seen.push('complete'),
      });
      await server.waitFor((s) => s.requests === 3);
      subscription.unsubscribe();
      await server.waitFor((s) => s.openConnections === 0);
      expect(seen).to.deep.equal([]);
      expect(server.connections).to.equal(2);
    });
  });

  describe('informational (1xx) responses nobody asked for', () => {
    const final = okResponse('{"final":true}');
    const answer = (bytes: string, end = false) => raw((_req, conn) => void (end ? conn.socket.end(bytes) : conn.socket.write(bytes)));

    it('100 Continue, then the final response: the final response is the response', async () => {
      const server = await answer(`HTTP/1.1 100 Continue\r\n\r\n${final}`);
      const response = await firstValueFrom(get(createAxiosClient(), `${server.url}/x`));
      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ value: { final: true } });
    });

    it('103 Early Hints (and another 1xx), then the final response: the final one, with its own headers only', async () => {
      const server = await answer(`HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n${final}`);
      const response = await firstValueFrom(get(createAxiosClient(), `${server.url}/x`));
      expect(response.status).to.equal(200);
      expect(response.headers.get('link')).to.equal(undefined);
      expect(response.body).to.deep.include({ value: { final: true } });
    });

    it('100 Continue, then the server closes: ECONNRESET at once, saying what arrived', async () => {
      const server = await answer('HTTP/1.1 100 Continue\r\n\r\n', true);
      const error = await transportError(get(createAxiosClient(), `${server.url}/x`, { timeoutMs: 0 }));
      expect(error.message).to.equal(
        `GET ${server.url}/x: connection closed by the server after 100 Continue (an informational response), before the final response (ECONNRESET)`,
      );
    });

    it('100 Continue, then silence: waits for the final response until timeoutMs, and says only a 100 came', async () => {
      const server = await answer('HTTP/1.1 100 Continue\r\n\r\n');
      const error = await transportError(get(createAxiosClient(), `${server.url}/x`, { timeoutMs: 200 }));
      expect(error.message).to.equal(
        `GET ${server.url}/x: no complete response within 200 ms; the server sent only 100 Continue (an informational response), no final response (ETIMEDOUT)`,
      );
      await server.waitFor((s) => s.closedConnections === 1);
    });

    const upgrade = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n';
    const upgradeMessage = (url: string, header = ', Upgrade: websocket'): string =>
      `GET ${url}: the server switched protocols (101 Switching Protocols${header}); rocketship does not follow protocol upgrades (UNEXPECTED_UPGRADE)`;

    for (const [what, bytes, end] of [
      ['and keeps the connection open', upgrade, false],
      ['and closes', upgrade, true],
      ['followed by a 200', `${upgrade}${final}`, false],
    ] as const) {
      it(`101 Switching Protocols ${what}: UNEXPECTED_UPGRADE at once (no timeout set), the connection closed`, async function () {
        this.timeout(3000);
        const server = await answer(bytes, end);
        const error = await transportError(get(createAxiosClient(), `${server.url}/x`, { timeoutMs: 0 }));
        expect(error.code).to.equal('UNEXPECTED_UPGRADE');
        expect(error.message).to.equal(upgradeMessage(`${server.url}/x`));
        await server.waitFor((s) => s.closedConnections === 1);
      });
    }

    it('101 without an Upgrade header: UNEXPECTED_UPGRADE too, and its connection is never reused', async () => {
      const server = await raw((req, conn) => {
        if (req.path === '/up') conn.socket.write('HTTP/1.1 101 Switching Protocols\r\n\r\n');
        else conn.socket.write(final);
      });
      const client = createAxiosClient();
      const error = await transportError(get(client, `${server.url}/up`, { timeoutMs: 0 }));
      expect(error.message).to.equal(upgradeMessage(`${server.url}/up`, ''));
      expect((await firstValueFrom(get(client, `${server.url}/next`))).status).to.equal(200);
      expect(server.connections).to.equal(2);
      client.closeIdleConnections();
    });
  });

  it('CONNECT: any answer fails at once with CONNECT_NOT_SUPPORTED (Node takes it for a tunnel and says nothing)', async function () {
    this.timeout(3000);
    const server = await raw((_req, conn) => void conn.socket.write('HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 2\r\n\r\nno'));
    const error = await transportError(createAxiosClient()({ method: 'CONNECT', url: `${server.url}/x`, headers: {}, timeoutMs: 0 }));
    expect(error.message).to.equal(
      `CONNECT ${server.url}/x: the server answered 405 Method Not Allowed; a CONNECT request opens a tunnel, which rocketship does not use (CONNECT_NOT_SUPPORTED)`,
    );
    await server.waitFor((s) => s.closedConnections === 1);
  });

  describe('where a failure happened, in words', () => {
    const chunkedHead = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';

    for (const [how, close] of [
      ['a reset (RST)', (s: Socket) => void s.resetAndDestroy()],
      ['a close (FIN)', (s: Socket) => void s.destroy()],
    ] as const) {
      it(`${how} after the headers and part of a chunked body: "in the middle of the response body"`, async () => {
        const server = await raw(
          (_req, conn) => void conn.socket.write(`${chunkedHead}5\r\n{"a":\r\n`, () => setTimeout(() => close(conn.socket), 20)),
        );
        const error = await transportError(get(createAxiosClient(), `${server.url}/x`));
        expect(error.code).to.equal('ECONNRESET');
        expect(error.message).to.equal(
          `GET ${server.url}/x: connection closed by the server in the middle of the response body (ECONNRESET)`,
        );
      });
    }

    it('a reset right after the headers: "after the response headers, before the body"', async () => {
      const server = await raw(
        (_req, conn) => void conn.socket.write(chunkedHead, () => setTimeout(() => conn.socket.resetAndDestroy(), 20)),
      );
      const error = await transportError(get(createAxiosClient(), `${server.url}/x`));
      expect(error.detail).to.equal('connection closed by the server after the response headers, before the body');
    });

    it('a close in the middle of the status line: "in the middle of the response headers"', async () => {
      const server = await raw((_req, conn) => void conn.socket.end('HTTP/1.1 20'));
      const error = await transportError(get(createAxiosClient(), `${server.url}/x`));
      expect(error.detail).to.equal('connection closed by the server in the middle of the response headers');
    });

    describe('after a redirect: the hop that failed, and where the chain started', () => {
      it('connection refused on the second host', async () => {
        const gone = await startLocalServer(() => undefined);
        const target = `${gone.url}/moved`;
        await gone.close();
        const first = await raw(
          (_req, conn) => void conn.socket.write(`HTTP/1.1 302 Found\r\nLocation: ${target}\r\nContent-Length: 0\r\n\r\n`),
        );
        const error = await transportError(get(createAxiosClient(), `${first.url}/start`));
        expect(error).to.deep.include({
          code: 'ECONNREFUSED',
          method: 'GET',
          url: target,
          redirectedFrom: { url: `${first.url}/start`, redirects: 1 },
        });
        expect(error.message).to.equal(`GET ${target} (reached by a redirect from ${first.url}/start): connection refused (ECONNREFUSED)`);
      });

      it('a reset mid-body two redirects on, after a POST became a GET', async () => {
        const server = await raw((req, conn) => {
          if (req.path === '/start')
            return void conn.socket.write('HTTP/1.1 303 See Other\r\nLocation: /second\r\nContent-Length: 0\r\n\r\n');
          if (req.path === '/second') return void conn.socket.write('HTTP/1.1 302 Found\r\nLocation: /third\r\nContent-Length: 0\r\n\r\n');
          conn.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"partial":', () =>
            setTimeout(() => conn.socket.resetAndDestroy(), 20),
          );
        });
        const error = await transportError(
          createAxiosClient()({ method: 'POST', url: `${server.url}/start`, headers: {}, body: 'x', timeoutMs: 5000 }),
        );
        expect(error.message).to.equal(
          `GET ${server.url}/third (reached by 2 redirects from ${server.url}/start): connection closed by the server in the middle of the response body (ECONNRESET)`,
        );
      });

      it('a timeout on the hop names the hop', async () => {
        const server = await raw((req, conn) => {
          if (req.path === '/start') conn.socket.write('HTTP/1.1 307 Temporary Redirect\r\nLocation: /slow\r\nContent-Length: 0\r\n\r\n');
        });
        const error = await transportError(get(createAxiosClient(), `${server.url}/start`, { timeoutMs: 150 }));
        expect(error.message).to.equal(
          `GET ${server.url}/slow (reached by a redirect from ${server.url}/start): no complete response within 150 ms (ETIMEDOUT)`,
        );
      });
    });
  });

  describe("a server's Keep-Alive: timeout=N", () => {
    /** Answers every request with the given Keep-Alive header; resolves the time each connection closed. */
    const keepAliveServer = (header: string) => {
      const closedAt: number[] = [];
      return raw((_req, conn) => {
        conn.socket.once('close', () => closedAt.push(performance.now()));
        conn.socket.write(okResponse('{}', `Keep-Alive: ${header}\r\n`));
      }).then((server) => ({ server, closedAt }));
    };

    it('timeout=1: the connection is not reused (Node 20 does this itself: 1 s is too close to call)', async () => {
      const { server } = await keepAliveServer('timeout=1');
      const client = createAxiosClient();
      await firstValueFrom(get(client, `${server.url}/a`));
      await server.waitFor((s) => s.closedConnections === 1);
      await firstValueFrom(get(client, `${server.url}/b`));
      expect(server.connections).to.equal(2);
      client.closeIdleConnections();
    });

    for (const header of ['timeout=2', 'max=100, timeout=2', 'Timeout="2", max=5']) {
      it(`"${header}": an idle connection is dropped 1 s before the server's 2 s, not after the pool's 4 s`, async () => {
        const { server, closedAt } = await keepAliveServer(header);
        const client = createAxiosClient();
        await firstValueFrom(get(client, `${server.url}/a`));
        const answered = performance.now();
        await server.waitFor((s) => s.closedConnections === 1);
        const idle = (closedAt[0] ?? Infinity) - answered;
        expect(idle).to.be.within(900, 2500);
        expect(IDLE_SOCKET_MS).to.equal(4000);
      });
    }
  });
});

describe('createAxiosClient: what it keeps of a response once handed on (issue 11, item 20)', function () {
  this.timeout(20_000);
  let server: LocalServer;
  const big = Buffer.alloc(16 * 1024 * 1024, 0x20);

  before(async () => {
    server = await startLocalServer((_req, res) => res.writeHead(200, { 'Content-Length': String(big.length) }).end(big));
  });
  after(() => server.close());

  it('nothing: an idle pooled connection does not pin the last body it carried', async () => {
    const client = createAxiosClient({ maxBodyBytes: 32 * 1024 * 1024 });
    /** Four bodies at once (four connections, then idle in the pool), each on its own subscription; only their lengths are kept. */
    const fetchFour = (): Promise<number[]> =>
      Promise.all(
        Array.from({ length: 4 }, () =>
          firstValueFrom(client({ method: 'GET', url: `${server.url}/big`, headers: {} })).then((r) => r.body.text.length),
        ),
      );
    collectGarbage();
    const before = process.memoryUsage().arrayBuffers;
    expect(await fetchFour()).to.deep.equal(Array(4).fill(big.length));
    // V8 frees the memory of collected buffers on a background thread, after the collection:
    // collect twice, each time giving it a moment, before reading the count.
    for (let i = 0; i < 2; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      collectGarbage();
    }
    await new Promise((r) => setTimeout(r, 50));
    const retained = process.memoryUsage().arrayBuffers - before;
    // Node's agent keeps the options of a socket's first request for the socket's whole life, and
    // axios's options reached that request's response: 16 MiB stayed alive per idle connection
    // (64 MiB here). The last response's stream may still be on the stack, holding its own body.
    expect(retained).to.be.below(big.length + 4 * 1024 * 1024);
    client.closeIdleConnections();
  });
});
