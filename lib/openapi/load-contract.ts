import * as E from 'fp-ts/lib/Either.js';
import { readFileSync } from 'node:fs';
import type { Json } from '../json.js';
import type { Contract } from './contract.js';
import { compileContract, readSwaggerFiles } from './compile-contract.js';
import { OpenApiDocumentError } from './openapi-document-error.js';
import { isJsonMap } from './document-path.js';
import { locatePointer } from './locate-pointer.js';
import { createSchemaCompiler, SchemaCompileError, type AjvLike } from './schema-compiler.js';

/**
 * Reads an OpenAPI document (a file path or an http(s) URL; YAML or JSON; `$ref`s to other files
 * and URLs followed), checks it against the OpenAPI schema of its version, and compiles its
 * validators: a {@link Contract}, or an {@link OpenApiDocumentError} naming the document and
 * the JSON pointer of the first fault.
 *
 * The libraries are loaded here, on first use, so a suite without `openapi` never loads them:
 * `@apidevtools/swagger-parser` (parse, bundle, dereference, validate Swagger 2.0, OpenAPI 3.0
 * and 3.1 documents) and ajv (`ajv/dist/2020` for 3.1's JSON Schema 2020-12, `ajv-draft-04` for
 * the draft-04 schemas of 3.0 and 2.0, with OpenAPI's `nullable`), with `ajv-formats`.
 *
 * await loadContract('/app/openapi.yaml')   // right(Contract)
 * await loadContract('/app/broken.yaml')    // left(OpenApiDocumentError: ... #/paths/~1a/get/responses: ...)
 */
export async function loadContract(location: string): Promise<E.Either<OpenApiDocumentError, Contract>> {
  const [{ default: SwaggerParser }, formats] = await Promise.all([import('@apidevtools/swagger-parser'), import('ajv-formats')]);
  let bundled: Json;
  try {
    // The suite names its document, often on a local or staging host: internal URLs are allowed.
    bundled = (await SwaggerParser.bundle(location, { resolve: { http: { safeUrlResolver: false } } } as never)) as unknown as Json;
    await SwaggerParser.validate(structuredClone(bundled) as never);
  } catch (e) {
    return E.left(documentError(location, e));
  }
  let dereferenced: Json;
  try {
    dereferenced = (await SwaggerParser.dereference(structuredClone(bundled) as never, {
      dereference: { circular: 'ignore' },
    })) as unknown as Json;
  } catch (e) {
    return E.left(documentError(location, e));
  }
  readSwaggerFiles(dereferenced);
  const is31 = isJsonMap(dereferenced) && String(dereferenced['openapi']).startsWith('3.1');
  // `verbose` gives each error its schema object, which `createSchemaCompiler` finds in the document.
  const options = { allErrors: true, strict: false, validateSchema: false, verbose: true };
  let ajv: AjvLike;
  if (is31) {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    ajv = new Ajv2020(options);
  } else {
    // A CommonJS module: its class is both `module.exports` and `.default`.
    const { default: draft04 } = await import('ajv-draft-04');
    ajv = new draft04.default(options);
  }
  formats.default.default(ajv as never);
  try {
    return E.right(compileContract(dereferenced, location, createSchemaCompiler(ajv, dereferenced)));
  } catch (e) {
    const reason = e instanceof SchemaCompileError ? e.reason : e instanceof Error ? e.message : String(e);
    const pointer = e instanceof SchemaCompileError ? `#${e.pointer}` : undefined;
    return E.left(located(new OpenApiDocumentError({ source: location, pointer, problems: [`a schema cannot be compiled: ${reason}`] })));
  }
}

/** What swagger-parser threw, as an error naming the document, the fault's JSON pointer and (in a file) its line and column. */
function documentError(location: string, e: unknown): OpenApiDocumentError {
  return located(faultOf(location, e));
}

/** The error with the line and column of its pointer's value, when its document is a file that holds it. */
function located(error: OpenApiDocumentError): OpenApiDocumentError {
  const { source, pointer } = error.info;
  if (pointer === undefined || /^https?:\/\//i.test(source)) return error;
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch {
    return error;
  }
  const at = locatePointer(text, pointer);
  return at === undefined ? error : new OpenApiDocumentError({ ...error.info, line: at.line, col: at.col });
}

function faultOf(location: string, e: unknown): OpenApiDocumentError {
  const error = e as { message?: unknown; details?: unknown; source?: unknown; name?: unknown; parentPath?: unknown };
  const found = Array.isArray(error.details) ? (error.details as SchemaFault[]) : [];
  if (found.length > 0) {
    // The deepest fault first (`.../parameters/0/in`: the misspelt value): the others are mostly
    // that fault seen from its parents (`.../parameters/0` matches no kind of parameter).
    const details = [...found].sort((a, b) => depth(b) - depth(a));
    // One line per place and message; the allowed values of each branch of a `oneOf` together.
    const byLine = new Map<string, unknown[]>();
    for (const d of details) {
      const line = `#${d.instancePath ?? ''}: ${d.message ?? 'invalid'}`;
      const values = Array.isArray(d.params?.allowedValues) ? (d.params.allowedValues as unknown[]) : [];
      byLine.set(line, [...(byLine.get(line) ?? []), ...values]);
    }
    const lines = [...byLine].map(([line, values]) => `${line}${allowed(values)}`).slice(0, 5);
    const pointer = `#${details[0]?.instancePath ?? ''}`;
    return new OpenApiDocumentError({
      source: location,
      pointer,
      problems: lines.map((l) => (l.startsWith(`${pointer}: `) ? l.slice(pointer.length + 2) : l)),
    });
  }
  const message = typeof error.message === 'string' ? error.message : String(e);
  if (error.name === 'ResolverError')
    return new OpenApiDocumentError({ source: location, headline: 'cannot be read', problems: [message] });
  const source = typeof error.source === 'string' && error.source !== '' ? error.source : location;
  // A `$ref` that points nowhere: the pointer is where the `$ref` is written.
  const pointer = typeof error.parentPath === 'string' && error.parentPath.startsWith('#') ? error.parentPath : undefined;
  return new OpenApiDocumentError({ source, pointer, problems: [message] });
}

/** One fault ajv found in the document, as swagger-parser passes it on. */
interface SchemaFault {
  readonly instancePath?: string;
  readonly message?: string;
  readonly params?: { readonly allowedValues?: unknown };
}

function depth(fault: SchemaFault): number {
  return (fault.instancePath ?? '').split('/').length;
}

/** ` ("path", "query", "header", "cookie")` for a value that must be one of a list (a short one). */
function allowed(values: readonly unknown[]): string {
  const unique = [...new Set(values.map((v) => JSON.stringify(v)))];
  return unique.length > 0 && unique.length <= 12 ? ` (${unique.join(', ')})` : '';
}
