import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import type { Check } from '../../lib/check/check.js';
import { compileChecks } from '../../lib/check/compile-checks.js';
import type { CompiledCheck } from '../../lib/check/compile-check.js';
import type { TemplateContext } from '../../lib/template/template-context.js';
import { subject } from './subject.js';

const vars = (saved: Record<string, string>): TemplateContext => ({ saved, vars: {}, env: {} });

function compiled(checks: readonly Check[], variables: TemplateContext): CompiledCheck[] {
  const r = compileChecks(checks, variables, 'assertions');
  if (E.isLeft(r)) throw new Error(`expected the checks to compile: ${r.left}`);
  return r.right;
}

describe('check/compile-checks', () => {
  const response = subject(200, { status: 'done', id: 'j-2' });

  it('compiles a check without templates once: every run and attempt shares it, and it judges each response anew', () => {
    const checks: Check[] = [
      { type: 'status_code', expected: 200 },
      { type: 'json_path', path: '.status', matches: '^do' },
    ];
    const first = compiled(checks, vars({}));
    const again = compiled(checks, vars({ other: 'x' }));
    expect(again[0]).to.equal(first[0]);
    expect(again[1]).to.equal(first[1]);
    // No state kept between evaluations (a regular expression's, say).
    for (let i = 0; i < 3; i++) expect(first[1]?.evaluate(response).map((r) => r._tag)).to.deep.equal(['Passed']);
    expect(first[1]?.evaluate(subject(200, { status: 'pending' })).map((r) => r._tag)).to.deep.equal(['Failed']);
  });

  it('compiles a check with a template again with each run’s variables', () => {
    const checks: Check[] = [{ type: 'json_path', path: '.id', expected: '{{ job_id }}' }];
    const one = compiled(checks, vars({ job_id: 'j-1' }));
    const two = compiled(checks, vars({ job_id: 'j-2' }));
    expect(two[0]).to.not.equal(one[0]);
    expect(one[0]?.evaluate(response).map((r) => r._tag)).to.deep.equal(['Failed']);
    expect(two[0]?.evaluate(response).map((r) => r._tag)).to.deep.equal(['Passed']);
  });

  it('a check that does not compile is an error every time it is compiled, never remembered', () => {
    const checks: Check[] = [{ type: 'json_path', path: '.status', matches: '(' }];
    for (let i = 0; i < 2; i++) {
      const r = compileChecks(checks, vars({}), 'assertions');
      expect(E.isLeft(r) && r.left).to.match(/^assertions\[0\]: .*invalid regular expression/);
    }
  });
});
