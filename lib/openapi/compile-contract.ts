import type { Json } from '../json.js';
import type {
  Contract,
  MediaType,
  OpenApiVersion,
  Operation,
  Parameter,
  ParameterLocation,
  RequestBody,
  ResponseSpec,
  SchemaObject,
} from './contract.js';
import { isJsonMap, toPointer } from './document-path.js';
import { follow, type SchemaCompiler } from './schema-compiler.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Keys of a Swagger 2.0 non-body parameter that are JSON Schema keywords. */
const SWAGGER_SCHEMA_KEYS = [
  'type',
  'format',
  'items',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'enum',
  'multipleOf',
] as const;

type JsonMap = { readonly [k: string]: Json };

/** What separates the items of a Swagger 2.0 list by its `collectionFormat` (`csv` by default; `multi` is not for headers). */
const COLLECTION_DELIMITERS: Readonly<Record<string, string>> = { csv: ',', ssv: ' ', tsv: '\t', pipes: '|' };

/**
 * Turns a valid, dereferenced OpenAPI document (3.0, 3.1 or Swagger 2.0) into a {@link Contract}:
 * every operation with its parameters (path-level ones merged in, the operation's winning),
 * request body and responses, their schemas compiled once by `compiler`. Swagger 2.0 is read into
 * the same shape: `body` parameters become the request body of each `consumes` type, `formData`
 * ones an object schema, `produces` the response types, `basePath` the base path.
 */
export function compileContract(document: Json, source: string, compiler: SchemaCompiler): Contract {
  const doc = asMap(document);
  const version: OpenApiVersion = typeof doc['swagger'] === 'string' ? '2.0' : String(doc['openapi']).startsWith('3.1') ? '3.1' : '3.0';
  const operations: Operation[] = [];
  const paths = asMap(doc['paths']);
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = asMap(follow(document, rawItem));
    for (const method of METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      const base = ['paths', path, method];
      operations.push(
        version === '2.0'
          ? swaggerOperation(document, doc, item, asMap(op), base, compiler)
          : openApiOperation(document, item, asMap(op), base, compiler),
      );
    }
  }
  return { source, version, basePaths: basePaths(doc, version), operations };
}

function openApiOperation(document: Json, item: JsonMap, op: JsonMap, base: string[], compiler: SchemaCompiler): Operation {
  const parameters = mergedParameters(document, item, op, base).map(({ param, tokens }): Parameter => {
    const where = String(param['in']) as ParameterLocation;
    const style = typeof param['style'] === 'string' ? param['style'] : where === 'query' || where === 'cookie' ? 'form' : 'simple';
    return {
      name: String(param['name']),
      in: where,
      required: param['required'] === true,
      style,
      explode: typeof param['explode'] === 'boolean' ? param['explode'] : style === 'form',
      schema: param['schema'] === undefined ? undefined : compiler.atPointer(toPointer([...tokens, 'schema'])),
    };
  });
  const body = op['requestBody'] === undefined ? undefined : asMap(follow(document, op['requestBody']));
  const requestBody: RequestBody | undefined =
    body === undefined
      ? undefined
      : { required: body['required'] === true, content: mediaTypes(body['content'], [...base, 'requestBody', 'content'], compiler) };
  const responses: Record<string, ResponseSpec> = {};
  for (const [status, raw] of Object.entries(asMap(op['responses']))) {
    const r = asMap(follow(document, raw));
    const at = [...base, 'responses', status];
    responses[status.toUpperCase()] = {
      content: mediaTypes(r['content'], [...at, 'content'], compiler),
      headers: Object.entries(asMap(r['headers']))
        .filter(([name]) => name.toLowerCase() !== 'content-type')
        .map(([name, h]) => {
          const header = asMap(follow(document, h));
          return {
            name,
            required: header['required'] === true,
            // `style: simple`, the only style of a header: a list is comma-separated.
            delimiter: ',',
            schema: header['schema'] === undefined ? undefined : compiler.atPointer(toPointer([...at, 'headers', name, 'schema'])),
          };
        }),
    };
  }
  return {
    method: base[2]!.toUpperCase(),
    path: base[1]!,
    operationId: typeof op['operationId'] === 'string' ? op['operationId'] : undefined,
    at: base.join('.'),
    parameters,
    requestBody,
    responses,
  };
}

function mediaTypes(content: Json | undefined, at: readonly string[], compiler: SchemaCompiler): MediaType[] {
  return Object.entries(asMap(content)).map(([type, media]) => ({
    type: type.toLowerCase(),
    schema: asMap(media)['schema'] === undefined ? undefined : compiler.atPointer(toPointer([...at, type, 'schema'])),
  }));
}

/** Path-level then operation-level parameters, an operation's one replacing a path's of the same name and place. */
function mergedParameters(document: Json, item: JsonMap, op: JsonMap, base: readonly string[]): { param: JsonMap; tokens: string[] }[] {
  const list = (raw: Json | undefined, tokens: string[]) =>
    (Array.isArray(raw) ? raw : []).map((p, i) => ({ param: asMap(follow(document, p)), tokens: [...tokens, 'parameters', String(i)] }));
  const own = list(op['parameters'], [...base]);
  const key = (p: JsonMap) => `${String(p['in'])}:${String(p['name'])}`;
  const owned = new Set(own.map((p) => key(p.param)));
  return [...list(item['parameters'], base.slice(0, 2)).filter((p) => !owned.has(key(p.param))), ...own];
}

