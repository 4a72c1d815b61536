import { expect } from 'chai';
import type { Contract } from '../../lib/openapi/contract.js';
import { matchOperation } from '../../lib/openapi/match-operation.js';
import { fixtureContract } from './contract-fixtures.js';

describe('matchOperation', function () {
  this.timeout(20_000);
  let c: Contract;
  before(async () => {
    c = await fixtureContract('jobs-3.0.yaml');
  });

  const id = (method: string, url: string) => {
    const m = matchOperation(c, method, url);
    return m._tag === 'Matched' ? m.operation.operationId : m.message;
  };

  it("strips the servers' path, whatever the host", () => {
    expect(id('GET', 'http://127.0.0.1:9000/v1/jobs?limit=2')).to.equal('listJobs');
    expect(id('post', 'https://staging.example.org/v1/jobs')).to.equal('createJob');
  });

  it('also matches a path given without the base path', () => {
    expect(id('GET', 'http://127.0.0.1:9000/jobs')).to.equal('listJobs');
  });

  it('prefers a literal segment to a template, whatever the order in the document', () => {
    expect(id('GET', 'http://h/v1/jobs/latest')).to.equal('latestJob');
    const m = matchOperation(c, 'GET', 'http://h/v1/jobs/42');
    expect(m._tag === 'Matched' && m.operation.operationId).to.equal('getJob');
    expect(m._tag === 'Matched' && m.pathParams).to.deep.equal({ id: '42' });
  });

  it('says when the path has no such method', () => {
    expect(id('DELETE', 'http://h/v1/jobs')).to.equal('/jobs has no DELETE operation in the document (it has GET, POST)');
  });

  it('lists the closest paths when nothing matches', () => {
    expect(id('GET', 'http://h/v1/jobz')).to.equal(
      'no path of the document matches GET /v1/jobz (closest: /jobs, /jobs/{id}, /jobs/latest)',
    );
  });
});
