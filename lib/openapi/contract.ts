import type { Json } from '../json.js';

/** The OpenAPI generation of a document: Swagger 2.0, OpenAPI 3.0.x or 3.1.x. */
export type OpenApiVersion = '2.0' | '3.0' | '3.1';

/**
 * An OpenAPI document made ready to validate against: its operations with their validators
 * compiled, and the base paths its `servers` (or Swagger's `basePath`) put before every path.
 * Made once per document by `compileContract` (see `loadContract`), then used by the pure
 * `matchOperation`, `validateRequest` and `validateResponse`.
 */
export interface Contract {
  /** The resolved file path or URL the document was read from. */
  readonly source: string;
  readonly version: OpenApiVersion;
  /** Path prefixes of the `servers` URLs (`/v1`), longest first; always ends with `''`. */
  readonly basePaths: readonly string[];
  readonly operations: readonly Operation[];
}

/** One method of one path of the document. */
export interface Operation {
  /** Upper-case: `GET`. */
  readonly method: string;
  /** As written in the document: `/jobs/{id}`. */
  readonly path: string;
  readonly operationId: string | undefined;
  /** Where it sits, for messages: `paths./jobs/{id}.get`. */
  readonly at: string;
  readonly parameters: readonly Parameter[];
  readonly requestBody: RequestBody | undefined;
  /** Keyed by the document's own keys: `200`, `2XX`, `default`. */
  readonly responses: Readonly<Record<string, ResponseSpec>>;
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** A path, query, header or cookie parameter, with its serialisation style. */
export interface Parameter {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
  /** `simple`, `form`, `label`, `matrix`, `spaceDelimited`, `pipeDelimited`, `deepObject`. */
  readonly style: string;
  readonly explode: boolean;
  readonly schema: SchemaCheck | undefined;
}

/** A request body: whether it must be sent, and its schema by media type. */
export interface RequestBody {
  readonly required: boolean;
  readonly content: readonly MediaType[];
}

/** A media type (`application/json`, `application/*`, `*\/*`) and the schema of bodies of it. */
export interface MediaType {
  readonly type: string;
  readonly schema: SchemaCheck | undefined;
}

/** A declared response. */
export interface ResponseSpec {
  /** Empty when the response declares no content (any body, any type). */
  readonly content: readonly MediaType[];
  readonly headers: readonly ResponseHeader[];
}

/** A declared response header. */
export interface ResponseHeader {
  readonly name: string;
  /** Swagger 2.0 headers never are (it has no `required` for them). */
  readonly required: boolean;
  /** What separates the items of a list value: `,` (OpenAPI's `simple` style, Swagger's `csv`), `|`, ` `, tab. */
  readonly delimiter: string;
  readonly schema: SchemaCheck | undefined;
}

/**
 * A compiled schema. `validate` lists every violation (ajv's `allErrors`); `schema` is the
 * (dereferenced, cycle-free at the top) schema object, read when strings are coerced to its types.
 */
export interface SchemaCheck {
  /** Where the schema sits in the document, dotted: `paths./jobs.get.responses.200.content.application/json.schema`. */
  readonly at: string;
  readonly schema: SchemaObject;
  readonly validate: (value: unknown) => readonly SchemaProblem[];
}

/** A JSON Schema object as found in the document (after `$ref`s are followed). */
export type SchemaObject = { readonly [k: string]: Json | undefined };

/** One violation of a schema: where in the data, what is wrong, and where in the schema. */
export interface SchemaProblem {
  /** JSON pointer into the data: `/items/0/id`, or `''` for the value itself. */
  readonly dataPath: string;
  readonly message: string;
  /** Dotted path in the document of the keyword that failed. */
  readonly schemaAt: string;
}

/**
 * What a body was held to: the schema of its media type (`Schema`: the body was read as that type
 * says and validated: JSON, url-encoded and multipart forms, text), its Content-Type only
 * (`ContentType`: a binary type such as `application/octet-stream` or `image/png`, or a media
 * type the document declares without a schema), or nothing (`None`: no body was sent and none is
 * required, or the document declares no content).
 */
export type BodyCoverage =
  | { readonly _tag: 'Schema'; readonly mediaType: string }
  | { readonly _tag: 'ContentType'; readonly mediaType: string }
  | { readonly _tag: 'None' };

/** What validating a request or a response found: every violation (one line each), and how its body was checked. */
export interface Validation {
  readonly violations: readonly string[];
  readonly body: BodyCoverage;
}
