import { fileURLToPath } from 'node:url';
import type { Contract, Operation } from '../../lib/openapi/contract.js';
import { loadContract } from '../../lib/openapi/load-contract.js';

/** The folder of the OpenAPI documents the specs use. */
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A fixture document's contract; throws (failing the spec) when it does not load. */
export async function fixtureContract(name: string): Promise<Contract> {
  const r = await loadContract(`${FIXTURES}${name}`);
  if (r._tag === 'Left') throw r.left;
  return r.right;
}

/** The operation of a contract with this id. */
export function operation(contract: Contract, id: string): Operation {
  const op = contract.operations.find((o) => o.operationId === id);
  if (op === undefined) throw new Error(`no operation ${id}`);
  return op;
}
