import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as t from 'io-ts';
import { checkTemplates, maySave, stepsInScope, stepTemplates, type TemplateCheckOptions } from '../../lib/dsl/check-templates.js';
import { builtinPluginCodecs } from '../../lib/dsl/codecs/plugin-codecs.js';
import { decodeSuiteText, type LoadedSuite } from '../../lib/dsl/decode-suite.js';
import { formatDslError } from '../../lib/dsl/format-dsl-error.js';
import { formatDslWarning } from '../../lib/dsl/dsl-warning.js';
import { loadSuiteFile } from '../../lib/dsl/load-suite.js';
import { MAX_ERRORS } from '../../lib/dsl/cap-errors.js';
import { ROOT } from '../helpers/run-cli.js';

function load(yaml: string, plugins?: Parameters<typeof decodeSuiteText>[2]): LoadedSuite {
  const decoded = decodeSuiteText(yaml, 'suite.yaml', plugins);
  if (decoded._tag === 'Left') throw new Error(decoded.left.map((e) => `${e.line}:${e.col} ${e.message}`).join('\n'));
  return decoded.right;
}

function check(yaml: string, options: TemplateCheckOptions = {}) {
  return checkTemplates(load(yaml), options);
}

/** `line:col message` of each error. */
function errorsOf(yaml: string, options: TemplateCheckOptions = {}): string[] {
  return check(yaml, options).errors.map((e) => `${e.line}:${e.col} ${e.message}`);
}

/** A suite of one test whose steps are `steps` (YAML list items, indented for `steps:`). */
function oneTest(steps: string, head = ''): string {
  return `name: s\n${head}tests:\n  - name: t\n    steps:\n${steps}`;
}

const log = (name: string, message: string) => `      - { name: ${name}, plugin: log, config: { message: ${JSON.stringify(message)} } }\n`;
const get = (name: string, url: string, rest = '') =>
  `      - { name: ${name}, plugin: http, config: { method: GET, url: ${JSON.stringify(url)} }${rest} }\n`;

