import axios, {
  AxiosError,
  AxiosHeaders,
  CanceledError,
  type AxiosAdapter,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { envProxyMayApply } from './env-proxy.js';
import type { Transport } from './exchange-trace.js';
import { NODE_TRANSPORT } from './node-transport.js';

/**
 * An axios adapter (`axios.create({ adapter: nodeAdapter })`) that sends one request over Node's
 * `http`/`https` and reads its whole body into a `Buffer`: the part of axios's own Node adapter
 * that rocketship uses, without the rest (data URIs, form data, streams, progress events,
 * decompression, follow-redirects, HTTP/2, rate limits), which it pays for on every request.
 * axios's request model stays: its config merge, interceptors, transforms and `validateStatus`
 * run as with any adapter, and it rejects with `AxiosError`s coded as axios's adapter codes them,
 * so `toTransportError` reads both alike.
 *
 * What it reads of the config:
 * - `url` (absolute `http:` or `https:`; user and password become basic auth), `method`,
 *   `headers` (a header set to `false` is left out), `data` (a `Buffer`, a string sent as UTF-8,
 *   or nothing; `Content-Length` is set from it, and a body-less POST/PUT/PATCH sends
 *   `Content-Length: 0`, as Node does);
 * - `transport` (`http.request`'s signature; default Node's, by the URL's protocol) and
 *   `httpAgent` / `httpsAgent`, the pool the request goes through (keep-alive, socket cap and TLS
 *   options such as `rejectUnauthorized` live there);
 * - `maxContentLength`: a body that grows past it fails with `ERR_BAD_RESPONSE`
 *   (`maxContentLength size of N exceeded`) as soon as it does, and its connection is destroyed:
 *   it is never read whole;
 * - `signal` (an `AbortSignal`, or any `GenericAbortSignal` such as `AbortLatch`): aborting it destroys the request and its connection (the server sees the close),
 *   and the promise rejects with a `CanceledError` (`ERR_CANCELED`);
 * - `timeout` (ms, `0` none): the whole exchange, connect to last body byte; when it runs out
 *   the connection is destroyed and it rejects with `ETIMEDOUT` (`ECONNABORTED` unless
 *   `transitional.clarifyTimeoutError`), as axios does;
 * - `proxy`: a request with a proxy of its own, or (unless `proxy` is `false`) one that a proxy
 *   from the environment may apply to (see {@link envProxyMayApply}), goes to axios's own `http`
 *   adapter instead, which owns proxy selection, `NO_PROXY`, proxy credentials and CONNECT
 *   tunnels; the others never pay for it.
 *
 * Redirects are never followed (a 3xx is a response; `createAxiosClient` follows them itself),
 * the body is never decompressed (the bytes as sent), and every status resolves through
 * `validateStatus`. Failures: a Node error on the request or the response (`ECONNREFUSED`,
 * `ECONNRESET`, a TLS code ...) rejects with an `AxiosError` carrying Node's code, the Node
 * error as `cause`; a response cut short rejects with `ERR_BAD_RESPONSE`
 * (`stream has been aborted`). The response's `request` is Node's `ClientRequest`, whose `res`
 * holds the raw header lines.
 *
 * const client = axios.create({ adapter: nodeAdapter, responseType: 'arraybuffer', maxRedirects: 0 });
 * const r = await client.get('http://127.0.0.1:8080/health', { httpAgent: new http.Agent({ keepAlive: true }) });
 * r.status        // 200
 * r.data          // <Buffer 7b 22 6f 6b 22 3a 74 72 75 65 7d>
 */
export const nodeAdapter: AxiosAdapter = (config) => {
  const url = config.url ?? '';
  const proxied = config.proxy !== undefined ? config.proxy !== false : envProxyMayApply(url);
  if (proxied) return axios.getAdapter('http')(config);
  return new Promise<AxiosResponse>((resolve, reject) => send(config, url, resolve, reject));
};

/** Node's largest timer delay; longer ones would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function send(
  config: InternalAxiosRequestConfig,
  url: string,
  resolve: (response: AxiosResponse) => void,
  reject: (error: unknown) => void,
): void {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    reject(new AxiosError(`Invalid URL: ${url}`, AxiosError.ERR_INVALID_URL, config));
    return;
  }
  const secure = target.protocol === 'https:';
  if (!secure && target.protocol !== 'http:') {
    reject(new AxiosError(`Unsupported protocol ${target.protocol}`, AxiosError.ERR_BAD_REQUEST, config));
    return;
  }
  const body = bodyOf(config.data);
  if (body instanceof AxiosError) {
    reject(body);
    return;
  }
  const signal = config.signal;
  if (signal?.aborted === true) {
    reject(new CanceledError(undefined, undefined, config));
    return;
  }

  const transport: Transport = (config.transport as Transport | undefined) ?? NODE_TRANSPORT;
  const maxContentLength = config.maxContentLength ?? -1;
  let settled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settle = (): void => {
    settled = true;
    clearTimeout(timer);
    signal?.removeEventListener?.('abort', onAbort);
  };
  // Every failure destroys the request, and so its connection: it never goes back to the pool.
  const fail = (error: AxiosError): void => {
    if (settled) return;
    settle();
    req.destroy();
    reject(error);
  };
  const onAbort = (): void => fail(new CanceledError(undefined, undefined, config));

  const req: ClientRequest = transport.request(requestOptions(config, target, secure), (res: IncomingMessage) => {
    if (settled) {
      res.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (maxContentLength > -1 && size > maxContentLength) {
        fail(new AxiosError(`maxContentLength size of ${maxContentLength} exceeded`, AxiosError.ERR_BAD_RESPONSE, config, req));
        return;
      }
      chunks.push(chunk);
    });
    res.on('aborted', () => fail(new AxiosError('stream has been aborted', AxiosError.ERR_BAD_RESPONSE, config, req)));
    res.on('error', (error: Error) => fail(AxiosError.from(error, undefined, config, req)));
    res.on('end', () => {
      if (settled) return;
      settle();
      const response: AxiosResponse = {
        data: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size),
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? '',
        headers: new AxiosHeaders(res.headers as Record<string, string>),
        config,
        request: req,
      };
      const validate = config.validateStatus;
      if (validate === undefined || validate === null || validate(response.status)) resolve(response);
      else
        reject(
          new AxiosError(
            `Request failed with status code ${response.status}`,
            response.status < 500 ? AxiosError.ERR_BAD_REQUEST : AxiosError.ERR_BAD_RESPONSE,
            config,
            req,
            response,
          ),
        );
    });
  });
  req.on('error', (error: Error) => fail(AxiosError.from(error, undefined, config, req)));
  signal?.addEventListener?.('abort', onAbort);
  const timeout = config.timeout ?? 0;
  if (timeout > 0) {
    timer = setTimeout(
      () => {
        const code = config.transitional?.clarifyTimeoutError === true ? AxiosError.ETIMEDOUT : AxiosError.ECONNABORTED;
        fail(new AxiosError(config.timeoutErrorMessage ?? `timeout of ${timeout}ms exceeded`, code, config, req));
      },
      Math.min(timeout, MAX_TIMER_MS),
    );
  }
  req.end(body);
}

/** What goes to `transport.request`: nothing but plain data, since an agent keeps the options of a socket's first request for the socket's life. */
function requestOptions(config: InternalAxiosRequestConfig, target: URL, secure: boolean): RequestOptions {
  const hostname = target.hostname;
  const options: RequestOptions = {
    protocol: target.protocol,
    // `[::1]` in a URL, `::1` to Node.
    hostname: hostname.startsWith('[') ? hostname.slice(1, -1) : hostname,
    port: target.port,
    path: target.pathname + target.search,
    method: (config.method ?? 'get').toUpperCase(),
    headers: AxiosHeaders.from(config.headers).toJSON(true) as Record<string, string>,
    agent: secure ? config.httpsAgent : config.httpAgent,
  };
  if (target.username !== '' || target.password !== '') {
    options.auth = `${decoded(target.username)}:${decoded(target.password)}`;
  }
  return options;
}

/** The body to send, or the error for one this adapter does not send (it sends bytes, not objects or streams). */
function bodyOf(data: unknown): Buffer | undefined | AxiosError {
  if (data === undefined || data === null) return undefined;
  if (Buffer.isBuffer(data)) return data;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return new AxiosError('nodeAdapter sends a Buffer, a Uint8Array or a string; serialise other data first', AxiosError.ERR_BAD_REQUEST);
}

/** A URL's percent-encoded user or password as text; as written when it is not valid percent-encoding. */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
