import { expect } from 'chai';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray, ReplaySubject } from 'rxjs';
import { runSuite } from '../../lib/run/run-suite.js';
import type { RunEvent, StepResult } from '../../lib/run/run-event.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { fakeHttp, suite } from '../helpers/fake-http.js';

const noHttp = fakeHttp(() => {
  throw new Error('no request expected');
});

/** Runs an inline suite for real (scripts use real processes and vm) and returns its events. */
async function run(yaml: string, file?: string, options: { env?: Record<string, string | undefined>; interrupt$?: ReplaySubject<string> } = {}) {
  const events = await lastValueFrom(
    runSuite(suite(yaml, file), { http: noHttp, plugins: builtinPlugins(), env: options.env ?? {}, ...(options.interrupt$ ? { interrupt$: options.interrupt$ } : {}) }).pipe(toArray()),
  );
  const results = events.flatMap((e: RunEvent) => (e._tag === 'StepEnded' ? [[e.ref.step, e.result] as const] : []));
  return { events, results: new Map<string, StepResult>(results), logs: events.flatMap((e) => (e._tag === 'LogEmitted' ? [e.message] : [])) };
}

describe('script plugin', function () {
  this.timeout(10_000);

  it('javascript: reads state and vars, saves for later steps, logs', async () => {
    const { results, logs } = await run(`
name: js
vars: { user_name: test_user, max: 3 }
tests:
  - name: t
    steps:
      - { name: seed, plugin: log, config: { message: seed } }
      - name: compute
        plugin: script
        config:
          language: javascript
          script: |
            save("upper", vars.user_name.toUpperCase());
            save("doubled", vars.max * 2);
            save("obj", { a: [1, 2] });
            console.log("computed", vars.max);
      - name: check
        plugin: script
        config:
          language: javascript
          script: |
            assert(state.upper === "TEST_USER", "upper: " + state.upper);
            assert(state.doubled === 6, "doubled");
            assert(state.obj.a[1] === 2, "obj");
      - { name: show, plugin: log, config: { message: "{{ upper }} {{ doubled }} {{ obj }}" } }
`);
    expect([...results.values()].map((r) => r._tag)).to.deep.equal(['Passed', 'Passed', 'Passed', 'Passed']);
    expect(logs).to.deep.equal(['seed', 'computed 3', 'TEST_USER 6 {"a":[1,2]}']);
  });

  it('javascript: a failed assert fails the step with its message; a throw too; state is a copy', async () => {
    const { results } = await run(`
name: js
tests:
  - name: a
    steps:
      - { name: s, plugin: script, config: { language: javascript, script: 'save("x", 1)' } }
      - { name: mutate, plugin: script, config: { language: javascript, script: 'state.x = 99; assert(false, "nope")' } }
  - name: b
    steps:
      - { name: boom, plugin: script, config: { language: javascript, script: 'null.x' } }
`);
    const mutate = results.get('mutate');
    expect(mutate?._tag === 'Failed' && mutate.message).to.equal('script assertion failed: nope');
    const boom = results.get('boom');
    expect(boom?._tag === 'Failed' && boom.message).to.match(/^script error: TypeError: Cannot read properties of null/);
  });

  it('javascript: a busy loop is stopped by the step timeout', async () => {
    const { results } = await run(`
name: js
tests:
  - name: t
    steps:
      - { name: spin, plugin: script, config: { language: javascript, script: 'for (;;) {}', timeout: 100ms } }
`);
    const spin = results.get('spin');
    expect(spin?._tag === 'Failed' && spin.message).to.equal('script timed out after 100ms');
  });

  it('shell: gets ROCKETSHIP_<NAME> and ROCKETSHIP_VAR_<NAME>, saves exit_code, stdout and stderr', async () => {
    const { results, logs } = await run(`
name: sh
vars: { project_name: rocketship }
tests:
  - name: t
    steps:
      - { name: js, plugin: script, config: { language: javascript, script: 'save("build_id", "b-42")' } }
      - name: sh
        plugin: script
        config:
          language: shell
          script: |
            echo "$ROCKETSHIP_BUILD_ID/$ROCKETSHIP_VAR_PROJECT_NAME/{{ .vars.project_name }}"
            echo warn >&2
      - { name: show, plugin: log, config: { message: "{{ exit_code }}|{{ stdout }}|{{ stderr }}" } }
      - { name: verify, plugin: script, config: { language: shell, script: 'test "$ROCKETSHIP_EXIT_CODE" = "0"' } }
`);
    expect(results.get('verify')?._tag).to.equal('Passed');
    expect(logs).to.deep.equal(['0|b-42/rocketship/rocketship|warn']);
  });

  it('shell: a non-zero exit fails the step with the code and stderr', async () => {
    const { results } = await run(`
name: sh
tests:
  - name: t
    steps:
      - { name: fail, plugin: script, config: { language: shell, script: 'echo broken >&2; exit 3' } }
`);
    const fail = results.get('fail');
    expect(fail?._tag === 'Failed' && fail.message).to.equal('shell script exited with code 3: broken');
  });

  it('reads `file` relative to the suite file; a missing file is an error naming the path and the suite line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rocketship-script-'));
    mkdirSync(join(dir, '.rocketship'));
    writeFileSync(join(dir, '.rocketship', 'step.js'), 'save("from_file", "{{ .vars.v }}")');
    const { results, logs } = await run(
      `
name: files
vars: { v: templated }
tests:
  - name: t
    steps:
      - { name: ok, plugin: script, config: { language: javascript, file: .rocketship/step.js } }
      - { name: show, plugin: log, config: { message: "{{ from_file }}" } }
  - name: u
    steps:
      - { name: missing, plugin: script, config: { language: shell, file: .rocketship/nope.sh } }
`,
      join(dir, 'rocketship.yaml'),
    );
    expect(logs).to.deep.equal(['templated']);
    const missing = results.get('missing');
    expect(missing?._tag).to.equal('Errored');
    expect(missing?._tag === 'Errored' && missing.message).to.equal(
      `script file not found: ${join(dir, '.rocketship/nope.sh')} (config.file ".rocketship/nope.sh" of the step at ${join(dir, 'rocketship.yaml')}:11)`,
    );
  });

  it('shell: interrupting the step kills the script process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rocketship-kill-'));
    const pidFile = join(dir, 'pid');
    const interrupt$ = new ReplaySubject<string>(1);
    setTimeout(() => interrupt$.next('SIGINT'), 300);
    const { results } = await run(
      `
name: kill
tests:
  - name: t
    steps:
      - { name: sleep, plugin: script, config: { language: shell, script: 'echo $$ > ${pidFile}; exec sleep 30' } }
`,
      undefined,
      { interrupt$ },
    );
    expect(results.get('sleep')?._tag).to.equal('Interrupted');
    expect(existsSync(pidFile)).to.equal(true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    // the process is gone (or a zombie being reaped): signal 0 throws ESRCH
    await new Promise((r) => setTimeout(r, 100));
    expect(() => process.kill(pid, 0)).to.throw();
  });
});
