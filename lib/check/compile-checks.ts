import * as E from 'fp-ts/lib/Either.js';
import type { Check } from '../dsl/index.js';
import { compileCheck, type CompiledCheck } from './compile-check.js';
import type { TemplateContext } from '../template/template-context.js';
import { renderJson } from '../template/resolve-templatable.js';

/** Renders and compiles checks once: a check that cannot be evaluated is a configuration error. */
export function compileChecks(checks: readonly Check[], variables: TemplateContext, field: string): E.Either<string, CompiledCheck[]> {
  const out: CompiledCheck[] = [];
  for (const [i, check] of checks.entries()) {
    const rendered = renderJson(check, variables, `${field}[${i}]`);
    if (E.isLeft(rendered)) return E.left(rendered.left);
    const compiled = compileCheck(rendered.right);
    if (E.isLeft(compiled)) return E.left(`${field}[${i}]: ${compiled.left}`);
    out.push(compiled.right);
  }
  return E.right(out);
}