describe('dsl/check-templates', () => {
  it('finds nothing in a suite whose templates are all fine, and nothing in one without templates', () => {
    const yaml = oneTest(
      get('create', '{{ .vars.base }}/jobs', ', save: [{ json_path: .id, as: job_id }]') +
        get('read', '{{ .vars.base }}/jobs/{{ job_id }}') +
        log('say', 'job {{ job_id }} at {{ base }}'),
      'vars: { base: "http://x" }\n',
    );
    expect(check(yaml)).to.deep.equal({ errors: [], warnings: [] });
    expect(check(oneTest(log('plain', 'no templates')))).to.deep.equal({ errors: [], warnings: [] });
  });

  describe('syntax', () => {
    it('an unclosed "{{": located at the "{{", a caret under it (the issue example)', () => {
      const yaml = oneTest(
        [
          '      - name: health',
          '        plugin: http',
          '        config:',
          '          method: GET',
          '          url: "{{ .vars.api_url }/health"',
          '',
        ].join('\n'),
        'vars: { api_url: "http://x" }\n',
      );
      const [error, ...more] = check(yaml).errors;
      expect(more).to.deep.equal([]);
      expect(formatDslError(error!)).to.equal(
        [
          'suite.yaml:10:17: invalid template: unclosed "{{" (no "}}" follows; write \\{{ for a literal "{{")',
          '  at tests[0].steps[0].config.url',
          '   |',
          '10 |           url: "{{ .vars.api_url }/health"',
          '   |                 ^^',
        ].join('\n'),
      );
    });

    it('what is not a reference: the caret under the offending character; an empty {{ }} underlined whole', () => {
      expect(errorsOf(oneTest(log('a', 'x {{ a b }}') + log('b', 'y {{ }} z')))).to.deep.equal([
        '5:60 invalid template: unexpected "b" in "{{ a b }}"; a reference looks like {{ name }}, {{ a.b }}, {{ .vars.name }}, {{ .env.NAME }} or {{ .secrets.NAME }}',
        '6:55 invalid template: empty template "{{ }}"; a reference looks like {{ name }}, {{ a.b }}, {{ .vars.name }}, {{ .env.NAME }} or {{ .secrets.NAME }}',
      ]);
      const [, empty] = check(oneTest(log('a', 'x {{ a b }}') + log('b', 'y {{ }} z'))).errors;
      expect(empty?.length).to.equal(5);
    });

    it('escaped openers are text, not templates', () => {
      expect(errorsOf(oneTest(log('a', 'literal \\{{ not_a_var }} and \\\\{{ nor_this }}')))).to.deep.equal([]);
    });
  });

  describe('{{ .vars.X }}', () => {
    const vars = 'vars:\n  api_url: "http://x"\n  auth: { token: abc }\n  items: [a, b]\n';

    it('must be a var: did you mean, and the vars there are', () => {
      const [error] = check(oneTest(log('a', '{{ .vars.api_ur }}'), vars)).errors;
      expect(error).to.deep.include({
        line: 9,
        col: 53,
        path: 'tests[0].steps[0].config.message',
        message: 'undefined variable ".vars.api_ur"; did you mean ".vars.api_url"?',
        expected: "a var (the file's vars, --var-file and --var): .vars.api_url, .vars.auth, .vars.items",
        found: '".vars.api_ur"',
        length: 18,
      });
    });

    it('walks the whole path: a missing key, a list index, a scalar with no fields', () => {
      expect(
        errorsOf(oneTest(log('a', '{{ .vars.auth.tokn }} {{ .vars.items.1 }} {{ .vars.items.2 }} {{ .vars.api_url.host }}'), vars)),
      ).to.deep.equal([
        '9:53 undefined variable ".vars.auth.tokn"; did you mean ".vars.auth.token"?',
        '9:95 undefined variable ".vars.items.2"',
        '9:115 undefined variable ".vars.api_url.host": .vars.api_url is a string ("http://x"), which has no field "host"',
      ]);
    });

    it("counts the vars the run gives (the file's with --var-file and --var merged over)", () => {
      const yaml = oneTest(log('a', '{{ .vars.version }} {{ .vars.auth.user }}'), vars);
      expect(errorsOf(yaml)).to.have.length(2);
      expect(errorsOf(yaml, { vars: { api_url: 'x', version: '1.10', auth: { token: 't', user: 'u' } } })).to.deep.equal([]);
    });

    it('a bare {{ name }} that is a var is checked the same way (the root name counts)', () => {
      expect(errorsOf(oneTest(log('a', '{{ api_url }} {{ auth.token }} {{ auth.tokn }}'), vars))).to.deep.equal([
        '9:84 undefined variable "auth.tokn"; did you mean "auth.token"?',
      ]);
    });
  });

  describe('a bare {{ name }}: what an earlier step in scope may save', () => {
    it('a later step of the same test: says which, and that it runs after', () => {
      const yaml = oneTest(
        get('read', 'http://x/jobs/{{ job_id }}') + get('create', 'http://x/jobs', ', save: [{ json_path: .id, as: job_id }]'),
      );
      expect(errorsOf(yaml)).to.deep.equal(['5:80 undefined variable "job_id": step "create" (line 6) saves it, but runs after this step']);
    });

    it('the step itself: its templates (assertions included) see only what was saved before it', () => {
      const yaml = oneTest(
        get(
          'create',
          'http://x/{{ id }}',
          ', assertions: [{ type: json_path, path: .id, expected: "{{ id }}" }], save: [{ json_path: .id, as: id }]',
        ),
      );
      const errors = errorsOf(yaml);
      expect(errors).to.have.length(2);
      for (const e of errors) expect(e).to.contain('undefined variable "id": this step saves it itself');
    });

    it('another test: names the test, and says what a step sees', () => {
      const yaml = [
        'name: s',
        'tests:',
        '  - name: login',
        '    steps:',
        '      - { name: auth, plugin: http, config: { method: POST, url: "http://x/login" }, save: [{ json_path: .token, as: token }] }',
        '  - name: use',
        '    steps:',
        '      - { name: me, plugin: http, config: { method: GET, url: "http://x/me?t={{ token }}" } }',
        '',
      ].join('\n');
      expect(errorsOf(yaml)).to.deep.equal([
        `8:78 undefined variable "token": step "auth" (line 5) of test "login" saves it, but a test's step sees only what the suite init and the test's own earlier steps save`,
      ]);
    });

    it('nowhere: did you mean, among the names saved before and the vars', () => {
      const yaml = oneTest(
        get('create', 'http://x', ', save: [{ json_path: .id, as: job_id }]') + log('say', '{{ jobid }} {{ nothing_like_it }}'),
        'vars: { base: b }\n',
      );
      const { errors } = check(yaml);
      expect(errors.map((e) => e.message)).to.deep.equal([
        'undefined variable "jobid"; did you mean "job_id"?',
        'undefined variable "nothing_like_it": no step before this one saves it, and no var has that name',
      ]);
      expect(errors[0]?.expected).to.equal('a name saved before this step, or a var: job_id, base');
    });

    it('the root name counts: {{ job.id }} needs job; a dotted saved name ({{ a.b }} after as: a.b) is found as the runtime finds it', () => {
      const yaml = oneTest(
        get('create', 'http://x', ', save: [{ json_path: .job, as: job }, { json_path: .x, as: a.b }]') +
          log('say', '{{ job.id }} {{ job.owner.name }} {{ a.b }} {{ a.b.c }} {{ a }}'),
      );
      expect(errorsOf(yaml)).to.deep.equal(['6:111 undefined variable "a": no step before this one saves it, and no var has that name']);
    });

    it("suite init saves reach every test and the suite cleanup; a test's saves reach neither another test nor the suite cleanup", () => {
      const yaml = [
        'name: s',
        'init:',
        '  - { name: boot, plugin: http, config: { method: POST, url: "http://x" }, save: [{ json_path: .id, as: suite_id }] }',
        '  - { name: after-boot, plugin: log, config: { message: "{{ suite_id }}" } }',
        'tests:',
        '  - name: t',
        '    steps:',
        '      - { name: mk, plugin: http, config: { method: POST, url: "http://x/{{ suite_id }}" }, save: [{ json_path: .id, as: test_id }] }',
        'cleanup:',
        '  always:',
        '    - { name: drop, plugin: log, config: { message: "{{ suite_id }} {{ test_id }}" } }',
        '',
      ].join('\n');
      expect(errorsOf(yaml)).to.deep.equal([
        `11:69 undefined variable "test_id": step "mk" (line 8) of test "t" saves it, but a suite cleanup step sees only what the suite init and the cleanup steps before it save`,
      ]);
    });

    it('a suite init step sees only the init steps before it', () => {
      const yaml = [
        'name: s',
        'init:',
        '  - { name: early, plugin: log, config: { message: "{{ late }}" } }',
        '  - { name: boot, plugin: http, config: { method: POST, url: "http://x" }, save: [{ json_path: .id, as: late }] }',
        'tests:',
        '  - { name: t, steps: [{ name: l, plugin: log, config: { message: "{{ late }}" } }] }',
        '',
      ].join('\n');
      expect(errorsOf(yaml)).to.deep.equal(['3:53 undefined variable "late": step "boot" (line 4) saves it, but runs after this step']);
    });

    it("a test's init saves reach its steps and its cleanup; its steps' saves reach its cleanup; on_failure's saves do not reach always", () => {
      const yaml = [
        'name: s',
        'tests:',
        '  - name: t',
        '    init:',
        '      - { name: i, plugin: http, config: { method: POST, url: "http://x" }, save: [{ json_path: .id, as: from_init }] }',
        '    steps:',
        '      - { name: s, plugin: http, config: { method: GET, url: "http://x/{{ from_init }}" }, save: [{ json_path: .id, as: from_steps }] }',
        '    cleanup:',
        '      on_failure:',
        '        - { name: dump, plugin: http, config: { method: GET, url: "http://x/{{ from_init }}/{{ from_steps }}" }, save: [{ json_path: .d, as: dump }] }',
        '        - { name: show, plugin: log, config: { message: "{{ dump }}" } }',
        '      always:',
        '        - { name: drop, plugin: log, config: { message: "{{ from_steps }} {{ dump }}" } }',
        '',
      ].join('\n');
      expect(errorsOf(yaml)).to.deep.equal([
        `13:75 undefined variable "dump": step "dump" (line 10) of test "t" saves it, but a test's cleanup step sees only what the suite init, its own test and the cleanup steps before it save`,
      ]);
    });
  });

  describe('what a step may save', () => {
    it('its save list (json_path and header as); http, delay and log save nothing of their own', () => {
      const yaml = oneTest(
        get('a', 'http://x', ', save: [{ json_path: .id, as: id }, { header: Location, as: where, required: false }]') +
          '      - { name: d, plugin: delay, config: { duration: 1ms } }\n' +
          log('b', '{{ id }} {{ where }} {{ status }} {{ body }}'),
      );
      expect(errorsOf(yaml).map((e) => e.replace(/^\S+ /, ''))).to.deep.equal([
        'undefined variable "status": no step before this one saves it, and no var has that name',
        'undefined variable "body": no step before this one saves it, and no var has that name',
      ]);
    });

    it('a JavaScript script: each save("name", ...) with a literal name', () => {
      const yaml = oneTest(
        [
          '      - name: js',
          '        plugin: script',
          '        config:',
          '          language: javascript',
          '          script: |',
          '            // save the id for later',
          "            save('one', 1);",
          '            save("two", 2);',
          '            save(`three`, 3);',
          '',
        ].join('\n') + log('b', '{{ one }} {{ two }} {{ three }} {{ four }}'),
      );
      expect(errorsOf(yaml)).to.deep.equal(['14:85 undefined variable "four": no step before this one saves it, and no var has that name']);
    });

    it('a save() whose name is not a literal: any name may be saved after that step (but not before it)', () => {
      const yaml = oneTest(
        log('before', '{{ computed }}') +
          "      - { name: js, plugin: script, config: { language: javascript, script: \"const k = 'comp' + 'uted'; save(k, 1);\" } }\n" +
          log('after', '{{ computed }} {{ anything_at_all }}'),
      );
      expect(errorsOf(yaml)).to.deep.equal([
        '5:58 undefined variable "computed": no step before this one saves it, and no var has that name',
      ]);
    });

    it('a shell script saves exit_code, stdout and stderr', () => {
      const yaml = oneTest(
        '      - { name: sh, plugin: script, config: { language: shell, script: "echo hi" } }\n' +
          log('b', '{{ exit_code }} {{ stdout }} {{ stderr }} {{ output }}'),
      );
      expect(errorsOf(yaml)).to.deep.equal([
        '6:95 undefined variable "output": no step before this one saves it, and no var has that name',
      ]);
    });

    it('a JavaScript file (read when the step runs) may save any name', () => {
      const yaml = oneTest(
        '      - { name: js, plugin: script, config: { language: javascript, file: x.js } }\n' + log('b', '{{ whatever }}'),
      );
      expect(errorsOf(yaml)).to.deep.equal([]);
    });

    it('maySave and stepTemplates, directly', () => {
      const suite = load(oneTest(get('a', 'http://x/{{ .vars.v }}', ', save: [{ json_path: .id, as: id }]'), 'vars: { v: 1 }\n'));
      const step = suite.suite.tests[0]!.steps[0]!;
      expect(maySave(step)).to.deep.equal({ names: ['id'], any: false });
      expect(stepTemplates(step, ['tests', 0, 'steps', 0])).to.deep.equal([
        { path: ['tests', 0, 'steps', 0, 'config', 'url'], key: false, text: 'http://x/{{ .vars.v }}' },
      ]);
    });

    it('a plugin registered by a program: its config is not read, and it may save any name', () => {
      const plugins = { ...builtinPluginCodecs, graphql: t.type({ query: t.string }) };
      const yaml = oneTest(
        '      - { name: q, plugin: graphql, config: { query: "select {{ not checked }}" } }\n' + log('b', '{{ row_count }}'),
      );
      expect(checkTemplates(load(yaml, { plugins }))).to.deep.equal({ errors: [], warnings: [] });
    });
  });

  describe('every templated place', () => {
    it('http: method, url, header names and values, body (string; map keys and values), form values, timeout, polling numbers and checks; assertions; save', () => {
      const yaml = [
        'name: s',
        'tests:',
        '  - name: t',
        '    steps:',
        '      - name: all',
        '        plugin: http',
        '        config:',
        '          method: "{{ m1 }}"',
        '          url: "http://x/{{ m2 }}"',
        '          headers:',
        '            "X-{{ m3 }}": "{{ m4 }}"',
        '          body:',
        '            "{{ m5 }}": ["{{ m6 }}"]',
        '          timeout: "{{ m7 }}s"',
        '          polling:',
        '            interval: "{{ m8 }}s"',
        '            timeout: "{{ m9 }}s"',
        '            max_attempts: "{{ m10 }}"',
        '            backoff_coefficient: "{{ m11 }}"',
        '            max_interval: "{{ m12 }}s"',
        '            jitter: "{{ m13 }}"',
        '            conditions: [{ type: json_path, path: .s, expected: "{{ m14 }}" }]',
        '            fail_conditions: [{ type: header, name: "{{ m15 }}", exists: true }]',
        '        assertions: [{ type: json_path, path: ".{{ m16 }}", exists: true }]',
        '        save: [{ json_path: ".{{ m17 }}", as: out }]',
        '        retry: { maximum_attempts: "{{ m18 }}", initial_interval: "{{ m19 }}s", maximum_interval: "{{ m20 }}s", backoff_coefficient: "{{ m21 }}" }',
        '      - { name: str, plugin: http, config: { method: POST, url: "http://x", body: "{\\"a\\": {{ m22 }}}" } }',
        '      - { name: form, plugin: http, config: { method: POST, url: "http://x", form: { "{{ not_rendered }}": "{{ m23 }}", tag: ["a", "{{ m24 }}"] } } }',
        '      - { name: log, plugin: log, config: { message: "{{ m25 }}" } }',
        '      - { name: delay, plugin: delay, config: { duration: "{{ m26 }}ms" } }',
        '      - { name: js, plugin: script, config: { language: javascript, script: "console.log({{ m27 }})", timeout: "{{ m28 }}s" } }',
        '',
      ].join('\n');
      const names = check(yaml).errors.map((e) => /"(m\d+)"/.exec(e.message)?.[1]);
      expect([...names].sort()).to.deep.equal(Array.from({ length: 28 }, (_, i) => `m${i + 1}`).sort());
    });

    it('places the runner does not render are not checked: names, vars, form keys, non_retryable_errors', () => {
      const yaml = [
        'name: "{{ suite }}"',
        'description: "{{ d }}"',
        'vars: { v: "{{ inside_a_var }}" }',
        'tests:',
        '  - name: "{{ test }}"',
        '    steps:',
        '      - name: "{{ step }}"',
        '        plugin: http',
        '        config: { method: POST, url: "http://x", form: { "{{ key }}": v } }',
        '        retry: { maximum_attempts: 2, non_retryable_errors: ["{{ e }}"] }',
        '',
      ].join('\n');
      expect(errorsOf(yaml)).to.deep.equal([]);
    });
  });

  describe('{{ .env.X }} and {{ .secrets.X }}', () => {
    const yaml = oneTest(log('a', '{{ .env.API_TOKEN }} {{ .secrets.PW }}') + log('b', '{{ .env.API_TOKEN }} {{ .env.HOME }}'));

    it('unset: a warning by default (validate), once per name at its first use, listing the lines; did you mean', () => {
      const { errors, warnings } = check(yaml, { env: { HOME: '/h', API_TOKN: 'x' }, secrets: ['PASSWORD'] });
      expect(errors).to.deep.equal([]);
      expect(warnings.map((w) => [w.line, w.col, w.message, w.lines])).to.deep.equal([
        [
          5,
          53,
          'the environment variable API_TOKEN is not set: {{ .env.API_TOKEN }} fails unless it is set when the suite runs (used on lines 5 and 6); did you mean ".env.API_TOKN"?',
          [5, 6],
        ],
        [5, 74, 'no --secret PW=VALUE was given: {{ .secrets.PW }} fails unless the run gives it', [5]],
      ]);
      expect(formatDslWarning(warnings[0]!)).to.equal(
        [
          `suite.yaml:5:53: warning: ${warnings[0]!.message}`,
          '  at tests[0].steps[0].config.message',
          '  |',
          `5 | ${log('a', '{{ .env.API_TOKEN }} {{ .secrets.PW }}').trimEnd()}`,
          `  | ${' '.repeat(52)}${'^'.repeat(20)}`,
        ].join('\n'),
      );
    });

    it("an error for run (unset: 'error')", () => {
      const { errors, warnings } = check(yaml, { env: { HOME: '/h' }, secrets: [], unset: 'error' });
      expect(warnings).to.deep.equal([]);
      expect(errors.map((e) => e.message)).to.deep.equal([
        'undefined variable ".env.API_TOKEN": the environment variable API_TOKEN is not set (set it, or give it in an --env-file) (used on lines 5 and 6)',
        'undefined variable ".secrets.PW": no --secret PW=VALUE was given',
      ]);
    });

    it('set, or given: nothing; an environment or secrets not given: not checked', () => {
      expect(check(yaml, { env: { API_TOKEN: 't', HOME: '/h' }, secrets: ['PW'], unset: 'error' })).to.deep.equal({
        errors: [],
        warnings: [],
      });
      expect(check(yaml, { unset: 'error' })).to.deep.equal({ errors: [], warnings: [] });
    });

    it('an environment variable set to undefined is unset', () => {
      expect(check(yaml, { env: { API_TOKEN: undefined, HOME: '/h' }, secrets: ['PW'] }).warnings).to.have.length(1);
    });
  });

  it('only: checks the tests chosen (suite init and cleanup always)', () => {
    const yaml = [
      'name: s',
      'init: [{ name: i, plugin: log, config: { message: "{{ bad_init }}" } }]',
      'tests:',
      '  - { name: a, steps: [{ name: s, plugin: log, config: { message: "{{ bad_a }}" } }] }',
      '  - { name: b, steps: [{ name: s, plugin: log, config: { message: "{{ bad_b }}" } }] }',
      '',
    ].join('\n');
    expect(check(yaml, { only: (name) => name === 'b' }).errors.map((e) => /"(\w+)"/.exec(e.message)?.[1])).to.deep.equal([
      'bad_init',
      'bad_b',
    ]);
  });

  describe('the caret points into the string as written', () => {
    it('a block scalar: the line and column of the template inside it', () => {
      const yaml = oneTest(
        [
          '      - name: js',
          '        plugin: script',
          '        config:',
          '          language: shell',
          '          script: |',
          '            echo one',
          '            echo "{{ missing }}" two',
          '',
        ].join('\n'),
      );
      const [error] = check(yaml).errors;
      expect(error).to.deep.include({ line: 11, col: 19, length: 13, source: '            echo "{{ missing }}" two' });
    });

    it('a double-quoted string with escapes before the template, a single-quoted one, a header name', () => {
      const yaml = oneTest(
        [
          '      - name: h',
          '        plugin: http',
          '        config:',
          '          method: GET',
          "          url: 'http://x/it''s/{{ one }}'",
          '          headers:',
          '            "X-\\t{{ two }}": "a\\"b\\u00e9 {{ three }}"',
          '',
        ].join('\n'),
      );
      expect(check(yaml).errors.map((e) => [e.line, e.col, e.length])).to.deep.equal([
        [9, 32, 9],
        [11, 18, 9],
        [11, 42, 11],
      ]);
    });

    it('a template folded over two lines: the "{{" is pointed at', () => {
      const yaml = oneTest(
        ['      - name: l', '        plugin: log', '        config:', '          message: "a {{', '            nope }}"', ''].join('\n'),
      );
      const [error] = check(yaml).errors;
      expect(error).to.deep.include({ line: 8, col: 23, length: 2 });
    });
  });

  it('reports at most MAX_ERRORS errors, saying how many more there are', () => {
    const steps = Array.from({ length: MAX_ERRORS + 5 }, (_, i) => log(`l${i}`, `{{ missing_${i} }}`)).join('');
    const { errors } = check(oneTest(steps));
    expect(errors).to.have.length(MAX_ERRORS);
    expect(errors[MAX_ERRORS - 1]?.message).to.match(/; 5 more errors follow, not shown \(only the first 100 are\)$/);
  });

  it('a 100 KB dotted name is checked in linear time', () => {
    const name = Array.from({ length: 50_000 }, () => 'a').join('.');
    const started = Date.now();
    const { errors } = check(oneTest(log('l', `{{ ${name} }}`), 'vars: { a: { b: 1 } }\n'));
    expect(Date.now() - started).to.be.below(2000);
    expect(errors).to.have.length(1);
  });

  // Rocketship's own suites are checked in specs/dsl/compat.spec.ts, the spec document's in specs/spec-doc.
  describe('the suites we ship and run', () => {
    it('every example passes (with the api_url the examples spec gives)', () => {
      const dirs = readdirSync(join(ROOT, 'examples'), { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'api');
      expect(dirs.length).to.be.at.least(8);
      for (const dir of dirs) {
        const loaded = loadSuiteFile(join(ROOT, 'examples', dir.name, 'rocketship.yaml'));
        if (loaded._tag === 'Left') return expect.fail(`${dir.name}: ${loaded.left[0]?.message}`);
        const vars = { ...loaded.right.suite.vars, api_url: 'http://127.0.0.1:1' };
        const { errors } = checkTemplates(loaded.right, { vars, env: process.env, secrets: [], unset: 'error' });
        expect(errors.map(formatDslError), dir.name).to.deep.equal([]);
      }
    });
  });

  describe('stepsInScope', () => {
    const yaml = [
      'name: s',
      'init:',
      '  - { name: login, plugin: log, config: { message: hi }, save: [{ json_path: .t, as: token }] }',
      'tests:',
      '  - name: first',
      '    steps:',
      '      - { name: Submit job, plugin: http, config: { method: POST, url: "http://x/jobs" }, save: [{ json_path: .id, as: job_id }] }',
      '      - { name: Resubmit, plugin: http, config: { method: POST, url: "http://x/jobs" }, save: [{ json_path: .id, as: job_id }] }',
      '      - { name: compute, plugin: script, config: { language: javascript, script: "save(k, 1)" } }',
      '      - { name: read, plugin: log, config: { message: x } }',
      '    cleanup:',
      '      always:',
      '        - { name: tidy, plugin: log, config: { message: x } }',
      '  - name: second',
      '    steps:',
      '      - { name: other, plugin: log, config: { message: x } }',
      'cleanup:',
      '  always:',
      '    - { name: bye, plugin: log, config: { message: x } }',
      '',
    ].join('\n');

    it('lists every step in run order with its path, list and test, and who saved each name before it', () => {
      const steps = stepsInScope(load(yaml));
      expect(steps.map((s) => `${s.kind} ${s.testIndex ?? '-'} ${s.path.join('.')} ${s.step.name}`)).to.deep.equal([
        'suite_init - init.0 login',
        'test 0 tests.0.steps.0 Submit job',
        'test 0 tests.0.steps.1 Resubmit',
        'test 0 tests.0.steps.2 compute',
        'test 0 tests.0.steps.3 read',
        'test_cleanup 0 tests.0.cleanup.always.0 tidy',
        'test 1 tests.1.steps.0 other',
        'suite_cleanup - cleanup.always.0 bye',
      ]);
      const by = (i: number, name: string) => steps[i]?.savedBy(name);
      expect([by(0, 'token'), by(1, 'token'), by(1, 'job_id'), by(2, 'job_id'), by(3, 'job_id')]).to.deep.equal([
        undefined,
        'login',
        undefined,
        'Submit job', // the first step that saves it
        'Submit job',
      ]);
      expect([by(5, 'job_id'), by(6, 'job_id'), by(7, 'token'), by(7, 'job_id')]).to.deep.equal([
        'Submit job',
        undefined,
        'login',
        undefined,
      ]);
      expect(steps.map((s) => s.anySavedBy ?? '-')).to.deep.equal(['-', '-', '-', '-', 'compute', 'compute', '-', '-']);
    });

    it('leaves out the tests `only` refuses, by name or by position', () => {
      const names = (only: (name: string, index: number) => boolean) => stepsInScope(load(yaml), only).map((s) => s.step.name);
      expect(names((name) => name === 'second')).to.deep.equal(['login', 'other', 'bye']);
      expect(names((_, index) => index === 0)).to.deep.equal(['login', 'Submit job', 'Resubmit', 'compute', 'read', 'tidy', 'bye']);
    });
  });
});

describe('dsl/check-templates: sql steps', () => {
  const sql = (name: string, command: string, rest = '') =>
    `      - { name: ${name}, plugin: sql, config: { driver: sqlite, dsn: ":memory:", commands: [${JSON.stringify(command)}] }${rest} }\n`;

  it('checks the commands and the DSN before the run; a sql_result save is in scope for later steps', () => {
    expect(errorsOf(oneTest(sql('a', 'SELECT {{ nope }}')))).to.deep.equal([
      '5:95 undefined variable "nope": no step before this one saves it, and no var has that name',
    ]);
    expect(
      errorsOf(
        oneTest(sql('a', 'SELECT 1 AS id', ', save: [{ sql_result: ".queries[0].rows[0].id", as: id }]') + sql('b', 'SELECT {{ id }}')),
      ),
    ).to.deep.equal([]);
  });

  it("leaves an undefined bare name in a sql step's assertions alone, as Rocketship does, but not a misspelt var", () => {
    const yaml = oneTest(
      sql(
        'a',
        'SELECT 1 AS x',
        ', assertions: [{ type: column_value, query_index: 0, row_index: 0, column: x, expected: "{{ placeholder }}" }]',
      ),
      'vars: { base: 1 }\n',
    );
    expect(errorsOf(yaml)).to.deep.equal([]);
    expect(errorsOf(oneTest(sql('a', 'SELECT 1', ', assertions: [{ type: query_count, expected: "{{ .vars.nope }}" }]')))).to.have.length(
      1,
    );
  });
});
