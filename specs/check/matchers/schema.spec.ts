import { expect } from 'chai';
import { compileSchema } from '../../../lib/check/matchers/schema.js';
import { judge, rejects } from './judge.js';

describe('check/matchers/schema', () => {
  const job = { type: 'object', required: ['id', 'status'], properties: { id: { type: 'string' }, status: { enum: ['running', 'done'] } } };

  it('holds when the value satisfies the schema', () => {
    expect(judge(compileSchema, job, { id: 'j-1', status: 'done' })).to.deep.equal({ pass: true, actual: { id: 'j-1', status: 'done' } });
  });

  it('lists every violation', () => {
    const v = judge(compileSchema, job, { id: 7 });
    expect(v.pass).to.equal(false);
    expect(v.reason).to.equal("must have required property 'status'; /id must be string");
  });

  it('supports draft 2020-12 when $schema says so', () => {
    const tuple = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'number' }],
      items: false,
    };
    expect(judge(compileSchema, tuple, [1]).pass).to.equal(true);
    expect(judge(compileSchema, tuple, [1, 2]).pass).to.equal(false);
  });

  it('ignores format (no format plugin) instead of failing', () => {
    expect(judge(compileSchema, { type: 'string', format: 'email' }, 'not an email').pass).to.equal(true);
  });

  it('compiles the same $id twice (each check owns its schema)', () => {
    const s = { $id: 'https://example.test/job', type: 'object' };
    expect(judge(compileSchema, s, {}).pass).to.equal(true);
    expect(judge(compileSchema, s, []).pass).to.equal(false);
  });

  it('rejects invalid schemas and unknown keywords', () => {
    expect(rejects(compileSchema, { type: 'strin' })).to.match(/^schema: invalid JSON Schema: /);
    expect(rejects(compileSchema, { type: 'object', requird: ['a'] })).to.match(/unknown keyword: "requird"/);
    expect(rejects(compileSchema, [1])).to.equal('schema must be a JSON Schema object, got [1]');
    expect(rejects(compileSchema, { $ref: 'https://example.test/remote.json' })).to.match(/^schema: invalid JSON Schema: /);
  });
});
