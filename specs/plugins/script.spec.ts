import { expect } from 'chai';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray, ReplaySubject } from 'rxjs';
import { runSuite } from '../../lib/run/run-suite.js';
import type { RunEvent, StepResult } from '../../lib/event/run-event.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { createAxiosClient } from '../../lib/http/axios-client.js';
import { consoleReporter, jsonReporter, junitReporter, type JsonReport } from '../../lib/report/index.js';
import { fakeHttp, suite } from '../helpers/fake-http.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { messageOf } from '../helpers/result-message.js';

const noHttp = fakeHttp(() => {
  throw new Error('no request expected');
});

/** Runs an inline suite for real (scripts use real processes and vm) and returns its events. */
async function run(
  yaml: string,
  file?: string,
  options: { env?: Record<string, string | undefined>; interrupt$?: ReplaySubject<string> } = {},
) {
  const events = await lastValueFrom(
    runSuite(suite(yaml, file), {
      http: noHttp,
      plugins: builtinPlugins(),
      env: options.env ?? {},
      ...(options.interrupt$ ? { interrupt$: options.interrupt$ } : {}),
    }).pipe(toArray()),
  );
  const results = events.flatMap((e: RunEvent) => (e._tag === 'StepEnded' ? [[e.ref.step, e.result] as const] : []));
  return {
    events,
    results: new Map<string, StepResult>(results),
    logs: events.flatMap((e) => (e._tag === 'LogEmitted' ? [e.message] : [])),
  };
}

