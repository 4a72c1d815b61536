import type * as E from 'fp-ts/lib/Either.js';
import type { Contract } from './contract.js';
import { loadContract } from './load-contract.js';
import type { OpenApiDocumentError } from './openapi-document-error.js';

/** Default `cache_ttl`: 30 minutes, as in Rocketship. */
export const DEFAULT_CACHE_TTL_MS = 30 * 60_000;

/** Loaded contracts, shared by the steps of a run. */
export interface ContractCache {
  /**
   * The contract of the document at `location` (a resolved path or URL) for `version` (part of
   * the key, as in Rocketship), loaded at most once per `ttlMs` on the clock `nowMs` is read
   * from. Steps that ask at once share one load; a document that failed to load fails again
   * until its entry expires.
   */
  get(location: string, version: string | undefined, ttlMs: number, nowMs: number): Promise<E.Either<OpenApiDocumentError, Contract>>;
}

/**
 * A cache of contracts over `load` (default {@link loadContract}).
 *
 * const cache = createContractCache();
 * await cache.get('/app/openapi.yaml', undefined, 1_800_000, Date.now());   // loads
 * await cache.get('/app/openapi.yaml', undefined, 1_800_000, Date.now());   // the same contract, not loaded again
 */
export function createContractCache(
  load: (location: string) => Promise<E.Either<OpenApiDocumentError, Contract>> = loadContract,
): ContractCache {
  const entries = new Map<string, { readonly at: number; readonly contract: Promise<E.Either<OpenApiDocumentError, Contract>> }>();
  return {
    get: (location, version, ttlMs, nowMs) => {
      const key = JSON.stringify([location, version ?? '']);
      const entry = entries.get(key);
      if (entry !== undefined && nowMs - entry.at < ttlMs) return entry.contract;
      const contract = load(location);
      entries.set(key, { at: nowMs, contract });
      return contract;
    },
  };
}
