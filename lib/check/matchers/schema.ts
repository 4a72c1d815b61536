import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as E from 'fp-ts/lib/Either.js';
import { excerpt } from '../describe-json.js';
import { presentValueMatcher, verdict, type CompileMatcher } from '../matcher.js';

/**
 * `schema`: the value satisfies a JSON Schema, validated by ajv. The schema is compiled once; an
 * invalid schema is `Left` with ajv's message. Draft-07 by default; a `$schema` naming 2020-12
 * selects that draft. Ajv's strict schema mode is on, so unknown keywords (`requird`, OpenAPI's
 * `example`) are rejected rather than silently ignored; `format` is not validated (no format
 * plugin is installed), and remote `$ref`s are not fetched. A failure's reason lists every
 * violation: `/id must be string; must have required property 'status'`.
 */
export const compileSchema: CompileMatcher = (operand) => {
  if (operand === null || typeof operand !== 'object' || Array.isArray(operand)) {
    return E.left(`schema must be a JSON Schema object, got ${excerpt(operand)}`);
  }
  const draft = (operand as { $schema?: unknown }).$schema;
  const ajv = typeof draft === 'string' && draft.includes('2020-12') ? (ajv2020 ??= new Ajv2020(OPTIONS)) : (ajv07 ??= new Ajv(OPTIONS));
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(operand);
  } catch (e) {
    return E.left(`schema: invalid JSON Schema: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    // the validate function is self-contained; dropping ajv's cache entry keeps a long run from
    // holding every schema ever compiled
    safeRemove(ajv, operand);
  }
  return E.right(
    presentValueMatcher('schema', operand, (value) => {
      const ok = validate(value) === true;
      return verdict(ok, value, ok ? undefined : describeErrors(validate.errors ?? []));
    }),
  );
};

// strictSchema catches typos in keywords; strictTypes/strictTuples would reject valid schemas
// (a plain tuple without maxItems), so they are off rather than logging to the console.
const OPTIONS = {
  allErrors: true,
  strictSchema: true,
  strictNumbers: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  validateFormats: false,
  addUsedSchema: false,
  logger: false,
} as const;
// Created on first use: building an instance compiles its meta-schema, which a run without a
// `schema` matcher should not pay for at start-up.
let ajv07: Ajv | undefined;
let ajv2020: Ajv2020 | undefined;

function safeRemove(ajv: Ajv, schema: object): void {
  try {
    ajv.removeSchema(schema);
  } catch {
    // nothing cached for an invalid schema: nothing to remove
  }
}

function describeErrors(errors: readonly ErrorObject[]): string {
  if (errors.length === 0) return 'the value does not satisfy the schema';
  return errors.map((e) => `${e.instancePath === '' ? '' : `${e.instancePath} `}${e.message ?? 'is invalid'}`).join('; ');
}