/** Writes `yaml` as a suite file in a fresh directory (so failures can name its lines) and runs it, for real. */
async function runFile(yaml: string, options: { http?: ReturnType<typeof createAxiosClient> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rocketship-script-suite-'));
  const file = join(dir, 'rocketship.yaml');
  writeFileSync(file, yaml);
  const events = await lastValueFrom(
    runSuite(suite(yaml, file), { http: options.http ?? noHttp, plugins: builtinPlugins(), env: {} }).pipe(toArray()),
  );
  const results = new Map(events.flatMap((e: RunEvent) => (e._tag === 'StepEnded' ? [[e.ref.step, e.result] as const] : [])));
  return { dir, file, events, results, logs: events.flatMap((e) => (e._tag === 'LogEmitted' ? [e.message] : [])) };
}

/** The 1-based line of `text` in `yaml`. */
function lineOf(yaml: string, text: string): number {
  return yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
}

/** `line:column` of `text` in `yaml`, 1-based. */
function placeOf(yaml: string, text: string): string {
  const line = lineOf(yaml, text);
  return `${line}:${(yaml.split('\n')[line - 1] ?? '').indexOf(text) + 1}`;
}

function failure(result: StepResult | undefined): string {
  if (result?._tag !== 'Failed') throw new Error(`expected a failed step, got ${JSON.stringify(result)}`);
  return messageOf(result);
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
    // (This suite has no file on disk: the place is the script's line and the step's.)
    expect(mutate?._tag === 'Failed' && messageOf(mutate)).to.equal(
      'script assertion failed: nope (line 1, column 15 of the script of the step at /specs/inline/rocketship.yaml:7)',
    );
    const boom = results.get('boom');
    expect(boom?._tag === 'Failed' && messageOf(boom)).to.match(/^script error: TypeError: Cannot read properties of null/);
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
    expect(spin?._tag === 'Failed' && messageOf(spin)).to.equal('script timed out after 100ms');
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

  it('shell: a non-zero exit fails the step with the code, the last stderr line, and both streams', async () => {
    const { results } = await run(`
name: sh
tests:
  - name: t
    steps:
      - { name: fail, plugin: script, config: { language: shell, script: 'echo broken >&2; exit 3' } }
`);
    const fail = results.get('fail');
    expect(fail?._tag === 'Failed' && messageOf(fail)).to.equal(
      'shell script exited with code 3: broken\nstdout: (empty)\nstderr (1 line):\n  broken',
    );
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
    expect(missing?._tag === 'Errored' && messageOf(missing)).to.equal(
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

  describe('javascript failures name the line (issue 11, item 15)', () => {
    it('save() of a cyclic or too deep value fails the step at the suite file line of the save', async () => {
      const yaml = `
name: saves
tests:
  - name: cyclic
    steps:
      - name: cycle
        plugin: script
        config:
          language: javascript
          script: |
            const a = { name: "a" };
            a.self = a;
            save("a", a);
  - name: deep
    steps:
      - name: deep
        plugin: script
        config:
          language: javascript
          script: |
            let d = [];
            for (let i = 0; i < 100000; i += 1) d = [d];
            save("d", d);
`;
      const { file, results } = await runFile(yaml);
      expect(failure(results.get('cycle'))).to.equal(
        `script error: save("a"): the value refers to itself (a.self is a), so it cannot be saved as JSON (${file}:${placeOf(yaml, 'save("a", a)')}, line 3, column 1 of the script)`,
      );
      expect(failure(results.get('deep'))).to.equal(
        `script error: save("d"): the value nests lists and maps more than 1000 levels deep, too deep to save (${file}:${placeOf(yaml, 'save("d", d)')}, line 3, column 1 of the script)`,
      );
    });

    it('an object thrown whose toString throws is a step failure at the line of the throw', async () => {
      const yaml = `
name: throws
tests:
  - name: t
    steps:
      - name: odd throw
        plugin: script
        config:
          language: javascript
          script: |
            const ok = 1;
            throw { toString() { throw new Error("no text") } };
      - { name: one line, plugin: script, config: { language: javascript, script: 'throw 42' } }
`;
      const { file, results } = await runFile(yaml);
      expect(failure(results.get('odd throw'))).to.equal(
        `script error: threw an object that cannot be shown as text (its toString() threw Error: no text) (${file}:${placeOf(yaml, 'throw { toString')}, line 2, column 1 of the script)`,
      );
    });

    it('a script file names its own path, line and column', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rocketship-script-file-'));
      writeFileSync(join(dir, 'check.js'), '// check\nassert(state.x === 2, "x is " + state.x);\n');
      const yaml = `
name: file
tests:
  - name: t
    steps:
      - { name: seed, plugin: script, config: { language: javascript, script: 'save("x", 1)' } }
      - { name: check, plugin: script, config: { language: javascript, file: check.js } }
`;
      const file = join(dir, 'rocketship.yaml');
      writeFileSync(file, yaml);
      const events = await lastValueFrom(runSuite(suite(yaml, file), { http: noHttp, plugins: builtinPlugins(), env: {} }).pipe(toArray()));
      const check = events.find((e): e is Extract<RunEvent, { _tag: 'StepEnded' }> => e._tag === 'StepEnded' && e.ref.step === 'check');
      expect(failure(check?.result)).to.equal(`script assertion failed: x is 1 (${join(dir, 'check.js')}:2:1)`);
    });

    it('an assert failing in an async function fails its own step, and the next script runs', async () => {
      const yaml = `
name: async
tests:
  - name: t
    steps:
      - name: async assert
        plugin: script
        config:
          language: javascript
          script: |
            (async () => {
              await Promise.resolve();
              assert(false, "checked later");
            })();
  - name: u
    steps:
      - { name: next, plugin: script, config: { language: javascript, script: 'save("ok", true)' } }
`;
      const { file, results } = await runFile(yaml);
      expect(failure(results.get('async assert'))).to.equal(
        `script assertion failed: checked later (${file}:${placeOf(yaml, 'assert(false')}, line 3, column 3 of the script)`,
      );
      expect(results.get('next')?._tag).to.equal('Passed');
    });

    it('names the column of the failing expression, in the script as written and in the suite file (issue 12, item 7)', async () => {
      const yaml = `
name: columns
vars: { limit: 5 }
tests:
  - name: t
    steps:
      - name: after a template
        plugin: script
        config:
          language: javascript
          script: |
            const n = 3;
            assert(n > {{ .vars.limit }}, "n"); assert(n > {{ .vars.limit }} && n < 0, "n is " + n);
  - name: w
    steps:
      - { name: one line, plugin: script, config: { language: javascript, script: 'const a = 1; if (a) throw new Error("x")' } }
  - name: u
    steps:
      - name: syntax
        plugin: script
        config:
          language: javascript
          script: |
            const ok = 1;
              let b = ok +* 2;
  - name: v
    steps:
      - { name: thrown value, plugin: script, config: { language: javascript, script: "const a = 1; if (a) throw 42" } }
`;
      const { file, results } = await runFile(yaml);
      // The first assert fails; its column is counted in the script as written (the template is 20 characters, its value 1).
      expect(failure(results.get('after a template'))).to.equal(
        `script assertion failed: n (${file}:${placeOf(yaml, 'assert(n > {{')}, line 2, column 1 of the script)`,
      );
      // After a throw on the same line (marked, see markThrows): the column of `new`, not moved by the mark.
      expect(failure(results.get('one line'))).to.equal(
        `script error: Error: x (${file}:${placeOf(yaml, 'new Error("x")')}, line 1, column 27 of the script)`,
      );
      expect(failure(results.get('syntax'))).to.equal(
        `script error: SyntaxError: Unexpected token '*' (${file}:${placeOf(yaml, '*')}, line 2, column 15 of the script)`,
      );
      // A thrown value that is not an Error: the column of its throw keyword.
      expect(failure(results.get('thrown value'))).to.equal(
        `script error: threw 42 (${file}:${placeOf(yaml, 'throw 42')}, line 1, column 21 of the script)`,
      );
    });

    it('a column after a template on the same line is the column in the script as written', async () => {
      const yaml = `
name: columns
vars: { limit: 5 }
tests:
  - name: t
    steps:
      - name: s
        plugin: script
        config:
          language: javascript
          script: |
            const n = 3; const limit = {{ .vars.limit }}; null.x
`;
      const { file, results } = await runFile(yaml);
      // V8 points at the property read (\`x\`): column 52 as written (the rendered value \`5\` is 16 characters shorter than its template).
      expect(failure(results.get('s'))).to.equal(
        `script error: TypeError: Cannot read properties of null (reading 'x') (${file}:${lineOf(yaml, 'null.x')}:64, line 1, column 52 of the script)`,
      );
    });
  });

  it("shell: a failed script keeps stdout and stderr: the last lines in the message (console, JSON, JUnit), a long stream whole in the step's logs (issue 11, item 15)", async () => {
    const yaml = `
name: output
tests:
  - name: build
    steps:
      - name: make
        plugin: script
        config:
          language: shell
          script: |
            for i in $(seq 1 100); do echo "out $i"; done
            echo "warning: something" >&2
            echo "error: it broke" >&2
            exit 2
`;
    const { events, results } = await runFile(yaml);
    const message = failure(results.get('make'));
    const last20 = Array.from({ length: 20 }, (_, i) => `  out ${81 + i}`);
    expect(message).to.equal(
      [
        'shell script exited with code 2: error: it broke',
        'stdout (last 20 of 100 lines):',
        ...last20,
        'stderr (2 lines):',
        '  warning: something',
        '  error: it broke',
      ].join('\n'),
    );
    const all = Array.from({ length: 100 }, (_, i) => `out ${i + 1}`).join('\n');
    const logs = events.flatMap((e) => (e._tag === 'LogEmitted' ? [e.message] : []));
    expect(logs).to.deep.equal([`stdout of the failed script (100 lines):\n${all}`]);

    let printed = '';
    const consoleOut = consoleReporter({ write: (t) => (printed += t), tty: false, color: false, verbose: false });
    const json = jsonReporter();
    const junit = junitReporter();
    for (const e of events) [consoleOut, json, junit].forEach((r) => r.next(e));
    [consoleOut, json, junit].forEach((r) => r.complete());
    expect(printed).to.contain('[output] [build] [make] failed in');
    expect(printed).to.contain('    stdout (last 20 of 100 lines):\n      out 81\n');
    expect(printed).to.contain('      error: it broke\n');
    const step = (JSON.parse(json.render()) as JsonReport).suites[0]?.tests[0]?.steps[0];
    expect(step?.result?._tag === 'Failed' && messageOf(step.result)).to.equal(message);
    expect(step?.logs).to.deep.equal(logs);
    const xml = junit.render();
    expect(xml).to.contain(
      '<failure message="shell script exited with code 2: error: it broke stdout (last 20 of 100 lines): out 81 out 82',
    );
    expect(xml).to.contain('<system-out>[make] log: stdout of the failed script (100 lines):\n    out 1\n    out 2\n');
    expect(xml).to.contain('    out 100\n');
  });

  it('shell: a stream longer than 64 KiB is logged as its last 64 KiB, from a whole line', async () => {
    const { results, logs } = await run(`
name: big
tests:
  - name: t
    steps:
      - { name: big, plugin: script, config: { language: shell, script: 'for i in $(seq 1 20000); do echo "line $i"; done; exit 1' } }
`);
    expect(failure(results.get('big'))).to.match(/^shell script exited with code 1\nstdout \(last 20 of 20000 lines\):\n {2}line 19981\n/);
    expect(logs).to.have.length(1);
    // 20,000 lines of "line N" are 204 KiB; the last 64 KiB start at a whole line (5,957 lines).
    expect(logs[0]).to.match(/^stdout of the failed script \(20000 lines, 204 KiB; the last 5957 lines\):\nline 14044\nline 14045\n/);
    expect(logs[0]?.endsWith('line 20000')).to.equal(true);
    expect(logs[0]?.length).to.be.below(64 * 1024 + 200);
  });

  describe('values from a server in script text are data, never code (issue 11, item 19)', () => {
    let server: LocalServer;
    let dir: string;
    /** Values a hostile server sends, each of which would run a command or code if pasted into a script. */
    const hostile = () => ({
      quote: `'; touch ${dir}/PWNED-sh1; '`,
      dquote: `"; touch ${dir}/PWNED-sh2; "`,
      subst: `$(touch ${dir}/PWNED-sh3)`,
      js: `'); require('fs').writeFileSync('${dir}/PWNED-js', 'x'); ('`,
      jscode: `process.exit(3)`,
    });
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'rocketship-injection-'));
      server = await startLocalServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(hostile()));
      });
    });
    after(() => server.close());

    it(`shell: echo "{{ v }}", echo {{ v }} and echo '{{ v }}' print the value; nothing runs`, async () => {
      const yaml = `
name: injection
tests:
  - name: t
    steps:
      - name: get
        plugin: http
        config: { method: GET, url: "${server.url}/" }
        save:
          - { json_path: .quote, as: quote }
          - { json_path: .dquote, as: dquote }
          - { json_path: .subst, as: subst }
      - name: echo
        plugin: script
        config:
          language: shell
          script: |
            echo "{{ quote }}|{{ dquote }}|{{ subst }}"
            echo {{ quote }} {{ subst }}
            echo '{{ dquote }}'
            echo "$ROCKETSHIP_SUBST"
      - { name: show, plugin: log, config: { message: "{{ stdout }}" } }
`;
      const { results, logs } = await runFile(yaml, { http: createAxiosClient() });
      expect(results.get('echo')?._tag).to.equal('Passed');
      const v = hostile();
      expect(logs).to.deep.equal([`${v.quote}|${v.dquote}|${v.subst}\n${v.quote} ${v.subst}\n${v.dquote}\n${v.subst}`]);
      expect(readdirSync(dir)).to.deep.equal([]);
    });

    it("javascript: console.log('{{ v }}') and x = {{ v }} give the value; nothing runs", async () => {
      const yaml = `
name: injection
tests:
  - name: t
    steps:
      - name: get
        plugin: http
        config: { method: GET, url: "${server.url}/" }
        save:
          - { json_path: .js, as: js }
          - { json_path: .jscode, as: jscode }
      - name: log
        plugin: script
        config:
          language: javascript
          script: |
            console.log('{{ js }}');
            console.log("{{ js }}", \`{{ jscode }}\`);
            const x = {{ jscode }};
            save("same", x === state.jscode);
`;
      const { results, logs } = await runFile(yaml, { http: createAxiosClient() });
      expect(results.get('log')?._tag).to.equal('Passed');
      const v = hostile();
      expect(logs).to.deep.equal([v.js, `${v.js} ${v.jscode}`]);
      expect(results.get('log')?._tag === 'Passed' && results.get('log')).to.deep.include({ saved: { same: true } });
      expect(readdirSync(dir)).to.deep.equal([]);
    });

    it('javascript: this.constructor.constructor does not lead to process', async () => {
      const marker = join(dir, 'PWNED-escape');
      const { results } = await run(`
name: escape
tests:
  - name: t
    steps:
      - name: escape
        plugin: script
        config:
          language: javascript
          script: |
            const p = this.constructor.constructor("return typeof process === 'undefined' ? undefined : process")();
            if (p) p.getBuiltinModule("fs").writeFileSync(${JSON.stringify(marker)}, "x");
            save("reached", p !== undefined);
`);
      expect(results.get('escape')).to.deep.include({ _tag: 'Passed', saved: { reached: false } });
      expect(existsSync(marker)).to.equal(false);
    });

    it('a template the writer refuses fails the step as a configuration error naming the line and the safe form', async () => {
      const { results } = await run(`
name: refused
tests:
  - name: t
    steps:
      - { name: seed, plugin: script, config: { language: javascript, script: 'save("n", "1; touch x")' } }
      - { name: arith, plugin: script, config: { language: shell, script: "echo ok\\necho $(( {{ n }} + 1 ))" } }
`);
      const arith = results.get('arith');
      expect(arith?._tag === 'Errored' && messageOf(arith)).to.equal(
        'script: line 2 of the script: the value of "n" is not an integer, and inside $(( )), (( )) and $[ ] bash reads it as arithmetic, where text can run commands; use "$ROCKETSHIP_N" instead in a string, or make the value a number',
      );
    });
  });

  describe('a saved variable nested 100,000 levels deep (issue 11, item 2)', () => {
    let server: LocalServer;
    before(async () => {
      const deep = `{"data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      server = await startLocalServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(deep);
      });
    });
    after(() => server.close());

    it('fails each script step given it, naming the variable and the limit; the rest of the run goes on', async () => {
      const { results } = await runFile(
        `
name: deep
tests:
  - name: js
    steps:
      - { name: get, plugin: http, config: { method: GET, url: "${server.url}/" }, save: [{ json_path: .data, as: deep }] }
      - { name: js, plugin: script, config: { language: javascript, script: 'save("ok", 1)' } }
  - name: sh
    steps:
      - { name: get, plugin: http, config: { method: GET, url: "${server.url}/" }, save: [{ json_path: .data, as: deep }] }
      - { name: sh, plugin: script, config: { language: shell, script: 'true' } }
  - name: later
    steps:
      - { name: later, plugin: script, config: { language: javascript, script: 'save("ok", 1)' } }
`,
        { http: createAxiosClient() },
      );
      expect(failure(results.get('js'))).to.equal(
        'script not run: the saved variable "deep" (state.deep) nests lists and maps more than 1000 levels deep, too deep to give to a script',
      );
      expect(failure(results.get('sh'))).to.equal(
        'shell script not run: the saved variable "deep" nests lists and maps more than 1000 levels deep, too deep to give to a script',
      );
      expect(results.get('later')?._tag).to.equal('Passed');
    });
  });

  it('shell: a saved value an environment variable cannot hold fails the step naming it', async () => {
    const { results } = await run(`
name: env
tests:
  - name: big
    steps:
      - { name: seed, plugin: script, config: { language: javascript, script: 'save("body", "x".repeat(200000))' } }
      - { name: sh, plugin: script, config: { language: shell, script: 'true' } }
  - name: nul
    steps:
      - { name: seed, plugin: script, config: { language: javascript, script: 'save("bin", "a\\u0000b")' } }
      - { name: sh2, plugin: script, config: { language: shell, script: 'true' } }
`);
    expect(failure(results.get('sh'))).to.equal(
      'shell script not run: the saved variable "body" is 196 KiB as text, more than the 128 KiB one environment variable (ROCKETSHIP_BODY) can hold',
    );
    expect(failure(results.get('sh2'))).to.equal(
      'shell script not run: the saved variable "bin" holds a NUL character, which an environment variable (ROCKETSHIP_BIN) cannot hold',
    );
  });
});