function swaggerOperation(document: Json, doc: JsonMap, item: JsonMap, op: JsonMap, base: string[], compiler: SchemaCompiler): Operation {
  const all = mergedParameters(document, item, op, base);
  const consumes = stringList(op['consumes'] ?? doc['consumes'], ['application/json']);
  const produces = stringList(op['produces'] ?? doc['produces'], []);
  const at = base.join('.');
  const pick = (p: JsonMap): SchemaObject => {
    const out: Record<string, Json> = {};
    for (const k of SWAGGER_SCHEMA_KEYS) if (p[k] !== undefined) out[k] = p[k] as Json;
    // A `file` form field is not a JSON Schema type: its content is read as text.
    if (out['type'] === 'file') return { ...out, type: 'string', format: 'binary' };
    return out;
  };
  const parameters: Parameter[] = all
    .filter(({ param }) => param['in'] !== 'body' && param['in'] !== 'formData')
    .map(({ param, tokens }) => {
      const format = typeof param['collectionFormat'] === 'string' ? param['collectionFormat'] : 'csv';
      const where = String(param['in']) as ParameterLocation;
      return {
        name: String(param['name']),
        in: where,
        required: param['required'] === true,
        style: format === 'ssv' ? 'spaceDelimited' : format === 'pipes' ? 'pipeDelimited' : where === 'query' ? 'form' : 'simple',
        explode: format === 'multi',
        schema: compiler.inline(pick(param), tokens.join('.')),
      };
    });
  const bodyParam = all.find(({ param }) => param['in'] === 'body');
  const formParams = all.filter(({ param }) => param['in'] === 'formData');
  let requestBody: RequestBody | undefined;
  if (bodyParam !== undefined) {
    const schema = compiler.atPointer(toPointer([...bodyParam.tokens, 'schema']));
    requestBody = { required: bodyParam.param['required'] === true, content: consumes.map((type) => ({ type, schema })) };
  } else if (formParams.length > 0) {
    const properties: Record<string, Json> = {};
    for (const { param } of formParams) properties[String(param['name'])] = pick(param) as Json;
    const required = formParams.filter(({ param }) => param['required'] === true).map(({ param }) => String(param['name']));
    const schema = compiler.inline({ type: 'object', properties, ...(required.length > 0 ? { required } : {}) }, `${at}.parameters`);
    const types = consumes.filter((t) => t.includes('form'));
    requestBody = {
      required: required.length > 0,
      content: (types.length > 0 ? types : ['application/x-www-form-urlencoded']).map((type) => ({ type, schema })),
    };
  }
  const responses: Record<string, ResponseSpec> = {};
  for (const [status, raw] of Object.entries(asMap(op['responses']))) {
    const r = asMap(follow(document, raw));
    const tokens = [...base, 'responses', status];
    const schema = r['schema'] === undefined ? undefined : compiler.atPointer(toPointer([...tokens, 'schema']));
    responses[status.toUpperCase()] = {
      // Without `produces` any type is accepted; the body is then checked when it is JSON.
      content: schema === undefined ? [] : (produces.length > 0 ? produces : ['*/*']).map((type) => ({ type, schema })),
      // Swagger 2.0 has no `required` for response headers: a declared header is checked when sent, never required.
      headers: Object.entries(asMap(r['headers'])).map(([name, h]) => ({
        name,
        required: false,
        delimiter: COLLECTION_DELIMITERS[String(asMap(h)['collectionFormat'])] ?? ',',
        schema: compiler.inline(pick(asMap(h)), [...tokens, 'headers', name].join('.')),
      })),
    };
  }
  return {
    method: base[2]!.toUpperCase(),
    path: base[1]!,
    operationId: typeof op['operationId'] === 'string' ? op['operationId'] : undefined,
    at,
    parameters,
    requestBody,
    responses,
  };
}

/** The path parts of the `servers` URLs (`https://api.test/v1` -> `/v1`; templated ones by their defaults), longest first, then `''`. */
function basePaths(doc: JsonMap, version: OpenApiVersion): string[] {
  const paths = new Set<string>();
  if (version === '2.0') {
    if (typeof doc['basePath'] === 'string') paths.add(doc['basePath'].replace(/\/+$/, ''));
  } else {
    for (const server of Array.isArray(doc['servers']) ? doc['servers'] : []) {
      const s = asMap(server);
      if (typeof s['url'] !== 'string') continue;
      const url = s['url'].replace(/\{([^}]+)\}/g, (_, name: string) => {
        const d = asMap(asMap(s['variables'])[name])['default'];
        return typeof d === 'string' ? d : '';
      });
      let path: string;
      try {
        path = new URL(url, 'http://any.host').pathname;
      } catch {
        continue;
      }
      paths.add(decodeURI(path).replace(/\/+$/, ''));
    }
  }
  paths.add('');
  return [...paths].sort((a, b) => b.length - a.length);
}

/**
 * Swagger 2.0's `type: file` (a response that is a file download) is not a JSON Schema type, and
 * ajv refuses to compile it: such a response schema becomes `{ type: string, format: binary }`,
 * whose bodies are checked by their Content-Type only (see `validateResponse`). The document is
 * changed in place: it is the dereferenced copy `loadContract` made, and owns its objects.
 */
export function readSwaggerFiles(document: Json): void {
  const doc = asMap(document);
  if (typeof doc['swagger'] !== 'string') return;
  for (const item of Object.values(asMap(doc['paths']))) {
    for (const method of METHODS) {
      for (const response of Object.values(asMap(asMap(asMap(item)[method])['responses']))) {
        const schema = asMap(response)['schema'];
        if (isJsonMap(schema) && schema['type'] === 'file') Object.assign(schema, { type: 'string', format: 'binary' });
      }
    }
  }
}

function stringList(value: Json | undefined, fallback: string[]): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase()) : fallback;
}

function asMap(value: Json | undefined): JsonMap {
  return isJsonMap(value) ? value : {};
}
