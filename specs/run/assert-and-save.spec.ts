import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { applyAssertionsAndSaves } from '../../lib/run/assert-and-save.js';
import { StepConfigError, StepFailedError } from '../../lib/step/step-error.js';
import type { CheckRecord } from '../../lib/event/run-event.js';
import type { TemplateContext } from '../../lib/template/template-context.js';
import { fakeResponse } from '../helpers/fake-http.js';
import { DONE, probeSteps } from '../helpers/step-env.js';

/** A step of `plugin` (probe: any config) with `extra` keys (`assertions`, `save`) in YAML flow syntax. */
const stepWith = (extra: string, plugin = 'probe', config = '{}') =>
  probeSteps(`{ name: p, plugin: ${plugin}, config: ${config}, ${extra} }`)[0]!;

const variables = (saved: Record<string, string> = {}): TemplateContext => ({ saved, vars: {}, env: {}, secrets: {} });

const JOB = fakeResponse(200, { id: 'j-7', status: 'done', tags: [] }, { 'X-Request-Id': 'r-1', 'Set-Cookie': 'a=1' });

/** The error of a Left, failing the spec on a Right. */
function failure(result: ReturnType<typeof applyAssertionsAndSaves>): StepFailedError | StepConfigError {
  if (E.isRight(result)) return expect.fail(`passed: ${JSON.stringify(result.right)}`);
  return result.left;
}

