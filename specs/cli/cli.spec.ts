import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { runCli } from '../helpers/run-cli.js';
import { junitProblems, parseXml } from '../helpers/junit-xml.js';
import { VERSION } from '../../lib/version.js';

/** A line of a JavaScript stack trace (`    at fn (file.js:1:2)`). */
const STACK_TRACE = /^\s+at .*\.(js|ts|mjs):\d+/m;

/** The CLI as a process: exit codes, output, reports and signals, against a real local server. */
describe('rocketship (process)', function () {
  this.timeout(20_000);
  let server: LocalServer;
  let dir: string;
  const hits: string[] = [];

  before(async () => {
    server = await startLocalServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      if (req.url?.startsWith('/slow')) return; // never answers
      if (req.url?.startsWith('/fail')) {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"status":"broken"}');
        return;
      }
      if (req.url?.startsWith('/pending')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"running"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, path: req.url }));
    });
    dir = mkdtempSync(join(tmpdir(), 'rocketship-cli-'));
  });
  beforeEach(() => {
    hits.length = 0;
  });
  after(() => server.close());

  const write = (name: string, text: string) => {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  const suiteFile = (name: string, tests: string) =>
    write(name, `name: ${JSON.stringify(name)}\nvars:\n  base: "${server.url}"\n  who: file\ntests:\n${tests}`);

  it('prints its version and help, exit 0', async () => {
    const version = await runCli(['--version']);
    expect(version.code).to.equal(0);
    expect(version.stdout.trim()).to.equal(`rocketship-rx ${VERSION}`);
    for (const args of [['--help'], ['run', '--help'], ['validate', '--help']]) {
      const help = await runCli(args);
      expect(help.code, args.join(' ')).to.equal(0);
      expect(help.stdout).to.match(/^Usage|rocketship:/m);
    }
  });

  it('exits 2 on a usage error, naming the flag, with no stack trace', async () => {
    const r = await runCli(['run', '--concurrency', 'zero']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('--concurrency').and.contain('"zero"');
    expect(r.stderr).not.to.match(STACK_TRACE);
  });

  it('exits 2 on a bad suite file, pointing at file:line:col, and runs nothing', async () => {
    const file = write(
      'bad.yaml',
      `name: bad\ntests:\n  - name: t\n    steps:\n      - name: s\n        plugin: http\n        config:\n          method: GET\n          url: "${server.url}/x"\n          polling:\n            intervall: 1s\n            timeout: 5s\n            conditions: [{ type: status_code, expected: 200 }]\n`,
    );
    const r = await runCli(['run', '-f', file]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain(`${file}:11:13`);
    expect(r.stderr).to.contain('intervall');
    expect(r.stderr).to.contain('interval');
    expect(r.stderr).not.to.match(STACK_TRACE);
    expect(hits).to.deep.equal([]);
  });

  it('exits 0 when every test passes, with the spec line `run -af FILE`', async () => {
    const file = suiteFile(
      'pass.yaml',
      `  - name: ok\n    steps:\n      - { name: get, plugin: http, config: { method: GET, url: "{{ .vars.base }}/ok" }, assertions: [{ type: status_code, expected: 200 }] }\n`,
    );
    const r = await runCli(['run', '-af', file]);
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/^1 passed, 0 failed, 0 skipped$/m);
    expect(hits).to.deep.equal(['GET /ok']);
  });

  it('exits 1 when a test fails, and writes JSON and JUnit reports that say why', async () => {
    const file = suiteFile(
      'fail.yaml',
      `  - name: broken\n    steps:\n      - { name: get, plugin: http, config: { method: GET, url: "{{ .vars.base }}/fail" }, assertions: [{ type: status_code, expected: 200 }] }\n  - name: fine\n    steps:\n      - { name: get, plugin: http, config: { method: GET, url: "{{ .vars.base }}/ok" } }\n`,
    );
    const json = join(dir, 'out/report.json');
    const junit = join(dir, 'out/junit.xml');
    const r = await runCli(['run', '-f', file, '--report', `json=${json}`, '--report', `junit=${junit}`]);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(/^1 passed, 1 failed, 0 skipped$/m);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      suites: Array<{ tests: Array<{ name: string; result: { _tag: string } }> }>;
    };
    expect(report.suites[0]?.tests.map((t) => `${t.name}:${t.result._tag}`).sort()).to.deep.equal(['broken:Failed', 'fine:Passed']);
    const xml = parseXml(readFileSync(junit, 'utf8'));
    expect(junitProblems(xml)).to.deep.equal([]);
    const text = readFileSync(junit, 'utf8');
    expect(text).to.match(/<failure[^>]*message="[^"]*status_code/);
  });

  it('writes an HTML report with --report html=PATH, secrets masked in it; --help lists it (issue 14, part 2)', async () => {
    const file = suiteFile(
      'html.yaml',
      `  - name: echo\n    steps:\n      - { name: get, plugin: http, config: { method: GET, url: "{{ .vars.base }}/echo?t={{ .secrets.tok }}" } }\n  - name: broken\n    steps:\n      - { name: get, plugin: http, config: { method: GET, url: "{{ .vars.base }}/fail" }, assertions: [{ type: status_code, expected: 200 }] }\n`,
    );
    const html = join(dir, 'out/report.html');
    const r = await runCli(['run', '-f', file, '--secret', 'tok=s3cr3t-in-url', '--report', `html=${html}`]);
    expect(r.code, r.stderr).to.equal(1);
    const page = readFileSync(html, 'utf8');
    expect(page).to.match(/^<!DOCTYPE html>/);
    expect(page).not.to.contain('s3cr3t-in-url');
    const open = '<script type="application/json" id="report-data">';
    const data = JSON.parse(page.slice(page.indexOf(open) + open.length, page.indexOf('</script>'))) as {
      summary: Record<string, unknown>;
      strings: string[];
    };
    expect(data.summary).to.include({ total: 2, passed: 1, failed: 1 });
    expect(data.strings.some((s) => s.includes('/echo?t=***'))).to.equal(true);
    expect((await runCli(['run', '--help'])).stdout).to.contain('html=PATH');
  });

  it('keeps two tests of the same name, and suite cleanup on_failure and always steps, apart in the summary and both reports', async () => {
    const get = (name: string, path: string) =>
      `{ name: ${name}, plugin: http, config: { method: GET, url: "{{ .vars.base }}${path}" }, assertions: [{ type: status_code, expected: 200 }] }`;
    const file = suiteFile(
      'same-names.yaml',
      `  - { name: same, steps: [${get('get', '/ok')}] }\n  - { name: same, steps: [${get('get', '/fail')}] }\ncleanup:\n  on_failure: [${get('dump', '/fail/dump')}]\n  always: [${get('drop', '/drop')}]\n`,
    );
    const json = join(dir, 'same-names.json');
    const junit = join(dir, 'same-names.xml');
    const r = await runCli(['run', '-f', file, '--report', `json=${json}`, '--report', `junit=${junit}`]);
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stdout).to.match(/^1 passed, 1 failed, 0 skipped$/m);
    expect(r.stdout).to.match(/^\[same-names\.yaml\] \[same\] passed in \S+$/m);
    expect(r.stdout).to.match(/^\[same-names\.yaml\] \[same \(2\)\] failed in \S+ at step "get"$/m);
    expect(r.stdout).to.match(/^\[same-names\.yaml\] \[suite cleanup on failure\] \[dump\] failed in /m);
    expect(r.stdout).to.match(/^\[same-names\.yaml\] \[suite cleanup\] \[drop\] passed in /m);
    expect([...hits].sort()).to.deep.equal(['GET /drop', 'GET /fail', 'GET /fail/dump', 'GET /ok']);

    type Report = {
      summary: Record<string, number>;
      suites: Array<{
        steps: Array<{ name: string; phase: string; index: number; result: { _tag: string } }>;
        tests: Array<{ name: string; index: number; line: number; result: { _tag: string } }>;
      }>;
    };
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.summary).to.deep.equal({ passed: 1, failed: 1, skipped: 0, interrupted: 0, errors: 0, started: true });
    expect(report.suites[0]?.tests.map((t) => [t.name, t.index, t.line, t.result._tag])).to.deep.equal([
      ['same', 0, 6, 'Passed'], // after name, vars (2 lines) and tests:
      ['same', 1, 7, 'Failed'],
    ]);
    expect(report.suites[0]?.steps.map((s) => [s.phase, s.index, s.name, s.result._tag])).to.deep.equal([
      ['suite_cleanup_on_failure', 0, 'dump', 'Failed'],
      ['suite_cleanup_always', 0, 'drop', 'Passed'],
    ]);

    const root = parseXml(readFileSync(junit, 'utf8'));
    expect(junitProblems(root)).to.deep.equal([]);
    expect(root.attributes).to.deep.include({ tests: '2', failures: '1', errors: '0' });
    const testsuite = root.children[0]!;
    const cases = testsuite.children.filter((c) => c.name === 'testcase');
    expect(cases.map((c) => [c.attributes.name, c.children.some((x) => x.name === 'failure')])).to.deep.equal([
      ['same', false],
      ['same (2)', true],
    ]);
    const out = testsuite.children.find((c) => c.name === 'system-out')?.text ?? '';
    expect(out).to.match(/^\[suite cleanup on failure\] \[dump\] failed in /m);
    expect(out).to.match(/^\[suite cleanup\] \[drop\] passed in /m);
  });

  it('applies --var over --var-file over the file vars, and reads --env-file without overriding the environment', async () => {
    const file = suiteFile(
      'vars.yaml',
      `  - name: t\n    steps:\n      - { name: get, plugin: http, config: { method: GET, url: "{{ .vars.base }}/v?who={{ .vars.who }}&n={{ .vars.deep.n }}&e={{ .env.FROM_FILE }}&p={{ .env.FROM_PROCESS }}" } }\n`,
    );
    const varFile = write('vars-file.yaml', 'who: var-file\ndeep: { n: 1 }\n');
    const envFile = write('.env', '# comment\nFROM_FILE=file-value\nFROM_PROCESS=loses\n');
    const r = await runCli(['run', '-f', file, '--var-file', varFile, '--var', 'deep.n=2', '--env-file', envFile], {
      env: { FROM_PROCESS: 'process-wins' },
    });
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(hits).to.deep.equal(['GET /v?who=var-file&n=2&e=file-value&p=process-wins']);
    const r2 = await runCli(['run', '-f', file, '--var-file', varFile, '--var', 'who=cli', '--var', 'deep.n=3', '--env-file', envFile]);
    expect(r2.code).to.equal(0);
    expect(hits[1]).to.equal('GET /v?who=cli&n=3&e=file-value&p=loses');
  });

  it('names the flag and line of a bad --env-file or --var-file, exit 2', async () => {
    const file = suiteFile('ok.yaml', `  - name: t\n    steps: [{ name: l, plugin: log, config: { message: hi } }]\n`);
    const envFile = write('bad.env', 'GOOD=1\nthis line is wrong\n');
    const r = await runCli(['run', '-f', file, '--env-file', envFile]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain(`--env-file ${envFile}:2`);
    const varFile = write('bad-vars.yaml', 'a: 1\nb: [unclosed\n');
    const r2 = await runCli(['run', '-f', file, '--var-file', varFile]);
    expect(r2.code).to.equal(2);
    expect(r2.stderr).to.contain(`--var-file ${varFile}:`);
  });

  it('runs only the tests chosen by --test and --grep; none matching is exit 2', async () => {
    const file = suiteFile(
      'filter.yaml',
      `  - { name: alpha, steps: [{ name: a, plugin: http, config: { method: GET, url: "{{ .vars.base }}/alpha" } }] }\n  - { name: beta, steps: [{ name: b, plugin: http, config: { method: GET, url: "{{ .vars.base }}/beta" } }] }\n  - { name: gamma, steps: [{ name: g, plugin: http, config: { method: GET, url: "{{ .vars.base }}/gamma" } }] }\n`,
    );
    const r = await runCli(['run', '-f', file, '--test', 'alpha', '--grep', '^gam']);
    expect(r.code).to.equal(0);
    expect([...hits].sort()).to.deep.equal(['GET /alpha', 'GET /gamma']);
    const none = await runCli(['run', '-f', file, '--test', 'delta']);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.contain('no test matches');
  });

  it('-d runs every rocketship.yaml below a directory', async () => {
    const base = join(dir, 'tree');
    for (const name of ['a', 'b/c']) {
      mkdirSync(join(base, name), { recursive: true });
      writeFileSync(
        join(base, name, 'rocketship.yaml'),
        `name: ${name}\ntests:\n  - { name: t, steps: [{ name: s, plugin: http, config: { method: GET, url: "${server.url}/${name}" } }] }\n`,
      );
    }
    const r = await runCli(['run', '-d', base]);
    expect(r.code, r.stderr).to.equal(0);
    expect([...hits].sort()).to.deep.equal(['GET /a', 'GET /b/c']);
    expect(r.stdout).to.match(/^2 passed, 0 failed, 0 skipped$/m);
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`on ${signal} during a poll: aborts it, runs cleanup, writes reports, exits ${code}`, async () => {
      const file = suiteFile(
        `signal-${signal}.yaml`,
        `  - name: waits\n    steps:\n      - name: poll\n        plugin: http\n        config:\n          method: GET\n          url: "{{ .vars.base }}/pending"\n          polling: { interval: 50ms, timeout: 1m, conditions: [{ type: json_path, path: .status, expected: done }] }\n      - { name: never, plugin: log, config: { message: never } }\n    cleanup:\n      always:\n        - { name: tidy, plugin: http, config: { method: DELETE, url: "{{ .vars.base }}/cleanup" } }\n`,
      );
      const junit = join(dir, `signal-${signal}.xml`);
      const json = join(dir, `signal-${signal}.json`);
      server.reset();
      const run = runCli(['run', '-f', file, '--report', `junit=${junit}`, '--report', `json=${json}`], {
        onSpawn: (child) => {
          // signal once the poll is under way (two requests seen)
          void server.waitFor((s) => s.requests >= 2).then(() => child.kill(signal));
        },
      });
      const r = await run;
      expect(r.code, r.stderr).to.equal(code);
      expect(hits.filter((h) => h === 'GET /pending').length).to.be.greaterThanOrEqual(2);
      expect(hits.at(-1)).to.equal('DELETE /cleanup');
      expect(r.stdout).to.contain('interrupted');
      expect(r.stdout).to.contain('[never] skipped');
      expect(r.stderr).not.to.match(STACK_TRACE);
      expect(existsSync(junit)).to.equal(true);
      expect(junitProblems(parseXml(readFileSync(junit, 'utf8')))).to.deep.equal([]);
      const report = JSON.parse(readFileSync(json, 'utf8')) as { suites: Array<{ tests: Array<{ result: { _tag: string } }> }> };
      expect(report.suites[0]?.tests[0]?.result._tag).to.equal('Interrupted');
    });
  }
});
