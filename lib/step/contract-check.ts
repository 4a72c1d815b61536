/**
 * What a body was held to: the schema of its media type (`Schema`: read as that type says, then
 * validated: JSON, url-encoded and multipart forms, text), its Content-Type only (`ContentType`:
 * a binary type such as `application/octet-stream` or `image/png`, or a media type declared
 * without a schema), or nothing (`None`: no body, none required, or no content declared).
 */
export type BodyCheck =
  | { readonly _tag: 'Schema'; readonly mediaType: string }
  | { readonly _tag: 'ContentType'; readonly mediaType: string }
  | { readonly _tag: 'None' };

/**
 * One side (the request, or the response) of an attempt held to the step's OpenAPI contract:
 * it kept it (`Passed`), broke it (`Failed`, every violation one line each, as the failure's
 * message lists them), or was not checked (`Skipped`: `validate_response: false`, or no response
 * came).
 *
 * { _tag: 'Failed', violations: ['response body /id: must be string (schema at components.schemas.Job.properties.id.type)'],
 *   body: { _tag: 'Schema', mediaType: 'application/json' } }
 */
export type ContractCheck =
  | { readonly _tag: 'Passed'; readonly body: BodyCheck }
  | { readonly _tag: 'Failed'; readonly violations: readonly string[]; readonly body: BodyCheck }
  | { readonly _tag: 'Skipped'; readonly reason: string };

/**
 * An attempt's OpenAPI contract validation: the operation its request matched
 * (`GET /jobs/{id} (getJob)`), and how each side fared. A request that breaks the contract is
 * never sent, so an attempt's `request` is `Passed` or `Skipped`; the step's
 * `ContractViolation` failure says what broke.
 */
export interface AttemptContract {
  readonly operation: string;
  readonly request: ContractCheck;
  readonly response: ContractCheck;
}
