import { defer, from, mergeMap, throwError, type Observable } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import type { HttpConfig, OpenApiConfig } from '../dsl/index.js';
import type { HttpRequest } from '../http/http-client.js';
import type { CheckSubject } from '../check/check-subject.js';
import { createContractCache, DEFAULT_CACHE_TTL_MS } from '../openapi/contract-cache.js';
import type { Operation } from '../openapi/contract.js';
import { locateDocument } from '../openapi/locate-document.js';
import { matchOperation } from '../openapi/match-operation.js';
import { validateRequest } from '../openapi/validate-request.js';
import { validateResponse } from '../openapi/validate-response.js';
import { renderString } from '../template/render-string.js';
import type { PluginContext } from '../step/plugin.js';
import { StepConfigError, StepFailedError } from '../step/step-error.js';

/** The contract an `http` step's responses are held to: its operation, and whether responses are validated. */
export interface StepContract {
  readonly operation: Operation;
  /** `POST /post (submitData)`, for messages. */
  readonly label: string;
  readonly validateResponse: boolean;
}

/** The contracts of the run's documents: loaded once per location + version and `cache_ttl`. */
const contracts = createContractCache();

/**
 * Forgets the contracts loaded so far, whatever their `cache_ttl`: the next step loads its
 * document again. For a process that runs suites again after their files changed (`--watch`).
 */
export function forgetContracts(): void {
  contracts.clear();
}

/**
 * The step's OpenAPI contract, checked against the request before anything is sent: the
 * suite's `openapi` with the step's `config.openapi` over it, key by key. Emits `undefined`
 * when the step has no contract (or both sides are off); errors with `StepConfigError` when the
 * document cannot be had (not found, broken), and with a `ContractViolation` failure when the
 * request matches no operation, matches another `operation_id`, or breaks the contract.
 */
export function stepContract(config: HttpConfig, request: HttpRequest, context: PluginContext): Observable<StepContract | undefined> {
  return defer(() => {
    if (config.openapi === undefined && context.openapi === undefined) return from([undefined]);
    const settings: OpenApiConfig = { ...context.openapi, ...config.openapi };
    const checkRequest = settings.validate_request ?? true;
    const checkResponse = settings.validate_response ?? true;
    if (!checkRequest && !checkResponse && settings.operation_id === undefined) return from([undefined]);
    if (settings.spec === undefined) {
      return throwError(() => new StepConfigError("config.openapi: no spec: give openapi.spec in the step's config or in the suite"));
    }
    const spec = renderString(settings.spec, context.variables);
    if (E.isLeft(spec)) return throwError(() => new StepConfigError(`openapi.spec: ${spec.left.message}`));
    const location = locateDocument(spec.right, { suiteDir: context.suiteDir });
    if (E.isLeft(location)) return throwError(() => new StepConfigError(location.left.message));
    const ttl = settings.cache_ttl ?? DEFAULT_CACHE_TTL_MS;
    return from(contracts.get(location.right, settings.version, ttl, context.wallClock())).pipe(
      mergeMap((loaded) => {
        if (E.isLeft(loaded)) return throwError(() => new StepConfigError(loaded.left.message));
        const violation = (violations: readonly string[], operation: string | undefined) =>
          throwError(
            () =>
              new StepFailedError(
                { _tag: 'ContractViolation', side: 'request', operation, violations, attempt: undefined },
                { attempts: 0 },
              ),
          );
        const match = matchOperation(loaded.right, request.method, request.url);
        if (match._tag === 'NoMatch') return violation([match.message], undefined);
        const op = match.operation;
        const label = `${op.method} ${op.path}${op.operationId === undefined ? '' : ` (${op.operationId})`}`;
        if (settings.operation_id !== undefined && settings.operation_id !== op.operationId) {
          return violation(
            [`OpenAPI operation_id mismatch: expected ${settings.operation_id} but matched ${op.operationId ?? `${op.method} ${op.path}`}`],
            label,
          );
        }
        if (checkRequest) {
          const violations = validateRequest(op, match.pathParams, request);
          if (violations.length > 0) return violation(violations, label);
        }
        return from([{ operation: op, label, validateResponse: checkResponse }]);
      }),
    );
  });
}

/** A response's violations of the step's contract; empty without one, or with `validate_response: false`. */
export function responseViolations(contract: StepContract | undefined, response: CheckSubject): string[] {
  return contract === undefined || !contract.validateResponse ? [] : validateResponse(contract.operation, response);
}
