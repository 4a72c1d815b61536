import { expect } from 'chai';
import type { Contract } from '../../lib/openapi/contract.js';
import { matchOperation } from '../../lib/openapi/match-operation.js';
import { validateRequest, type ContractRequest } from '../../lib/openapi/validate-request.js';
import { fixtureContract } from './contract-fixtures.js';

describe('validateRequest', function () {
  this.timeout(20_000);
  let v30: Contract;
  let v31: Contract;
  let v20: Contract;
  before(async () => {
    [v30, v31, v20] = await Promise.all([
      fixtureContract('jobs-3.0.yaml'),
      fixtureContract('jobs-3.1.yaml'),
      fixtureContract('petstore-2.0.yaml'),
    ]);
  });

  const check = (c: Contract, request: ContractRequest): string[] => {
    const m = matchOperation(c, request.method, request.url);
    if (m._tag === 'NoMatch') throw new Error(m.message);
    return validateRequest(m.operation, m.pathParams, request);
  };
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
});