describe('applyAssertionsAndSaves', () => {
  it("with no assertions and no save, passes on the plugin's own checks and saves", () => {
    const condition: CheckRecord = { _tag: 'Passed', label: 'json_path .status', matcher: 'expected', expected: 'done', actual: 'done' };
    const step = probeSteps('{ name: p, plugin: probe, config: {} }')[0]!;
    expect(
      applyAssertionsAndSaves(step, { ...DONE, checks: [condition], saved: { exit_code: 0 }, subject: JOB }, variables()),
    ).to.deep.equal(E.right({ checks: [condition], saved: { exit_code: 0 } }));
    expect(applyAssertionsAndSaves(step, DONE, variables())).to.deep.equal(E.right({ checks: [], saved: {} }));
  });

  it("judges every assertion once on the response, after the plugin's checks", () => {
    const condition: CheckRecord = { _tag: 'Passed', label: 'json_path .status', matcher: 'expected', expected: 'done', actual: 'done' };
    const step = stepWith('assertions: [{ type: status_code, expected: 200 }, { type: json_path, path: .id, expected: "{{ id }}" }]');
    expect(applyAssertionsAndSaves(step, { ...DONE, checks: [condition], subject: JOB }, variables({ id: 'j-7' }))).to.deep.equal(
      E.right({
        checks: [
          condition,
          { _tag: 'Passed', label: 'status_code', matcher: 'expected', expected: 200, actual: 200 },
          { _tag: 'Passed', label: 'json_path .id', matcher: 'expected', expected: 'j-7', actual: 'j-7' },
        ],
        saved: {},
      }),
    );
  });

  it("fails the step with every failed assertion, one per line, keeping all checks and the plugin's attempts", () => {
    const step = stepWith(
      'assertions: [{ type: status_code, expected: 201 }, { type: json_path, path: .status, expected: done }, { type: header, name: X-Request-Id, expected: r-2 }]',
    );
    const error = failure(applyAssertionsAndSaves(step, { ...DONE, attempts: 3, subject: JOB }, variables()));
    expect(error).to.be.instanceOf(StepFailedError);
    expect(error.message).to.equal(
      '2 assertions failed:\n  status_code: expected 201, actual 200\n  header X-Request-Id: expected "r-2", actual "r-1"',
    );
    expect((error as StepFailedError).attempts).to.equal(3);
    expect((error as StepFailedError).failure).to.deep.equal({
      _tag: 'Assertions',
      failed: [
        { _tag: 'Failed', label: 'status_code', matcher: 'expected', expected: 201, actual: 200 },
        { _tag: 'Failed', label: 'header X-Request-Id', matcher: 'expected', expected: 'r-2', actual: 'r-1' },
      ],
    });
    expect((error as StepFailedError).checks.map((c) => `${c.label} ${c._tag}`)).to.deep.equal([
      'status_code Failed',
      'json_path .status Passed',
      'header X-Request-Id Failed',
    ]);
  });

  it('saves nothing when an assertion fails', () => {
    const step = stepWith('assertions: [{ type: status_code, expected: 201 }], save: [{ json_path: .id, as: id }]');
    expect(failure(applyAssertionsAndSaves(step, { ...DONE, subject: JOB }, variables())).message).to.equal(
      '1 assertion failed:\n  status_code: expected 201, actual 200',
    );
  });

  it("saves from the response after the plugin's own saves: json_path values of any type, and a header's first value", () => {
    const step = stepWith(
      'save: [{ json_path: .id, as: id }, { json_path: .tags, as: tags }, { header: set-cookie, as: cookie }, { json_path: .status, as: exit_code }]',
    );
    expect(applyAssertionsAndSaves(step, { ...DONE, saved: { exit_code: 0, own: 'kept' }, subject: JOB }, variables())).to.deep.equal(
      // a step's save of the same name wins over the plugin's
      E.right({ checks: [], saved: { exit_code: 'done', own: 'kept', id: 'j-7', tags: [], cookie: 'a=1' } }),
    );
  });

  it("reads the first value of a header received several times, as Go's Header.Get does", () => {
    const twice = fakeResponse(200, null, { 'X-Id': 'first', 'x-id': 'second' });
    expect(applyAssertionsAndSaves(stepWith('save: [{ header: X-ID, as: id }]'), { ...DONE, subject: twice }, variables())).to.deep.equal(
      E.right({ checks: [], saved: { id: 'first' } }),
    );
  });

  it('fails the step when a required save finds nothing, naming what is missing; an optional one is left out', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['{ json_path: .missing, as: x }', 'save "x": json_path .missing matched nothing in the response'],
      ['{ header: X-Missing, as: x }', 'save "x": the response has no header X-Missing'],
    ];
    for (const [save, message] of cases) {
      const error = failure(applyAssertionsAndSaves(stepWith(`save: [${save}]`), { ...DONE, subject: JOB }, variables()));
      expect(error).to.be.instanceOf(StepFailedError);
      expect(error.message).to.equal(message);
      expect((error as StepFailedError).failure).to.deep.include({ _tag: 'SaveFailed', as: 'x' });
      expect([(error as StepFailedError).checks, (error as StepFailedError).attempts]).to.deep.equal([[], 1]);
      const optional = save.replace(' }', ', required: false }');
      expect(applyAssertionsAndSaves(stepWith(`save: [${optional}]`), { ...DONE, subject: JOB }, variables())).to.deep.equal(
        E.right({ checks: [], saved: {} }),
      );
    }
  });

  it("fails a json_path save on a body that is not JSON, with the parser's reason; an optional one is left out", () => {
    const html = fakeResponse(200, '<html>');
    const error = failure(applyAssertionsAndSaves(stepWith('save: [{ json_path: .id, as: id }]'), { ...DONE, subject: html }, variables()));
    expect(error).to.be.instanceOf(StepFailedError);
    expect(error.message).to.match(/^save "id": the response body is not JSON \(.+\)$/);
    expect(
      applyAssertionsAndSaves(stepWith('save: [{ json_path: .id, as: id, required: false }]'), { ...DONE, subject: html }, variables()),
    ).to.deep.equal(E.right({ checks: [], saved: {} }));
  });

  it("renders templated saves and assertions with the step's variables; one that does not render is a configuration error", () => {
    const step = stepWith('save: [{ json_path: "{{ field }}", as: state }]');
    expect(applyAssertionsAndSaves(step, { ...DONE, subject: JOB }, variables({ field: '.status' }))).to.deep.equal(
      E.right({ checks: [], saved: { state: 'done' } }),
    );
    const unrendered = failure(applyAssertionsAndSaves(step, { ...DONE, subject: JOB }, variables()));
    expect(unrendered).to.be.instanceOf(StepConfigError);
    expect(unrendered.message).to.match(/^save\[0\]: undefined variable "field"/);
    const assertion = failure(
      applyAssertionsAndSaves(
        stepWith('assertions: [{ type: json_path, path: .id, expected: "{{ id }}" }]'),
        { ...DONE, subject: JOB },
        variables(),
      ),
    );
    expect(assertion).to.be.instanceOf(StepConfigError);
    expect(assertion.message).to.match(/^assertions\[0\]: undefined variable "id"/);
  });

  it('is a configuration error to assert on or save from a plugin that gives no response', () => {
    const log = (extra: string) => stepWith(extra, 'log', '{ message: hi }');
    const asserted = failure(applyAssertionsAndSaves(log('assertions: [{ type: status_code, expected: 200 }]'), DONE, variables()));
    expect(asserted).to.be.instanceOf(StepConfigError);
    expect(asserted.message).to.equal('assertions need a response, and the log plugin gives none');
    expect(failure(applyAssertionsAndSaves(log('save: [{ json_path: .id, as: id }]'), DONE, variables())).message).to.equal(
      'save need a response, and the log plugin gives none',
    );
  });
});
