import { expect } from 'chai';
import type { Contract, Validation } from '../../lib/openapi/contract.js';
import { matchOperation } from '../../lib/openapi/match-operation.js';
import { validateRequest, type ContractRequest } from '../../lib/openapi/validate-request.js';
import { fixtureContract } from './contract-fixtures.js';

describe('validateRequest', function () {
  this.timeout(20_000);
  let v30: Contract;
  let v31: Contract;
  let v20: Contract;
  let files30: Contract;
  let files20: Contract;
  before(async () => {
    [v30, v31, v20, files30, files20] = await Promise.all([
      fixtureContract('jobs-3.0.yaml'),
      fixtureContract('jobs-3.1.yaml'),
      fixtureContract('petstore-2.0.yaml'),
      fixtureContract('files-3.0.yaml'),
      fixtureContract('files-2.0.yaml'),
    ]);
  });

  const validated = (c: Contract, request: ContractRequest): Validation => {
    const m = matchOperation(c, request.method, request.url);
    if (m._tag === 'NoMatch') throw new Error(m.message);
    return validateRequest(m.operation, m.pathParams, request);
  };
  const check = (c: Contract, request: ContractRequest): readonly string[] => validated(c, request).violations;
  const json = { 'Content-Type': 'application/json' };

  it('passes a request that keeps the contract (query and header parameters coerced from text)', () => {
    expect(
      check(v30, { method: 'GET', url: 'http://h/v1/jobs?limit=10&state=queued,done', headers: { 'x-tenant': 'acme' } }),
    ).to.deep.equal([]);
  });

  it('lists every broken parameter: a missing required header, a query value of the wrong type, a bad list item', () => {
    expect(check(v30, { method: 'GET', url: 'http://h/v1/jobs?limit=ten&state=queued,lost', headers: {} })).to.deep.equal([
      'request query parameter limit: must be integer (schema at paths./jobs.get.parameters.0.schema.type)',
      'request query parameter state /1: must be equal to one of the allowed values ("queued", "done") (schema at paths./jobs.get.parameters.1.schema.items.enum)',
      'request header parameter X-Tenant: required by the document but not sent',
    ]);
  });

  it('coerces path parameters (path-level parameters apply to the operation)', () => {
    expect(check(v30, { method: 'GET', url: 'http://h/v1/jobs/12', headers: {} })).to.deep.equal([]);
    expect(check(v30, { method: 'GET', url: 'http://h/v1/jobs/abc', headers: {} })).to.deep.equal([
      'request path parameter id: must be integer (schema at paths./jobs/{id}.parameters.0.schema.type)',
    ]);
  });

  it('validates a JSON body and lists all its violations (3.0: nullable, boolean exclusiveMinimum)', () => {
    expect(
      check(v30, { method: 'POST', url: 'http://h/v1/jobs', headers: json, body: '{"name":"a","note":null,"priority":1}' }),
    ).to.deep.equal([]);
    expect(check(v30, { method: 'POST', url: 'http://h/v1/jobs', headers: json, body: '{"priority":0,"extra":1}' })).to.deep.equal([
      "request body: must have required property 'name' (schema at paths./jobs.post.requestBody.content.application/json.schema.required)",
      'request body: must NOT have additional properties (extra) (schema at paths./jobs.post.requestBody.content.application/json.schema.additionalProperties)',
      'request body /priority: must be > 0 (schema at paths./jobs.post.requestBody.content.application/json.schema.properties.priority.minimum)',
    ]);
  });

  it('fails a required body that is not sent, a body that is not JSON, and a type the operation does not accept', () => {
    expect(check(v30, { method: 'POST', url: 'http://h/v1/jobs', headers: {} })).to.deep.equal([
      'request body: required by the document (paths./jobs.post.requestBody) but none is sent',
    ]);
    expect(check(v30, { method: 'POST', url: 'http://h/v1/jobs', headers: json, body: '{name' })[0]).to.match(/^request body: not JSON \(/);
    expect(check(v30, { method: 'POST', url: 'http://h/v1/jobs', headers: { 'content-type': 'text/plain' }, body: 'x' })).to.deep.equal([
      'request Content-Type text/plain: not a type the operation accepts (application/json)',
    ]);
  });

  it('validates 3.1 (JSON Schema 2020-12) parameters', () => {
    expect(check(v31, { method: 'GET', url: 'http://h/jobs/j-1', headers: {} })).to.deep.equal([]);
    expect(check(v31, { method: 'GET', url: 'http://h/jobs/x', headers: {} })).to.deep.equal([
      'request path parameter id: must match pattern "^j-[0-9]+$" (schema at paths./jobs/{id}.get.parameters.0.schema.pattern)',
    ]);
  });

  it('validates Swagger 2.0: csv query lists, a body parameter, form fields coerced to their types', () => {
    expect(check(v20, { method: 'GET', url: 'http://h/api/pets?tags=a,b&limit=60', headers: {} })).to.deep.equal([
      'request query parameter limit: must be <= 50 (schema at paths./pets.get.parameters.1.maximum)',
    ]);
    expect(check(v20, { method: 'POST', url: 'http://h/api/pets', headers: json, body: '{"id":"x"}' })).to.have.length(2);
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    expect(check(v20, { method: 'POST', url: 'http://h/api/pets/3/photo', headers: form, body: 'caption=hi&width=2' })).to.deep.equal([]);
    expect(check(v20, { method: 'POST', url: 'http://h/api/pets/3/photo', headers: form, body: 'width=0' })).to.deep.equal([
      "request body: must have required property 'caption' (schema at paths./pets/{id}/photo.post.parameters.required)",
      'request body /width: must be >= 1 (schema at paths./pets/{id}/photo.post.parameters.properties.width.minimum)',
    ]);
  });

  describe('multipart and binary bodies', () => {
    const multipart = { 'Content-Type': 'multipart/form-data; boundary=B' };
    interface Part {
      readonly name: string;
      readonly content: string;
      readonly filename?: string;
      readonly type?: string;
    }
    /** A multipart body of these parts, with LF line breaks as a YAML string has them. */
    const parts = (...list: Part[]): string =>
      list
        .map((p) =>
          [
            '--B',
            `Content-Disposition: form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}`,
            ...(p.type === undefined ? [] : [`Content-Type: ${p.type}`]),
            '',
            p.content,
          ].join('\n'),
        )
        .join('\n') + '\n--B--\n';

    it("validates a multipart form's fields against the schema's properties (text coerced, JSON parts parsed, files as text)", () => {
      const body = parts(
        { name: 'title', content: 'Report' },
        { name: 'copies', content: '2' },
        { name: 'tags', content: 'a' },
        { name: 'tags', content: 'b' },
        { name: 'meta', content: '{"owner":"ann"}', type: 'application/json' },
        { name: 'file', content: '\x89PNG...', filename: 'r.png', type: 'image/png' },
      );
      expect(validated(files30, { method: 'POST', url: 'http://h/v3/uploads', headers: multipart, body })).to.deep.equal({
        violations: [],
        body: { _tag: 'Schema', mediaType: 'multipart/form-data' },
      });
    });

    it('lists every broken part: a missing one, a text that is not an integer, a list item, a JSON part', () => {
      const body = parts(
        { name: 'title', content: 'R' },
        { name: 'copies', content: 'two' },
        { name: 'tags', content: 'c' },
        { name: 'meta', content: '{}', type: 'application/json' },
      );
      const at = 'paths./uploads.post.requestBody.content.multipart/form-data.schema';
      expect(check(files30, { method: 'POST', url: 'http://h/v3/uploads', headers: multipart, body })).to.deep.equal([
        `request body: must have required property 'file' (schema at ${at}.required)`,
        `request body /title: must NOT have fewer than 2 characters (schema at ${at}.properties.title.minLength)`,
        `request body /copies: must be integer (schema at ${at}.properties.copies.type)`,
        `request body /tags/0: must be equal to one of the allowed values ("a", "b") (schema at ${at}.properties.tags.items.enum)`,
        `request body /meta: must have required property 'owner' (schema at ${at}.properties.meta.required)`,
      ]);
    });

    it('says when a multipart body cannot be read as one', () => {
      expect(check(files30, { method: 'POST', url: 'http://h/v3/uploads', headers: multipart, body: 'title=x' })).to.deep.equal([
        'request body: not multipart/form-data (no --B line opens it) though sent as multipart/form-data',
      ]);
    });

    it('checks a binary body by its Content-Type only, and says so', () => {
      const put = (type: string) =>
        validated(files30, { method: 'PUT', url: 'http://h/v3/blobs/b1', headers: { 'Content-Type': type }, body: '\x00\x01binary' });
      expect(put('application/octet-stream')).to.deep.equal({
        violations: [],
        body: { _tag: 'ContentType', mediaType: 'application/octet-stream' },
      });
      expect(put('image/png')).to.deep.equal({
        violations: ['request Content-Type image/png: not a type the operation accepts (application/octet-stream)'],
        body: { _tag: 'ContentType', mediaType: 'image/png' },
      });
    });

    it('reads Swagger 2.0 `type: file` form fields as binary text in a multipart form', () => {
      const body = parts(
        { name: 'title', content: 'x' },
        { name: 'copies', content: '0' },
        { name: 'file', content: 'content', filename: 'a.txt' },
      );
      expect(check(files20, { method: 'POST', url: 'http://h/v2/uploads', headers: multipart, body })).to.deep.equal([
        'request body /copies: must be >= 1 (schema at paths./uploads.post.parameters.properties.copies.minimum)',
      ]);
    });
  });
});
