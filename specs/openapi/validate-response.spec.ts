import { expect } from 'chai';
import type { Json } from '../../lib/json.js';
import type { Contract, Operation } from '../../lib/openapi/contract.js';
import { validateResponse, type ContractResponse } from '../../lib/openapi/validate-response.js';
import { fixtureContract, operation } from './contract-fixtures.js';

function response(
  status: number,
  body: Json | string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): ContractResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    status,
    headerValues: (name) => Object.entries(headers).flatMap(([k, v]) => (k.toLowerCase() === name.toLowerCase() ? [v] : [])),
    body: typeof body === 'string' ? { _tag: 'NotJson', text, reason: 'not JSON' } : { _tag: 'Json', value: body, text },
  };
}

/** The violations only. */
const violations = (op: Operation, r: ContractResponse): readonly string[] => validateResponse(op, r).violations;

describe('validateResponse', function () {
  this.timeout(20_000);
  let v30: Contract;
  let v31: Contract;
  before(async () => {
    [v30, v31] = await Promise.all([fixtureContract('jobs-3.0.yaml'), fixtureContract('jobs-3.1.yaml')]);
  });
  const withId = { 'content-type': 'application/json', 'x-request-id': 'r1' };

  it('passes a response that keeps the contract', () => {
    expect(violations(operation(v30, 'listJobs'), response(200, { items: [{ id: 'j1', state: 'done' }] }, withId))).to.deep.equal([]);
  });

  it('names an inline schema by its place under paths', () => {
    const r = response(200, { items: 'none' }, withId);
    expect(violations(operation(v30, 'listJobs'), r)).to.deep.equal([
      'response body /items: must be array (schema at paths./jobs.get.responses.200.content.application/json.schema.properties.items.type)',
    ]);
  });

  it('passes a response that keeps the contract (again, once compiled)', () => {
    expect(violations(operation(v30, 'listJobs'), response(200, { items: [{ id: 'j1', state: 'done' }] }, withId))).to.deep.equal([]);
  });

  it('lists every violation of the body, with where in the data and where in the document', () => {
    const r = response(
      200,
      {
        items: [
          { id: 1, state: 'done' },
          { id: 'j2', state: 'lost', parent: { id: 3, state: 'done' } },
        ],
      },
      withId,
    );
    expect(violations(operation(v30, 'listJobs'), r)).to.deep.equal([
      // A schema given by $ref is named where it is defined (so is one that refers to itself).
      'response body /items/0/id: must be string (schema at components.schemas.Job.properties.id.type)',
      'response body /items/1/state: must be equal to one of the allowed values ("queued", "running", "done") (schema at components.schemas.Job.properties.state.enum)',
      'response body /items/1/parent/id: must be string (schema at components.schemas.Job.properties.id.type)',
    ]);
  });

  it('fails a required header that is missing', () => {
    expect(violations(operation(v30, 'listJobs'), response(200, { items: [] }))).to.deep.equal([
      'response header X-Request-Id: required by the document (paths./jobs.get.responses.200.headers) but not sent',
    ]);
  });

  it('reads undeclared statuses by range, then default; a status with neither is a violation', () => {
    expect(violations(operation(v30, 'listJobs'), response(500, { message: 'boom' }))).to.deep.equal([]);
    expect(violations(operation(v30, 'listJobs'), response(500, { error: 'boom' }))).to.deep.equal([
      "response body: must have required property 'message' (schema at components.schemas.Error.required)",
    ]);
    expect(violations(operation(v30, 'createJob'), response(409, ''))).to.deep.equal([]);
    expect(violations(operation(v30, 'createJob'), response(500, { x: 1 }))).to.deep.equal([
      'response status 500: not declared for POST /jobs (declared: 201, 4xx)',
    ]);
  });

  it('fails a Content-Type that is not declared, and a JSON type whose body is not JSON', () => {
    expect(violations(operation(v30, 'getJob'), response(200, '<html>', { 'content-type': 'text/html' }))).to.deep.equal([
      'response Content-Type text/html: not declared (declared: application/json)',
    ]);
    expect(violations(operation(v30, 'getJob'), response(200, '<html>'))).to.deep.equal([
      'response body: not JSON (not JSON) though sent as application/json',
    ]);
  });

  it('validates 3.1 (2020-12: type lists, prefixItems, numeric exclusiveMinimum, formats) under a 2XX range', () => {
    const op = operation(v31, 'getJob');
    expect(violations(op, response(200, { id: 'j', tags: ['primary', 'x'], finished: null, score: 1 }))).to.deep.equal([]);
    expect(violations(op, response(203, { id: 'j', tags: ['other'], finished: 'yesterday', score: 0 }))).to.deep.equal([
      'response body /finished: must match format "date-time" (schema at paths./jobs/{id}.get.responses.2XX.content.application/json.schema.properties.finished.format)',
      'response body /tags/0: must be equal to constant (schema at paths./jobs/{id}.get.responses.2XX.content.application/json.schema.properties.tags.prefixItems.0.const)',
      'response body /score: must be > 0 (schema at paths./jobs/{id}.get.responses.2XX.content.application/json.schema.properties.score.exclusiveMinimum)',
    ]);
  });

  describe('binary and text bodies, Swagger 2.0 headers', () => {
    let files30: Contract;
    let files20: Contract;
    before(async () => {
      [files30, files20] = await Promise.all([fixtureContract('files-3.0.yaml'), fixtureContract('files-2.0.yaml')]);
    });

    it('checks a binary body by its Content-Type only, a text body by its schema, and says which', () => {
      const getBlob = operation(files30, 'getBlob');
      const png = response(200, '\ufffdPNG\r\n', { 'content-type': 'image/png' });
      expect(validateResponse(getBlob, png)).to.deep.equal({ violations: [], body: { _tag: 'ContentType', mediaType: 'image/png' } });
      expect(validateResponse(getBlob, response(200, 'far too long', { 'content-type': 'text/plain; charset=utf-8' }))).to.deep.equal({
        violations: [
          'response body: must NOT have more than 5 characters (schema at paths./blobs/{id}.get.responses.200.content.text/plain.schema.maxLength)',
        ],
        body: { _tag: 'Schema', mediaType: 'text/plain' },
      });
      expect(validateResponse(getBlob, response(200, 'x', { 'content-type': 'application/pdf' }))).to.deep.equal({
        violations: ['response Content-Type application/pdf: not declared (declared: image/png, text/plain)'],
        body: { _tag: 'ContentType', mediaType: 'application/pdf' },
      });
      expect(validateResponse(operation(files30, 'putBlob'), response(204, ''))).to.deep.equal({ violations: [], body: { _tag: 'None' } });
    });

    it('reads a Swagger 2.0 `type: file` response as binary: checked by its Content-Type', () => {
      const download = operation(files20, 'download');
      expect(validateResponse(download, response(200, 'PK\u0003\u0004', { 'content-type': 'application/octet-stream' }))).to.deep.equal({
        violations: [],
        body: { _tag: 'ContentType', mediaType: 'application/octet-stream' },
      });
    });

    it('never requires a Swagger 2.0 response header, but checks the type of one that is sent', () => {
      const upload = operation(files20, 'upload');
      expect(upload.responses['201']?.headers.map((h) => [h.name, h.required])).to.deep.equal([
        ['X-Rate-Remaining', false],
        ['X-Tags', false],
      ]);
      expect(violations(upload, response(201, ''))).to.deep.equal([]);
      expect(violations(upload, response(201, '', { 'x-rate-remaining': '41', 'x-tags': 'a|b' }))).to.deep.equal([]);
      expect(violations(upload, response(201, '', { 'x-rate-remaining': 'many', 'x-tags': 'a|c' }))).to.deep.equal([
        'response header X-Rate-Remaining: must be integer (schema at paths./uploads.post.responses.201.headers.X-Rate-Remaining.type)',
        'response header X-Tags /1: must be equal to one of the allowed values ("a", "b") (schema at paths./uploads.post.responses.201.headers.X-Tags.items.enum)',
      ]);
      expect(violations(upload, response(201, '', { 'x-rate-remaining': '-1' }))).to.deep.equal([
        'response header X-Rate-Remaining: must be >= 0 (schema at paths./uploads.post.responses.201.headers.X-Rate-Remaining.minimum)',
      ]);
    });
  });
});
