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
import type { AttemptContract, ContractCheck } from '../step/contract-check.js';
import type { PluginContext } from '../step/plugin.js';
import { StepConfigError, StepFailedError } from '../step/step-error.js';

/** The contract an `http` step's responses are held to: its operation, how its request fared, and whether responses are validated. */
export interface StepContract {
  readonly operation: Operation;
  /** `POST /post (submitData)`, for messages. */
  readonly label: string;
  /** The request's check: `Passed` (a request that broke the contract is not sent), or `Skipped` with `validate_request: false`. */
  readonly request: ContractCheck;
  readonly validateResponse: boolean;
}

/** The contracts of the run's documents: loaded once per location + version and `cache_ttl`. */
const contracts = createContractCache();

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
        let requestCheck: ContractCheck = { _tag: 'Skipped', reason: 'validate_request: false' };
        if (checkRequest) {
          const checked = validateRequest(op, match.pathParams, request);
          if (checked.violations.length > 0) return violation(checked.violations, label);
          requestCheck = { _tag: 'Passed', body: checked.body };
        }
        return from([{ operation: op, label, request: requestCheck, validateResponse: checkResponse }]);
      }),
    );
  });
}

/** A response held to the step's contract: `Skipped` with `validate_response: false`. */
export function checkResponse(contract: StepContract, response: CheckSubject): ContractCheck {
  if (!contract.validateResponse) return { _tag: 'Skipped', reason: 'validate_response: false' };
  const checked = validateResponse(contract.operation, response);
  return checked.violations.length > 0
    ? { _tag: 'Failed', violations: checked.violations, body: checked.body }
    : { _tag: 'Passed', body: checked.body };
}

/** What an attempt record says of the contract: `undefined` without one; the response `Skipped` when none came. */
export function attemptContract(contract: StepContract | undefined, response: ContractCheck | undefined): AttemptContract | undefined {
  if (contract === undefined) return undefined;
  return { operation: contract.label, request: contract.request, response: response ?? { _tag: 'Skipped', reason: 'no response' } };
}
