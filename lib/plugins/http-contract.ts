import { defer, from, mergeMap, throwError, type Observable } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import type { HttpConfig, OpenApiConfig } from '../dsl/index.js';
import type { HttpRequest } from '../http/http-client.js';
import type { CheckSubject } from '../check/check-subject.js';
import { DEFAULT_CACHE_TTL_MS, type ContractCache } from '../openapi/contract-cache.js';
import type { Operation } from '../openapi/contract.js';
import { locateDocument } from '../openapi/locate-document.js';
import { matchOperation } from '../openapi/match-operation.js';
import { validateRequest } from '../openapi/validate-request.js';
import { validateResponse } from '../openapi/validate-response.js';
import { renderString } from '../template/render-string.js';
import type { AttemptContract, ContractCheck } from '../step/contract-check.js';
import type { PluginContext } from '../step/plugin.js';
import { StepConfigError, StepFailedError } from '../step/step-error.js';

/** What a step with `openapi` settings but no `spec`, in its config or in the suite, is told. */
export const NO_SPEC = "config.openapi: no spec: give openapi.spec in the step's config or in the suite";

/** The contract an `http` step's responses are held to: its operation, how its request fared, and whether responses are validated. */
export interface StepContract {
  readonly operation: Operation;
  /** `POST /post (submitData)`, for messages. */
  readonly label: string;
  /** The request's check: `Passed` (a request that broke the contract is not sent), or `Skipped` with `validate_request: false`. */
  readonly request: ContractCheck;
  readonly validateResponse: boolean;
}

/**
 * An `http` step's OpenAPI settings: the suite's `openapi` with the step's `config.openapi` over
 * it, key by key; `undefined` when the step has no contract (neither gives one, or both sides
 * are off and no `operation_id` is asked for).
 *
 * contractSettings({ spec: './api.yaml' }, { validate_response: false })   // { spec: './api.yaml', validate_response: false }
 * contractSettings(undefined, undefined)                                   // undefined
 */
export function contractSettings(suite: OpenApiConfig | undefined, step: OpenApiConfig | undefined): OpenApiConfig | undefined {
  if (suite === undefined && step === undefined) return undefined;
  const settings: OpenApiConfig = { ...suite, ...step };
  const off = settings.validate_request === false && settings.validate_response === false;
  return off && settings.operation_id === undefined ? undefined : settings;
}

/**
 * The step's OpenAPI contract, checked against the request before anything is sent: the
 * suite's `openapi` with the step's `config.openapi` over it, key by key. Emits `undefined`
 * when the step has no contract (or both sides are off); errors with `StepConfigError` when the
 * document cannot be had (not found, broken), and with a `ContractViolation` failure when the
 * request matches no operation, matches another `operation_id`, or breaks the contract.
 */
export function stepContract(
  config: HttpConfig,
  request: HttpRequest,
  context: PluginContext,
  contracts: ContractCache,
): Observable<StepContract | undefined> {
  return defer(() => {
    const settings = contractSettings(context.openapi, config.openapi);
    if (settings === undefined) return from([undefined]);
    const checkRequest = settings.validate_request ?? true;
    const checkResponse = settings.validate_response ?? true;
    if (settings.spec === undefined) {
      return throwError(() => new StepConfigError(NO_SPEC));
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
