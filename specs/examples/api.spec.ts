import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { startExampleApi, type ExampleApi } from '../../examples/api/server.js';

// The example API behind every example suite, proven route by route with real requests.
// Time-dependent states are stepped through with a fake clock (no sleeping); one spec per
// clock-related option checks the real clock and `timeScale`.

const SERVER_JS = fileURLToPath(new URL('../../examples/api/server.js', import.meta.url));

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON (undefined when empty). */
  readonly json: any;
}

async function call(
  api: ExampleApi,
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const res = await fetch(`${api.url}${path}`, { method, body: init.body ?? null, headers: init.headers ?? {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text === '' ? undefined : JSON.parse(text) };
}

describe('examples/api/server (the example API)', () => {
  let api: ExampleApi;
  let now = 0;
  /** Moves the fake clock forward. */
  const advance = (ms: number): void => {
    now += ms;
  };

  before(async () => {
    api = await startExampleApi({ clock: () => now });
  });
  after(async () => {
    await api.close();
  });

  describe('server', () => {
    it('listens on 127.0.0.1 on a free port and answers /health', async () => {
      expect(api.port).to.be.greaterThan(0);
      expect(api.url).to.equal(`http://127.0.0.1:${api.port}`);
      const r = await call(api, 'GET', '/health');
      expect(r.status).to.equal(200);
      expect(r.headers.get('content-type')).to.equal('application/json');
      expect(r.json).to.deep.equal({ status: 'ok' });
    });

    it('answers 404 listing the routes for an unknown path, 405 with Allow for a wrong method', async () => {
      const missing = await call(api, 'GET', '/nope');
      expect(missing.status).to.equal(404);
      expect(missing.json.routes).to.include('POST /jobs').and.include('GET /files/:id/status');
      const wrong = await call(api, 'PUT', '/jobs');
      expect(wrong.status).to.equal(405);
      expect(wrong.headers.get('allow')).to.equal('POST');
    });

    it('answers HEAD on GET routes without a body', async () => {
      const r = await call(api, 'HEAD', '/health');
      expect(r.status).to.equal(200);
      expect(r.text).to.equal('');
    });

    it('refuses a body over 1 MiB with 413', async () => {
      const r = await call(api, 'POST', '/echo', { body: 'x'.repeat(1024 * 1024 + 1) });
      expect(r.status).to.equal(413);
    });

    it('counts requests in total and per route', async () => {
      const own = await startExampleApi();
      try {
        await call(own, 'GET', '/health');
        await call(own, 'GET', '/health');
        await call(own, 'POST', '/jobs');
        await call(own, 'GET', '/nope');
        expect(own.stats()).to.deep.equal({ requests: 4, byRoute: { 'GET /health': 2, 'POST /jobs': 1, unmatched: 1 } });
      } finally {
        await own.close();
      }
    });

    it('close() is idempotent, closes kept-alive connections and frees the port', async () => {
      const own = await startExampleApi();
      await call(own, 'GET', '/health'); // leaves a keep-alive socket open in fetch's pool
      await Promise.all([own.close(), own.close()]);
      let error: unknown;
      try {
        await fetch(`${own.url}/health`);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(Error);
    });

    it('rejects a bad port or timeScale', async () => {
      for (const options of [{ port: -1 }, { port: 70000 }, { timeScale: -1 }, { timeScale: Number.NaN }]) {
        let error: unknown;
        try {
          await startExampleApi(options);
        } catch (e) {
          error = e;
        }
        expect(error, JSON.stringify(options)).to.be.instanceOf(RangeError);
      }
    });
  });

  describe('jobs', () => {
    async function submit(body?: string, query = ''): Promise<string> {
      const r = await call(api, 'POST', `/jobs${query}`, body === undefined ? {} : { body });
      expect(r.status).to.equal(202);
      return r.json.job_id as string;
    }

    it('POST /jobs answers 202 with a job id, status queued and a Location', async () => {
      const r = await call(api, 'POST', '/jobs', { body: '{"data": "process this"}' });
      expect(r.status).to.equal(202);
      expect(r.json).to.have.keys('job_id', 'status');
      expect(r.json.status).to.equal('queued');
      expect(r.json.job_id).to.match(/^job-\d+-[0-9a-f]{6}$/);
      expect(r.headers.get('location')).to.equal(`/jobs/${r.json.job_id}`);
    });

    it('goes queued -> running -> completed over its default 1 s, with X-Job-Status', async () => {
      const id = await submit('{"data": "process this"}');
      const at = async () => call(api, 'GET', `/jobs/${id}`);

      let r = await at();
      expect([r.status, r.json.status, r.headers.get('x-job-status')]).to.deep.equal([200, 'queued', 'queued']);
      expect(r.json).not.to.have.property('result');
      advance(250); // a quarter of 1000 ms: running
      r = await at();
      expect([r.json.status, r.json.progress, r.headers.get('x-job-status')]).to.deep.equal(['running', 25, 'running']);
      advance(749); // 999 ms: still running
      r = await at();
      expect(r.json.status).to.equal('running');
      advance(1); // 1000 ms: done
      r = await at();
      expect(r.headers.get('x-job-status')).to.equal('finished');
      expect(r.json).to.deep.equal({
        job_id: id,
        status: 'completed',
        progress: 100,
        result: { data: 'process this', words: ['process', 'this'], word_count: 2 },
      });
    });

    it('takes duration_ms from the body or the query', async () => {
      const fromBody = await submit('{"duration_ms": 100}');
      const fromQuery = await submit(undefined, '?duration_ms=200');
      advance(100);
      expect((await call(api, 'GET', `/jobs/${fromBody}`)).json.status).to.equal('completed');
      expect((await call(api, 'GET', `/jobs/${fromQuery}`)).json.status).to.equal('running');
      advance(100);
      expect((await call(api, 'GET', `/jobs/${fromQuery}`)).json.status).to.equal('completed');
    });

    it('completes at once with duration_ms 0', async () => {
      const id = await submit('{"duration_ms": 0}');
      expect((await call(api, 'GET', `/jobs/${id}`)).json.status).to.equal('completed');
    });

    it('ends failed, with an error and X-Job-Status: failed, when submitted with "fail": true', async () => {
      const id = await submit('{"fail": true, "duration_ms": 100}');
      expect((await call(api, 'GET', `/jobs/${id}`)).json.status).to.equal('queued');
      advance(100);
      const r = await call(api, 'GET', `/jobs/${id}`);
      expect(r.headers.get('x-job-status')).to.equal('failed');
      expect(r.json.status).to.equal('failed');
      expect(r.json.error.code).to.equal('JOB_FAILED');
      expect(r.json).not.to.have.property('result');
    });

    it('answers 404 for an unknown id', async () => {
      const r = await call(api, 'GET', '/jobs/job-0-000000');
      expect(r.status).to.equal(404);
      expect(r.json).to.deep.equal({ error: 'job not found', job_id: 'job-0-000000' });
    });

    it('answers 400 for a body that is not a JSON object or a bad duration_ms', async () => {
      for (const body of ['{oops', '[1, 2]', '"text"', '{"duration_ms": -1}', '{"duration_ms": 1.5}', '{"duration_ms": "1s"}']) {
        const r = await call(api, 'POST', '/jobs', { body });
        expect(r.status, body).to.equal(400);
        expect(r.json.error, body).to.be.a('string');
      }
      expect((await call(api, 'POST', '/jobs?duration_ms=soon')).status).to.equal(400);
    });

    it('DELETE answers 202, the job shows "deleting" for delete_ms, then 404', async () => {
      const id = await submit('{"duration_ms": 0}');
      const del = await call(api, 'DELETE', `/jobs/${id}?delete_ms=200`);
      expect(del.status).to.equal(202);
      expect(del.json).to.deep.equal({ job_id: id, status: 'deleting' });
      advance(199);
      expect((await call(api, 'GET', `/jobs/${id}`)).json.status).to.equal('deleting');
      // A second DELETE keeps the first schedule.
      expect((await call(api, 'DELETE', `/jobs/${id}?delete_ms=5000`)).status).to.equal(202);
      advance(1);
      expect((await call(api, 'GET', `/jobs/${id}`)).status).to.equal(404);
      expect((await call(api, 'DELETE', `/jobs/${id}`)).status).to.equal(404);
    });

    it('DELETE of an unknown job answers 404; the default delete_ms is 300', async () => {
      expect((await call(api, 'DELETE', '/jobs/nope')).status).to.equal(404);
      const id = await submit();
      await call(api, 'DELETE', `/jobs/${id}`);
      advance(299);
      expect((await call(api, 'GET', `/jobs/${id}`)).status).to.equal(200);
      advance(1);
      expect((await call(api, 'GET', `/jobs/${id}`)).status).to.equal(404);
    });

    it('keeps concurrent jobs apart: unique ids, each with its own data and its own timing', async () => {
      const n = 20;
      const ids = await Promise.all(
        Array.from({ length: n }, (_, i) => submit(JSON.stringify({ data: `job number ${i}`, duration_ms: (i + 1) * 10 }))),
      );
      expect(new Set(ids).size).to.equal(n);
      advance(100); // jobs 0..9 (10..100 ms) are done, 10..19 (110..200 ms) are not
      const views = await Promise.all(ids.map(async (id) => (await call(api, 'GET', `/jobs/${id}`)).json));
      views.forEach((v, i) => {
        expect(v.job_id).to.equal(ids[i]);
        if (i < 10) expect(v.result.data, `job ${i}`).to.equal(`job number ${i}`);
        else expect(v.status, `job ${i}`).to.equal('running');
      });
    });

    it('ids differ between two servers (no shared module state)', async () => {
      const other = await startExampleApi();
      try {
        const a = (await call(api, 'POST', '/jobs')).json.job_id;
        const b = (await call(other, 'POST', '/jobs')).json.job_id;
        expect(a).not.to.equal(b);
        expect((await call(other, 'GET', `/jobs/${a}`)).status).to.equal(404);
      } finally {
        await other.close();
      }
    });
  });

  describe('deployments', () => {
    async function create(body = ''): Promise<string> {
      const r = await call(api, 'POST', '/deployments', { body });
      expect(r.status).to.equal(201);
      expect(r.json.status).to.equal('pending');
      return r.json.id as string;
    }

    it('answers 503 to the first two polls, then rolls out pending -> in_progress -> success in 1.5 s', async () => {
      const id = await create();
      const poll = async () => call(api, 'GET', `/deployments/${id}`);

      const first = await poll();
      expect(first.status).to.equal(503);
      expect(first.json).not.to.have.property('deployment');
      expect(first.headers.get('retry-after')).to.equal(null);
      expect((await poll()).status).to.equal(503);
      let r = await poll();
      expect(r.status).to.equal(200);
      expect(r.json).to.deep.equal({ deployment: { id, status: 'pending', progress: 0 } });
      advance(750);
      r = await poll();
      expect(r.json.deployment).to.deep.include({ status: 'in_progress', progress: 50 });
      advance(749);
      expect((await poll()).json.deployment.status).to.equal('in_progress');
      advance(1);
      expect((await poll()).json.deployment).to.deep.equal({ id, status: 'success', progress: 100 });
    });

    it('503s are counted in polls, not in time: a late first poll still gets 503', async () => {
      const id = await create('{"unavailable_polls": 1, "duration_ms": 10}');
      advance(10_000);
      expect((await call(api, 'GET', `/deployments/${id}`)).status).to.equal(503);
      expect((await call(api, 'GET', `/deployments/${id}`)).json.deployment.status).to.equal('success');
    });

    it('takes unavailable_polls: 0 and fail: true', async () => {
      const id = await create('{"unavailable_polls": 0, "duration_ms": 100, "fail": true}');
      expect((await call(api, 'GET', `/deployments/${id}`)).status).to.equal(200);
      advance(100);
      expect((await call(api, 'GET', `/deployments/${id}`)).json.deployment.status).to.equal('failed');
    });

    it('answers 404 for an unknown id', async () => {
      expect((await call(api, 'GET', '/deployments/123')).status).to.equal(404);
    });
  });

  describe('files', () => {
    it('lists pending checks in errors while processing, then drops the errors key', async () => {
      const up = await call(api, 'POST', '/files', { body: '{"name": "report.csv", "duration_ms": 300}' });
      expect(up.status).to.equal(201);
      expect(up.json).to.deep.include({ name: 'report.csv', status: 'uploaded' });
      const id = up.json.file_id as string;
      const status = async () => (await call(api, 'GET', `/files/${id}/status`)).json;

      let s = await status();
      expect(s).to.deep.equal({
        file_id: id,
        processing_complete: false,
        progress: 0,
        errors: ['checksum: not done yet', 'virus scan: not done yet', 'thumbnail: not done yet'],
      });
      advance(200); // two thirds: two checks done
      s = await status();
      expect(s.processing_complete).to.equal(false);
      expect(s.errors).to.deep.equal(['thumbnail: not done yet']);
      advance(100);
      s = await status();
      expect(s).to.deep.equal({ file_id: id, processing_complete: true, progress: 100 });
      expect(s).not.to.have.property('errors');
    });

    it('keeps an errors key after processing when uploaded with fail: true', async () => {
      const id = (await call(api, 'POST', '/files', { body: '{"fail": true}' })).json.file_id;
      advance(1000);
      const s = (await call(api, 'GET', `/files/${id}/status`)).json;
      expect(s.processing_complete).to.equal(true);
      expect(s.errors).to.deep.equal(['checksum mismatch']);
    });

    it('answers 404 for an unknown id', async () => {
      expect((await call(api, 'GET', '/files/nope/status')).status).to.equal(404);
    });
  });

  describe('flaky and busy', () => {
    it('/flaky answers 500 to the first N requests of a key, then 200, with X-Attempt', async () => {
      const seen: Array<[number, string | null]> = [];
      for (let i = 0; i < 4; i++) {
        const r = await call(api, 'GET', '/flaky?fail=2&key=a');
        seen.push([r.status, r.headers.get('x-attempt')]);
        advance(100);
      }
      expect(seen).to.deep.equal([
        [500, '1'],
        [500, '2'],
        [200, '3'],
        [200, '4'],
      ]);
      const stats = await call(api, 'GET', '/flaky/stats?key=a');
      expect(stats.json).to.deep.equal({ key: 'a', requests: 4, gaps_ms: [100, 100, 100] });
    });

    it('/flaky counts each key on its own, defaults to fail=1, and requires a key', async () => {
      expect((await call(api, 'GET', '/flaky?key=b1')).status).to.equal(500);
      expect((await call(api, 'GET', '/flaky?key=b2')).status).to.equal(500);
      expect((await call(api, 'GET', '/flaky?key=b1')).status).to.equal(200);
      expect((await call(api, 'GET', '/flaky/stats?key=never')).json).to.deep.equal({ key: 'never', requests: 0, gaps_ms: [] });
      expect((await call(api, 'GET', '/flaky')).status).to.equal(400);
      expect((await call(api, 'GET', '/flaky?key=c&fail=x')).status).to.equal(400);
    });

    it('/busy answers 429 with Retry-After: 1 to the first request of a key, then 200', async () => {
      const first = await call(api, 'GET', '/busy?key=k1');
      expect(first.status).to.equal(429);
      expect(first.headers.get('retry-after')).to.equal('1');
      expect((await call(api, 'GET', '/busy?key=k2')).status).to.equal(429);
      advance(1000);
      const second = await call(api, 'GET', '/busy?key=k1');
      expect(second.status).to.equal(200);
      expect(second.headers.get('retry-after')).to.equal(null);
      expect((await call(api, 'GET', '/busy/stats?key=k1')).json).to.deep.equal({ key: 'k1', requests: 2, gaps_ms: [1000] });
    });

    it('/busy takes busy, retry_after and status=503', async () => {
      const q = '/busy?key=k3&busy=2&retry_after=3&status=503';
      const a = await call(api, 'GET', q);
      const b = await call(api, 'GET', q);
      const c = await call(api, 'GET', q);
      expect([a.status, b.status, c.status]).to.deep.equal([503, 503, 200]);
      expect(a.headers.get('retry-after')).to.equal('3');
      expect((await call(api, 'GET', '/busy?key=k4&status=500')).status).to.equal(400);
    });
  });

  describe('httpbin-like routes', () => {
    it('/status/:code answers that code for any method, with no body for 204', async () => {
      for (const [method, code] of [
        ['GET', 200],
        ['POST', 201],
        ['GET', 404],
        ['DELETE', 418],
        ['GET', 503],
      ] as const) {
        const r = await call(api, method, `/status/${code}`);
        expect(r.status).to.equal(code);
        expect(r.json).to.deep.equal({ status: code });
      }
      const empty = await call(api, 'GET', '/status/204');
      expect([empty.status, empty.text]).to.deep.equal([204, '']);
      expect((await call(api, 'GET', '/status/99')).status).to.equal(400);
      expect((await call(api, 'GET', '/status/abc')).status).to.equal(400);
    });

    it('/echo returns method, canonical headers, query (repeated keys as lists), raw body and parsed JSON', async () => {
      const r = await call(api, 'PATCH', '/echo?a=1&a=2&b=x', {
        headers: { 'content-type': 'application/json', 'x-custom-header': 'test-value' },
        body: '{"n": 1}',
      });
      expect(r.status).to.equal(200);
      expect(r.json).to.deep.include({ method: 'PATCH', path: '/echo', body: '{"n": 1}', json: { n: 1 }, form: null });
      expect(r.json.url).to.equal(`${api.url}/echo?a=1&a=2&b=x`);
      expect(r.json.query).to.deep.equal({ a: ['1', '2'], b: 'x' });
      expect(r.json.headers['Content-Type']).to.equal('application/json');
      expect(r.json.headers['X-Custom-Header']).to.equal('test-value');
    });

    it('/echo parses a url-encoded form and shows its exact content type', async () => {
      const r = await call(api, 'POST', '/echo', {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'foo=bar&templated=hello+world&tags=a&tags=b',
      });
      expect(r.json.headers['Content-Type']).to.equal('application/x-www-form-urlencoded');
      expect(r.json.form).to.deep.equal({ foo: 'bar', templated: 'hello world', tags: ['a', 'b'] });
      expect(r.json.json).to.equal(null);
    });

    it('/uuid answers a fresh value each time', async () => {
      const a = (await call(api, 'GET', '/uuid')).json.uuid;
      const b = (await call(api, 'GET', '/uuid')).json.uuid;
      expect(a).to.match(/^[0-9a-f-]{36}$/);
      expect(a).not.to.equal(b);
    });
  });

  describe('clock options', () => {
    it('timeScale scales the default and requested durations', async () => {
      let t = 0;
      const scaled = await startExampleApi({ timeScale: 0.5, clock: () => t });
      try {
        const byDefault = (await call(scaled, 'POST', '/jobs')).json.job_id;
        const requested = (await call(scaled, 'POST', '/jobs', { body: '{"duration_ms": 200}' })).json.job_id;
        t = 99;
        expect((await call(scaled, 'GET', `/jobs/${requested}`)).json.status).to.equal('running');
        t = 100;
        expect((await call(scaled, 'GET', `/jobs/${requested}`)).json.status).to.equal('completed');
        t = 499;
        expect((await call(scaled, 'GET', `/jobs/${byDefault}`)).json.status).to.equal('running');
        t = 500;
        expect((await call(scaled, 'GET', `/jobs/${byDefault}`)).json.status).to.equal('completed');
      } finally {
        await scaled.close();
      }
    });

    it('uses the real clock by default: a 100 ms job is not done at once and is done after 100 ms', async () => {
      const real = await startExampleApi();
      try {
        const started = performance.now();
        const id = (await call(real, 'POST', '/jobs', { body: '{"duration_ms": 100}' })).json.job_id;
        let status = (await call(real, 'GET', `/jobs/${id}`)).json.status;
        expect(status).not.to.equal('completed');
        while (status !== 'completed' && performance.now() - started < 2000) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          status = (await call(real, 'GET', `/jobs/${id}`)).json.status;
        }
        expect(status).to.equal('completed');
        expect(performance.now() - started).to.be.at.least(100);
      } finally {
        await real.close();
      }
    });
  });

  describe('command line', () => {
    /** Starts `node server.js ...args`, resolves the first stdout line and the process. */
    async function launch(args: string[]) {
      const child = spawn(process.execPath, [SERVER_JS, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8');
      const firstLine = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          out += chunk;
          const nl = out.indexOf('\n');
          if (nl >= 0) resolve(out.slice(0, nl));
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code} before printing a line`)));
      });
      return { child, firstLine };
    }

    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      it(`prints "listening PORT" first, serves, and exits 0 on ${signal} with a connection still open`, async () => {
        const { child, firstLine } = await launch(['0']);
        const m = /^listening (\d+)$/.exec(firstLine);
        expect(m, firstLine).not.to.equal(null);
        const port = Number(m?.[1]);
        // Open a keep-alive connection and leave it open: the server must not wait for it.
        const agentRes = await new Promise<number>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port, path: '/health', headers: { connection: 'keep-alive' } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
        expect(agentRes).to.equal(200);
        const exited = once(child, 'exit');
        child.kill(signal);
        const [code] = await exited;
        expect(code).to.equal(0);
      });
    }

    it('exits 2 with a usage line for a bad port', async () => {
      const child = spawn(process.execPath, [SERVER_JS, 'abc'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
      const [code] = await once(child, 'exit');
      expect(code).to.equal(2);
      expect(err).to.contain('usage: node examples/api/server.js [PORT]');
    });
  });
});
