import * as E from 'fp-ts/lib/Either.js';
import type { Check } from '../dsl/index.js';
import { compileCheck, type CompiledCheck } from './compile-check.js';
import type { TemplateContext } from '../template/template-context.js';
import { renderJson } from '../template/resolve-templatable.js';

/**
 * Renders and compiles checks once: a check that cannot be evaluated is a configuration error.
 *
 * A check without templates renders to itself, and compiles the same on every attempt and run:
 * it is compiled once, and its {@link CompiledCheck} (which holds no state between evaluations)
 * is shared. Only a check that holds `{{ ... }}` is compiled again with each run's variables.
 */
export function compileChecks(checks: readonly Check[], variables: TemplateContext, field: string): E.Either<string, CompiledCheck[]> {
  const out: CompiledCheck[] = [];
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i] as Check;
    const known = compiledOnce.get(check);
    if (known !== undefined) {
      out.push(known);
      continue;
    }
    const rendered = renderJson(check, variables, `${field}[${i}]`);
    if (E.isLeft(rendered)) return E.left(rendered.left);
    const compiled = compileCheck(rendered.right);
    if (E.isLeft(compiled)) return E.left(`${field}[${i}]: ${compiled.left}`);
    // Rendered to itself: it holds no template.
    if (rendered.right === check) compiledOnce.set(check, compiled.right);
    out.push(compiled.right);
  }
  return E.right(out);
}

/** Checks without templates, by the decoded check, compiled. */
const compiledOnce = new WeakMap<Check, CompiledCheck>();
