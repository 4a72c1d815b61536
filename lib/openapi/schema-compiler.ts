import type { Json } from '../json.js';
import type { SchemaCheck, SchemaObject, SchemaProblem } from './contract.js';
import { dotted, isJsonMap, pointerTokens } from './document-path.js';

/** The part of an ajv instance we use (ajv is loaded only when a suite uses `openapi`). */
export interface AjvLike {
  addSchema(schema: object, key: string): unknown;
  compile(schema: object): AjvValidate;
}

/** An ajv validate function. */
export interface AjvValidate {
  (data: unknown): boolean;
  errors?: readonly AjvError[] | null | undefined;
}

interface AjvError {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly message?: string | undefined;
  readonly params?: Readonly<Record<string, unknown>> | undefined;
  readonly keyword: string;
  /** The schema holding the keyword (ajv's `verbose` option). */
  readonly parentSchema?: object | undefined;
}

/** Compiles the schemas of one document. */
export interface SchemaCompiler {
  /** The schema at a JSON pointer of the document (`/paths/~1jobs/get/...`). */
  atPointer(pointer: string): SchemaCheck;
  /** A schema written by us (Swagger 2.0's parameters), reported as sitting at `at`. */
  inline(schema: SchemaObject, at: string): SchemaCheck;
}

/**
 * A schema of the document that ajv cannot compile (`"nullable" cannot be used without "type"`),
 * with the JSON pointer of the schema that holds the fault (`/paths/~1jobs/get/responses/200/...`).
 */
export class SchemaCompileError extends Error {
  override readonly name = 'SchemaCompileError';
  constructor(
    readonly pointer: string,
    readonly reason: string,
  ) {
    super(`${pointer}: ${reason}`);
  }
}

/** The key the whole document is registered under in ajv, so a `$ref` left in a cycle resolves. */
const DOC_KEY = 'openapi-document';

/**
 * A compiler of the schemas of one dereferenced document (`$ref`s left only where they close a
 * cycle). The document is registered whole in `ajv`, and each schema is compiled through a
 * `$ref` to its place, so an error's schema path runs from that place (`.properties.items.type`)
 * and a cycle's `$ref` (`#/components/schemas/Node`) resolves against the document.
 */
export function createSchemaCompiler(ajv: AjvLike, document: Json): SchemaCompiler {
  ajv.addSchema(document as object, DOC_KEY);
  let places: Map<object, string> | undefined;
  const fromAjv = (validate: AjvValidate, at: string, schema: SchemaObject): SchemaCheck => ({
    at,
    schema,
    validate: (value) => {
      if (validate(value)) return [];
      places ??= placesOf(document);
      return (validate.errors ?? []).map((e) => problem(e, at, places as Map<object, string>));
    },
  });
  return {
    atPointer: (pointer) => {
      const schema = schemaAt(document, pointer);
      const at = dotted(pointer);
      let validate: AjvValidate;
      try {
        validate = ajv.compile({ $ref: `${DOC_KEY}#${encodeURI(pointer)}` });
      } catch (e) {
        throw new SchemaCompileError(pointer, e instanceof Error ? e.message : String(e));
      }
      return fromAjv(validate, at, schema);
    },
    inline: (schema, at) => fromAjv(ajv.compile(schema), at, schema),
  };
}

function problem(e: AjvError, at: string, places: Map<object, string>): SchemaProblem {
  const path = e.schemaPath.replace(/^.*#/, '');
  // Where the keyword is written: its schema's place in the document, else (a schema we wrote) `at` and ajv's path.
  const place = e.parentSchema === undefined ? undefined : places.get(e.parentSchema);
  const extra =
    e.keyword === 'additionalProperties' && typeof e.params?.['additionalProperty'] === 'string'
      ? ` (${e.params['additionalProperty']})`
      : e.keyword === 'enum' && Array.isArray(e.params?.['allowedValues'])
        ? ` (${(e.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`
        : '';
  const schemaAt = place === undefined ? [at, ...pointerTokens(path)].join('.') : `${place}.${e.keyword}`;
  return { dataPath: e.instancePath, message: `${e.message ?? e.keyword}${extra}`, schemaAt };
}

/**
 * The place of every object of the document, dotted (`components.schemas.Job`). An object met
 * at several places (a dereferenced `$ref`) is named by the first: `components` is walked
 * before `paths`, so a shared schema is named where it is defined.
 */
function placesOf(document: Json): Map<object, string> {
  const places = new Map<object, string>();
  if (!isJsonMap(document)) return places;
  const keys = Object.keys(document).sort((a, b) =>
    a === 'components' || a === 'definitions' ? -1 : b === 'components' || b === 'definitions' ? 1 : 0,
  );
  const stack: [Json, string][] = keys.map((k) => [document[k] as Json, k]).reverse() as [Json, string][];
  while (stack.length > 0) {
    const [node, place] = stack.pop() as [Json, string];
    if (node === null || typeof node !== 'object' || places.has(node)) continue;
    places.set(node, place);
    const entries: [string, Json][] = Array.isArray(node) ? node.map((v, i) => [String(i), v]) : Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, v] = entries[i] as [string, Json];
      stack.push([v, `${place}.${k}`]);
    }
  }
  return places;
}

/** The value at a JSON pointer of a document, following `$ref`s met on the way. */
export function schemaAt(document: Json, pointer: string): SchemaObject {
  let node: Json | undefined = document;
  for (const token of pointerTokens(pointer)) {
    node = follow(document, node);
    node = child(node, token);
  }
  node = follow(document, node);
  return isJsonMap(node) ? node : {};
}

/** Follows an internal `$ref` (a few hops at most: a chain of refs ends, cycles are cut). */
export function follow(document: Json, node: Json | undefined): Json | undefined {
  for (let hops = 0; hops < 16; hops++) {
    if (!isJsonMap(node)) return node;
    const ref = node['$ref'];
    if (typeof ref !== 'string' || !ref.startsWith('#')) return node;
    let target: Json | undefined = document;
    for (const token of pointerTokens(decodeURI(ref.slice(1)))) {
      target = child(target, token);
    }
    node = target;
  }
  return node;
}

function child(node: Json | undefined, token: string): Json | undefined {
  if (Array.isArray(node)) return /^\d+$/.test(token) ? (node as readonly Json[])[Number(token)] : undefined;
  return isJsonMap(node) ? node[token] : undefined;
}
