import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import type { Contract } from '../../lib/openapi/contract.js';
import { createContractCache } from '../../lib/openapi/contract-cache.js';

describe('createContractCache', () => {
  const loads: string[] = [];
  const load = async (location: string) => {
    loads.push(location);
    return E.right({ source: location, version: '3.0', basePaths: [''], operations: [] } satisfies Contract);
  };
  beforeEach(() => (loads.length = 0));

  it('loads a document once per location and version within the ttl', async () => {
    const cache = createContractCache(load);
    await Promise.all([cache.get('/a.yaml', undefined, 1000, 0), cache.get('/a.yaml', undefined, 1000, 999)]);
    await cache.get('/a.yaml', 'v2', 1000, 10);
    expect(loads).to.deep.equal(['/a.yaml', '/a.yaml']);
  });

  it('loads it again once the ttl has passed', async () => {
    const cache = createContractCache(load);
    await cache.get('/a.yaml', undefined, 1000, 0);
    await cache.get('/a.yaml', undefined, 1000, 1000);
    expect(loads).to.have.length(2);
  });
});
