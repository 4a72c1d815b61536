import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { lastValueFrom, toArray } from 'rxjs';
import type { RunEvent, StepResult } from '../../lib/event/run-event.js';
import { createAxiosClient } from '../../lib/http/axios-client.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { runSuite } from '../../lib/run/run-suite.js';
import { suite } from '../helpers/fake-http.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { messageOf } from '../helpers/result-message.js';
import { FIXTURES } from '../openapi/contract-fixtures.js';

/** The first bytes of a PNG file: not UTF-8, not JSON. */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe]);

/** OpenAPI contract validation of http steps, against a real local server. */
describe('http plugin: openapi', function () {
  this.timeout(20_000);
  let server: LocalServer;
  let polls = 0;
  before(async () => {
    server = await startLocalServer((req, res) => {
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/openapi.yaml') return res.writeHead(200).end(readFileSync(`${FIXTURES}jobs-3.1.yaml`));
      if (url.pathname === '/v1/jobs' && req.method === 'GET')
        return json(200, { items: [{ id: 'j1', state: 'done' }] }, { 'x-request-id': 'r' });
      if (url.pathname === '/v1/jobs' && req.method === 'POST') return json(201, { id: 'j2', state: 'queued' });
      if (url.pathname === '/v1/jobs/latest') return json(200, { id: 'j9', state: 'done' });
      if (url.pathname === '/v1/jobs/7') return json(200, { id: 7, state: 'done' });
      if (url.pathname === '/v1/jobs/8') {
        polls++;
        return json(200, polls < 3 ? { id: 'j8', state: 'running' } : { id: 8, state: 'running' });
      }
      if (url.pathname === '/jobs/j-1') return json(200, { id: 'j-1', tags: ['primary'] });
      if (url.pathname === '/api/pets/3/photo') return res.writeHead(204).end();
      if (url.pathname === '/v3/uploads') return json(201, { id: 'u1' });
      if (url.pathname === '/v3/blobs/b1' && req.method === 'PUT') return res.writeHead(204).end();
      if (url.pathname === '/v3/blobs/b1') return res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
      if (url.pathname === '/v3/blobs/b2') return res.writeHead(200, { 'content-type': 'text/plain' }).end('far too long');
      if (url.pathname === '/v2/uploads') {
        const bad = url.searchParams.has('bad');
        return res.writeHead(201, { 'x-rate-remaining': bad ? 'many' : '41', 'x-tags': 'a|b' }).end();
      }
      return json(404, { message: 'no' });
    });
  });
  beforeEach(() => {
    server.reset();
    polls = 0;
  });
  after(() => server.close());

  /** Runs a suite whose file sits in the fixtures folder (so `./jobs-3.0.yaml` is found beside it). */
  async function run(text: string): Promise<{ results: StepResult[]; events: RunEvent[] }> {
    const loaded = suite(text.replaceAll('BASE', server.url), `${FIXTURES}suite.yaml`);
    const events = await lastValueFrom(
      runSuite(loaded, { http: createAxiosClient(), plugins: builtinPlugins(), vars: { spec_url: `${server.url}/openapi.yaml` } }).pipe(
        toArray(),
      ),
    );
    return { results: events.flatMap((e) => (e._tag === 'StepEnded' ? [e.result] : [])), events };
  }
  const withSuite = (steps: string, openapi = 'openapi: { spec: "./jobs-3.0.yaml" }') => `
name: s
${openapi}
tests:
  - name: t
    steps:
${steps}`;

  it("validates every http step against the suite's document (request and response)", async () => {
    const { results } = await run(
      withSuite(`
      - name: list
        plugin: http
        config: { method: GET, url: "BASE/v1/jobs?limit=5", headers: { X-Tenant: acme } }
      - name: create
        plugin: http
        config: { method: POST, url: "BASE/v1/jobs", body: { name: "n", priority: 2 } }`),
    );
    expect(results.map((r) => r._tag)).to.deep.equal(['Passed', 'Passed']);
    expect(server.requests).to.equal(2);
  });

  it('fails a request that breaks the contract without sending it, listing every violation', async () => {
    const { results } = await run(
      withSuite(`
      - name: create
        plugin: http
        config: { method: POST, url: "BASE/v1/jobs", body: { priority: 0 } }`),
    );
    expect(results[0]?._tag).to.equal('Failed');
    expect(messageOf(results[0]!)).to.equal(
      [
        'OpenAPI request validation failed (POST /jobs (createJob)):',
        "  request body: must have required property 'name' (schema at paths./jobs.post.requestBody.content.application/json.schema.required)",
        '  request body /priority: must be > 0 (schema at paths./jobs.post.requestBody.content.application/json.schema.properties.priority.minimum)',
      ].join('\n'),
    );
    expect(server.requests).to.equal(0);
  });

  it('fails a response that breaks the contract before its assertions are judged', async () => {
    const { results } = await run(
      withSuite(`
      - name: get
        plugin: http
        config: { method: GET, url: "BASE/v1/jobs/7" }
        assertions: [{ type: status_code, expected: 500 }]`),
    );
    const r = results[0]!;
    expect(r._tag === 'Failed' && r.cause).to.deep.include({
      _tag: 'ContractViolation',
      side: 'response',
      operation: 'GET /jobs/{id} (getJob)',
    });
    expect(messageOf(r)).to.contain('response body /id: must be string (schema at components.schemas.Job.properties.id.type)');
  });

  it('turns a side off per step (validate_response: false), and checks operation_id before sending', async () => {
    const { results } = await run(
      withSuite(`
      - name: get
        plugin: http
        config: { method: GET, url: "BASE/v1/jobs/7", openapi: { validate_response: false } }
      - name: latest
        plugin: http
        config: { method: GET, url: "BASE/v1/jobs/latest", openapi: { operation_id: latestJob } }
      - name: wrong id
        plugin: http
        config: { method: GET, url: "BASE/v1/jobs/latest", openapi: { operation_id: getJob } }`),
    );
    expect(results.map((r) => r._tag)).to.deep.equal(['Passed', 'Passed', 'Failed']);
    expect(messageOf(results[2]!)).to.contain('OpenAPI operation_id mismatch: expected getJob but matched latestJob');
    expect(server.requests).to.equal(2);
  });

  it("fails a poll at once when an attempt's response breaks the contract, naming the attempt", async () => {
    const { results, events } = await run(
      withSuite(`
      - name: wait
        plugin: http
        config:
          method: GET
          url: "BASE/v1/jobs/8"
          polling:
            interval: 10ms
            timeout: 5s
            conditions: [{ type: json_path, path: ".state", expected: done }]`),
    );
    const r = results[0]!;
    expect(r._tag === 'Failed' && r.cause).to.deep.include({ _tag: 'ContractViolation', side: 'response', attempt: 3 });
    expect(messageOf(r)).to.match(
      /^OpenAPI response validation failed on attempt 3 \(GET \/jobs\/\{id\} \(getJob\)\):\n {2}response body \/id: must be string/,
    );
    expect(events.filter((e) => e._tag === 'AttemptMade')).to.have.length(3);
    expect(server.requests).to.equal(3);
  });

  it('validates against a 3.1 document served over HTTP, and a Swagger 2.0 form', async () => {
    const { results } = await run(
      withSuite(
        `
      - name: 3.1 over http
        plugin: http
        config: { method: GET, url: "BASE/jobs/j-1", openapi: { spec: "{{ .vars.spec_url }}" } }
      - name: swagger form
        plugin: http
        config: { method: POST, url: "BASE/api/pets/3/photo", form: { caption: hi, width: 2 }, openapi: { spec: "./petstore-2.0.yaml" } }
      - name: swagger form, broken
        plugin: http
        config: { method: POST, url: "BASE/api/pets/3/photo", form: { width: 0 }, openapi: { spec: "./petstore-2.0.yaml" } }`,
        '',
      ),
    );
    expect(results.map((r) => r._tag)).to.deep.equal(['Passed', 'Passed', 'Failed']);
    expect(messageOf(results[2]!)).to.contain("request body: must have required property 'caption'");
    expect(server.requests).to.equal(3);
  });

  it('errors a step whose document is not found, naming both paths tried', async () => {
    const { results } = await run(
      withSuite(
        `
      - name: get
        plugin: http
        config: { method: GET, url: "BASE/v1/jobs" }`,
        'openapi: { spec: "./missing.yaml" }',
      ),
    );
    expect(results[0]?._tag).to.equal('Errored');
    expect(messageOf(results[0]!)).to.contain(`tried ${process.cwd()}/missing.yaml (the working directory), then ${FIXTURES}missing.yaml`);
    expect(server.requests).to.equal(0);
  });

  it('errors a step-level openapi with no spec anywhere', async () => {
    const { results } = await run(
      withSuite(
        `
      - name: get
        plugin: http
        config: { method: GET, url: "BASE/v1/jobs", openapi: { validate_response: false } }`,
        '',
      ),
    );
    expect(results[0]?._tag).to.equal('Errored');
    expect(messageOf(results[0]!)).to.contain('no spec');
  });

  describe('multipart and binary bodies, Swagger 2.0 headers, and the contract in attempt records', () => {
    const contracts = (events: RunEvent[]) => events.flatMap((e) => (e._tag === 'AttemptMade' ? [e.attempt.contract] : []));

    it('sends a multipart form checked part by part, a binary body and a binary response checked by Content-Type', async () => {
      const { results, events } = await run(
        withSuite(
          `
      - name: upload
        plugin: http
        config:
          method: POST
          url: "BASE/v3/uploads"
          headers: { Content-Type: "multipart/form-data; boundary=B" }
          body: "--B\\r\\nContent-Disposition: form-data; name=\\"title\\"\\r\\n\\r\\nReport\\r\\n--B\\r\\nContent-Disposition: form-data; name=\\"copies\\"\\r\\n\\r\\n2\\r\\n--B\\r\\nContent-Disposition: form-data; name=\\"file\\"; filename=\\"r.bin\\"\\r\\nContent-Type: application/octet-stream\\r\\n\\r\\n\\x01\\x02\\r\\n--B--\\r\\n"
      - name: put blob
        plugin: http
        config: { method: PUT, url: "BASE/v3/blobs/b1", headers: { Content-Type: application/octet-stream }, body: "\\x00\\x01" }
      - name: get blob
        plugin: http
        config: { method: GET, url: "BASE/v3/blobs/b1" }`,
          'openapi: { spec: "./files-3.0.yaml" }',
        ),
      );
      expect(results.map((r) => r._tag)).to.deep.equal(['Passed', 'Passed', 'Passed']);
      expect(contracts(events)).to.deep.equal([
        {
          operation: 'POST /uploads (upload)',
          request: { _tag: 'Passed', body: { _tag: 'Schema', mediaType: 'multipart/form-data' } },
          response: { _tag: 'Passed', body: { _tag: 'Schema', mediaType: 'application/json' } },
        },
        {
          operation: 'PUT /blobs/{id} (putBlob)',
          request: { _tag: 'Passed', body: { _tag: 'ContentType', mediaType: 'application/octet-stream' } },
          response: { _tag: 'Passed', body: { _tag: 'None' } },
        },
        {
          operation: 'GET /blobs/{id} (getBlob)',
          request: { _tag: 'Passed', body: { _tag: 'None' } },
          response: { _tag: 'Passed', body: { _tag: 'ContentType', mediaType: 'image/png' } },
        },
      ]);
      expect(server.requests).to.equal(3);
    });

    it('fails a multipart form whose part breaks the schema without sending it', async () => {
      const { results } = await run(
        withSuite(
          `
      - name: upload
        plugin: http
        config:
          method: POST
          url: "BASE/v3/uploads"
          headers: { Content-Type: "multipart/form-data; boundary=B" }
          body: "--B\\nContent-Disposition: form-data; name=\\"title\\"\\n\\nReport\\n--B\\nContent-Disposition: form-data; name=\\"copies\\"\\n\\nzero\\n--B--\\n"`,
          'openapi: { spec: "./files-3.0.yaml" }',
        ),
      );
      expect(messageOf(results[0]!)).to.equal(
        [
          'OpenAPI request validation failed (POST /uploads (upload)):',
          "  request body: must have required property 'file' (schema at paths./uploads.post.requestBody.content.multipart/form-data.schema.required)",
          '  request body /copies: must be integer (schema at paths./uploads.post.requestBody.content.multipart/form-data.schema.properties.copies.type)',
        ].join('\n'),
      );
      expect(server.requests).to.equal(0);
    });

    it('records a failed response check with its violations, and a skipped side', async () => {
      const { results, events } = await run(
        withSuite(
          `
      - name: text too long
        plugin: http
        config: { method: GET, url: "BASE/v3/blobs/b2", openapi: { validate_request: false } }`,
          'openapi: { spec: "./files-3.0.yaml" }',
        ),
      );
      expect(results[0]?._tag).to.equal('Failed');
      expect(contracts(events)).to.deep.equal([
        {
          operation: 'GET /blobs/{id} (getBlob)',
          request: { _tag: 'Skipped', reason: 'validate_request: false' },
          response: {
            _tag: 'Failed',
            violations: [
              'response body: must NOT have more than 5 characters (schema at paths./blobs/{id}.get.responses.200.content.text/plain.schema.maxLength)',
            ],
            body: { _tag: 'Schema', mediaType: 'text/plain' },
          },
        },
      ]);
    });

    it('records every attempt of a poll, the one that broke the contract included', async () => {
      const { events } = await run(
        withSuite(`
      - name: wait
        plugin: http
        config:
          method: GET
          url: "BASE/v1/jobs/8"
          polling: { interval: 10ms, timeout: 5s, conditions: [{ type: json_path, path: ".state", expected: done }] }`),
      );
      const tags = contracts(events).map((c) => c?.response._tag);
      expect(tags).to.deep.equal(['Passed', 'Passed', 'Failed']);
    });

    it('Swagger 2.0: a declared response header is not required, but its type is checked when sent', async () => {
      const { results, events } = await run(
        withSuite(
          `
      - name: ok
        plugin: http
        config: { method: POST, url: "BASE/v2/uploads", headers: { Content-Type: "multipart/form-data; boundary=B" }, body: "--B\\nContent-Disposition: form-data; name=\\"title\\"\\n\\nx\\n--B\\nContent-Disposition: form-data; name=\\"file\\"; filename=\\"a\\"\\n\\n1\\n--B--\\n" }
      - name: bad header
        plugin: http
        config: { method: POST, url: "BASE/v2/uploads?bad=1", headers: { Content-Type: "multipart/form-data; boundary=B" }, body: "--B\\nContent-Disposition: form-data; name=\\"title\\"\\n\\nx\\n--B\\nContent-Disposition: form-data; name=\\"file\\"; filename=\\"a\\"\\n\\n1\\n--B--\\n" }`,
          'openapi: { spec: "./files-2.0.yaml" }',
        ),
      );
      expect(results.map((r) => r._tag)).to.deep.equal(['Passed', 'Failed']);
      expect(messageOf(results[1]!)).to.contain(
        'response header X-Rate-Remaining: must be integer (schema at paths./uploads.post.responses.201.headers.X-Rate-Remaining.type)',
      );
      expect(contracts(events)[0]?.response).to.deep.equal({ _tag: 'Passed', body: { _tag: 'None' } });
    });

    it('leaves the contract out of the attempts of a step without one', async () => {
      const { events } = await run(
        withSuite(
          `
      - name: plain
        plugin: http
        config: { method: GET, url: "BASE/v1/jobs" }`,
          '',
        ),
      );
      expect(events.find((e) => e._tag === 'AttemptMade')).to.satisfy(
        (e: RunEvent) => e._tag === 'AttemptMade' && !('contract' in e.attempt),
      );
    });
  });
});
