import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { runCli } from '../helpers/run-cli.js';

/** A line of a JavaScript stack trace (`    at fn (file.js:1:2)`). */
const STACK_TRACE = /^\s+at .*\.(js|ts|mjs):\d+/m;

/**
 * `validate` and `run` check every template before anything is sent (issue 12, point 2): the
 * real bin as a process, against a real local server that counts the requests it gets.
 */
describe('the CLI checks templates before anything runs (process)', function () {
  this.timeout(20_000);
  let server: LocalServer;
  let dir: string;

  before(async () => {
    server = await startLocalServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"j-1","token":"t0k"}');
    });
    dir = mkdtempSync(join(tmpdir(), 'rocketship-check-templates-'));
  });
  beforeEach(() => server.reset());
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, lines: readonly string[]): string => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };

  /** Two tests: the first is fine (it would send a request), the second has `bad` as a URL. */
  const suiteWith = (name: string, bad: string): string =>
    write(name, [
      'name: checked',
      'vars:',
      `  api_url: "${server.url}"`,
      'tests:',
      '  - name: fine',
      '    steps:',
      '      - name: create',
      '        plugin: http',
      '        config: { method: POST, url: "{{ .vars.api_url }}/jobs" }',
      '        save: [{ json_path: .id, as: job_id }]',
      '  - name: broken',
      '    steps:',
      '      - name: health',
      '        plugin: http',
      '        config:',
      '          method: GET',
      `          url: "${bad}"`,
    ]);

  describe('validate', () => {
    it('an unclosed "{{": file:line:col, the path, the line and a caret; exit 2', async () => {
      const file = suiteWith('unclosed.yaml', '{{ .vars.api_url }/health');
      const r = await runCli(['validate', file]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.equal(
        [
          `✗ ${file} (1 error)`,
          '',
          `${file}:17:17: invalid template: unclosed "{{" (no "}}" follows; write \\{{ for a literal "{{")`,
          '  at tests[1].steps[0].config.url',
          '   |',
          '17 |           url: "{{ .vars.api_url }/health"',
          '   |                 ^^',
          '',
          '',
        ].join('\n'),
      );
      expect(r.stderr).not.to.match(STACK_TRACE);
      expect(server.requests).to.equal(0);
    });

    it('a .vars name: did you mean; --var and --var-file count', async () => {
      const file = suiteWith('vars.yaml', '{{ .vars.api_ur }}/{{ .vars.version }}/health');
      const r = await runCli(['validate', file]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain(`${file}:17:17: undefined variable ".vars.api_ur"; did you mean ".vars.api_url"?`);
      expect(r.stderr).to.contain(`${file}:17:36: undefined variable ".vars.version"`);
      const varFile = write('vars-file.yaml', ['api_ur: http://elsewhere']);
      const ok = await runCli(['validate', file, '--var-file', varFile, '--var', 'version=1.10']);
      expect(ok.code, ok.stderr).to.equal(0);
      expect(ok.stdout).to.equal(`✓ ${file} (2 tests)\n`);
    });

    it('a name saved only in another test is an error that says where it is saved', async () => {
      const file = suiteWith('scope.yaml', '{{ .vars.api_url }}/jobs/{{ job_id }}');
      const r = await runCli(['validate', file]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain(
        `${file}:17:42: undefined variable "job_id": step "create" (line 7) of test "fine" saves it, but a test's step sees only what the suite init and the test's own earlier steps save`,
      );
      expect(r.stderr).to.contain(`   | ${' '.repeat(41)}${'^'.repeat(12)}`);
    });

    it('an unset .env name is a warning (exit 0), gone with --env-file or the environment; --json carries it', async () => {
      const file = suiteWith('env.yaml', '{{ .vars.api_url }}/health?u={{ .env.CHECK_TEMPLATES_USER }}');
      const r = await runCli(['validate', file], { env: { CHECK_TEMPLATES_USER: undefined } });
      expect(r.code).to.equal(0);
      expect(r.stdout).to.equal(`✓ ${file} (2 tests)\n`);
      expect(r.stderr).to.contain(
        `${file}:17:46: warning: the environment variable CHECK_TEMPLATES_USER is not set: {{ .env.CHECK_TEMPLATES_USER }} fails unless it is set when the suite runs`,
      );
      expect(r.stderr).to.contain(`   | ${' '.repeat(45)}${'^'.repeat(31)}`);
      const envFile = write('.env', ['CHECK_TEMPLATES_USER=me']);
      const withFile = await runCli(['validate', file, '--env-file', envFile], { env: { CHECK_TEMPLATES_USER: undefined } });
      expect([withFile.code, withFile.stderr]).to.deep.equal([0, '']);
      const withEnv = await runCli(['validate', file], { env: { CHECK_TEMPLATES_USER: 'me' } });
      expect([withEnv.code, withEnv.stderr]).to.deep.equal([0, '']);

      const json = await runCli(['validate', '--json', file], { env: { CHECK_TEMPLATES_USER: undefined } });
      expect(json.code).to.equal(0);
      const [result] = JSON.parse(json.stdout) as Array<{ valid: boolean; warnings: Array<{ line: number; col: number; path: string }> }>;
      expect(result?.valid).to.equal(true);
      expect(result?.warnings.map((w) => [w.line, w.col, w.path])).to.deep.equal([[17, 46, 'tests[1].steps[0].config.url']]);
    });

    it('a .secrets name not given is a warning; --secret NAME names it', async () => {
      const file = suiteWith('secret.yaml', '{{ .vars.api_url }}/health?k={{ .secrets.API_KEY }}');
      const r = await runCli(['validate', file]);
      expect(r.code).to.equal(0);
      expect(r.stderr).to.contain('warning: no --secret API_KEY=VALUE was given: {{ .secrets.API_KEY }} fails unless the run gives it');
      const named = await runCli(['validate', file, '--secret', 'API_KEY']);
      expect([named.code, named.stderr]).to.deep.equal([0, '']);
    });
  });

  describe('run', () => {
    it('a template error anywhere: exit 2 before the first request (the server counts 0), file:line:col and a caret, and the report says why', async () => {
      const file = suiteWith('run-bad.yaml', '{{ .vars.api_url }/health');
      const report = join(dir, 'report.json');
      const r = await runCli(['run', '-f', file, '--report', `json=${report}`]);
      expect(r.code).to.equal(2);
      expect(server.requests).to.equal(0);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.contain(`${file}:17:17: invalid template: unclosed "{{"`);
      expect(r.stderr).to.contain('17 |           url: "{{ .vars.api_url }/health"\n   |                 ^^');
      expect(r.stderr).not.to.match(STACK_TRACE);
      const json = JSON.parse(readFileSync(report, 'utf8')) as { errors: Array<Record<string, unknown>> };
      expect(json.errors).to.have.length(1);
      expect(json.errors[0]).to.deep.include({ kind: 'input', file, line: 17, col: 17, path: 'tests[1].steps[0].config.url' });
    });

    it('an undefined name, a misspelt var: exit 2, nothing sent; fixed, the same suite runs', async () => {
      const bad = suiteWith('run-names.yaml', '{{ .vars.api_url }}/jobs/{{ job_idd }}');
      const r = await runCli(['run', '-f', bad]);
      expect(r.code).to.equal(2);
      expect(server.requests).to.equal(0);
      expect(r.stderr).to.contain('undefined variable "job_idd": no step before this one saves it, and no var has that name');
      const good = suiteWith('run-good.yaml', '{{ .vars.api_url }}/health');
      const ok = await runCli(['run', '-f', good]);
      expect(ok.code, ok.stdout + ok.stderr).to.equal(0);
      expect(server.requests).to.equal(2);
    });

    it('an unset .env name is an error for run (it is only a warning for validate); set, it runs', async () => {
      const file = suiteWith('run-env.yaml', '{{ .vars.api_url }}/health?u={{ .env.CHECK_TEMPLATES_USER }}');
      const r = await runCli(['run', '-f', file], { env: { CHECK_TEMPLATES_USER: undefined } });
      expect(r.code).to.equal(2);
      expect(server.requests).to.equal(0);
      expect(r.stderr).to.contain(
        `${file}:17:46: undefined variable ".env.CHECK_TEMPLATES_USER": the environment variable CHECK_TEMPLATES_USER is not set (set it, or give it in an --env-file)`,
      );
      const ok = await runCli(['run', '-f', file], { env: { CHECK_TEMPLATES_USER: 'me' } });
      expect(ok.code, ok.stdout + ok.stderr).to.equal(0);
    });

    it('checks only the tests that run: --test leaves out the broken one', async () => {
      const file = suiteWith('run-only.yaml', '{{ .vars.api_url }/health');
      const r = await runCli(['run', '-f', file, '--test', 'fine']);
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      expect(server.requests).to.equal(1);
    });

    it('a name a script computes counts as possibly saved; when the script does not save it, the runtime error stays', async () => {
      const file = write('computed.yaml', [
        'name: computed',
        'tests:',
        '  - name: t',
        '    steps:',
        '      - name: js',
        '        plugin: script',
        "        config: { language: javascript, script: \"const k = process_name(); function process_name() { return 'nam' + 'ed'; } save(k, 1);\" }",
        '      - name: says',
        '        plugin: log',
        '        config: { message: "{{ named }} {{ never_saved }}" }',
      ]);
      const r = await runCli(['run', '-f', file]);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.contain('undefined variable "never_saved"');
    });
  });
});
