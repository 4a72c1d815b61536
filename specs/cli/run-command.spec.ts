import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startExampleApi, type ExampleApi } from '../../examples/api/server.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { BIN, ROOT, runCli } from '../helpers/run-cli.js';

/** A line of a JavaScript stack trace (`    at fn (file.js:1:2)`). */
const STACK_TRACE = /^\s+at .*\.(js|ts|mjs):\d+/m;

/**
 * `rocketship run` as a process (issue 12, items 3, 10, 11 and 12): which files it runs and how
 * it says it found none, that everything is checked before the first request, and the report
 * on stdout.
 */
describe('cli/run-command (process)', function () {
  this.timeout(30_000);
  let server: LocalServer;
  let dir: string;
  /** What the server saw, in order: `GET /path`, and `end /slow...` when a slow response went out. */
  const hits: string[] = [];

  before(async () => {
    server = await startLocalServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      if (req.url?.startsWith('/slow')) {
        setTimeout(() => {
          hits.push(`end ${req.url}`);
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        }, 300);
        return;
      }
      if (req.url?.startsWith('/fail')) return void res.writeHead(500).end('{"status":"broken"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    dir = mkdtempSync(join(tmpdir(), 'rocketship-run-command-'));
  });
  beforeEach(() => {
    hits.length = 0;
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  /** A suite file with one test getting `path` from the server. */
  const getSuite = (name: string, path: string, expected = 200): string =>
    write(
      name,
      `name: ${JSON.stringify(name)}\ntests:\n  - name: t\n    steps:\n      - { name: get, plugin: http, config: { method: GET, url: "${server.url}${path}" }, assertions: [{ type: status_code, expected: ${expected} }] }\n`,
    );

  describe('which files run (item 10)', () => {
    it('run a.yaml b.yaml, and run -f a.yaml b.yaml (as a shell glob gives them): both files', async () => {
      const a = getSuite('files/a.yaml', '/a');
      const b = getSuite('files/b.yaml', '/b');
      for (const args of [
        [a, b],
        ['-f', a, b],
        ['-af', a, b],
      ]) {
        hits.length = 0;
        const r = await runCli(['run', ...args]);
        expect(r.code, r.stderr).to.equal(0);
        expect([...hits].sort(), args.join(' ')).to.deep.equal(['GET /a', 'GET /b']);
        expect(r.stdout).to.match(/^2 passed, 0 failed, 0 skipped$/m);
      }
      // A shell glob, expanded by a real shell.
      hits.length = 0;
      // (Not spawnSync: the server answering the run lives in this process.)
      const status = await new Promise<number | null>((done) => {
        const child = spawn('/bin/sh', ['-c', `"${process.execPath}" -- "${BIN}" run files/*.yaml`], {
          cwd: dir,
          env: { ...process.env, NO_COLOR: '1' },
          stdio: 'ignore',
        });
        child.on('close', done);
      });
      expect(status).to.equal(0);
      expect([...hits].sort()).to.deep.equal(['GET /a', 'GET /b']);
    });

    it('--sequential: a file starts once the one before has ended; without it they run at once', async () => {
      const slow = getSuite('seq/1-slow.yaml', '/slow');
      const fast = getSuite('seq/2-fast.yaml', '/fast');
      const sequential = await runCli(['run', '--sequential', slow, fast]);
      expect(sequential.code, sequential.stderr).to.equal(0);
      expect(hits).to.deep.equal(['GET /slow', 'end /slow', 'GET /fast']);
      // The console shows one file, then the next.
      const order = sequential.stdout.split('\n').filter((l) => /running 1 test/.test(l));
      expect(order.map((l) => /\[(\S+)\]/.exec(l)?.[1])).to.deep.equal(['seq/1-slow.yaml', 'seq/2-fast.yaml']);

      hits.length = 0;
      const together = await runCli(['run', slow, fast]);
      expect(together.code, together.stderr).to.equal(0);
      expect(hits.indexOf('GET /fast')).to.be.below(hits.indexOf('end /slow'));
    });

    it("-d DIR: Rocketship's discovery, every *.yaml below a .rocketship folder but none in its tmp/", async () => {
      const root = join(dir, 'project');
      const suites = join(root, '.rocketship');
      getSuite('project/.rocketship/auth.yaml', '/auth');
      getSuite('project/.rocketship/jobs/poll.yaml', '/poll');
      // Scratch files: never read (this one does not even parse).
      write('project/.rocketship/tmp/scratch.yaml', 'name: [unclosed\n');
      write('project/.rocketship/jobs/tmp/out.yaml', 'not: a suite\n');
      const r = await runCli(['run', '-d', suites]);
      expect(r.code, r.stderr).to.equal(0);
      expect([...hits].sort()).to.deep.equal(['GET /auth', 'GET /poll']);
      // A directory given as a FILE is read as -d.
      hits.length = 0;
      const asFile = await runCli(['run', '.rocketship'], { cwd: root });
      expect(asFile.code, asFile.stderr).to.equal(0);
      expect(hits).to.have.length(2);
    });

    it('-d that finds nothing says what it looked for, and where the suites may be; nothing runs', async () => {
      const project = join(dir, 'nothing');
      getSuite('nothing/.rocketship/one.yaml', '/one');
      getSuite('nothing/smoke.yaml', '/smoke');
      const r = await runCli(['run', '-d', '.'], { cwd: project });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.equal(
        '-d .: no suite file found below it (looked for files named rocketship.yaml); -d .rocketship would run the 1 *.yaml file in it\n',
      );
      const empty = mkdtempSync(join(dir, 'empty-'));
      mkdirSync(join(empty, '.rocketship', 'tmp'), { recursive: true });
      writeFileSync(join(empty, '.rocketship', 'tmp', 'x.yaml'), 'name: x\n');
      const r2 = await runCli(['run', '-d', '.rocketship', '-d', 'missing'], { cwd: empty });
      expect(r2.code).to.equal(2);
      expect(r2.stderr).to.equal(
        '-d .rocketship: no suite file found below it (looked for *.yaml files (outside tmp/ directories))\n-d missing: no such directory\n',
      );
      const flat = mkdtempSync(join(dir, 'flat-'));
      writeFileSync(join(flat, 'a.yaml'), 'name: a\n');
      writeFileSync(join(flat, 'b.yaml'), 'name: b\n');
      const r3 = await runCli(['run', '-d', flat]);
      expect(r3.stderr).to.contain(
        `it holds 2 YAML files by other names (a.yaml, b.yaml): give them as FILEs (rocketship run ${flat}/*.yaml)`,
      );
      expect(hits).to.deep.equal([]);
    });
  });

  describe('what is wrong, said plainly (item 11)', () => {
    it('a missing file: "no such file: nope.yaml", no invented 1:1, nothing runs', async () => {
      const ok = getSuite('ok.yaml', '/ok');
      const r = await runCli(['run', 'nope.yaml', ok], { cwd: dir });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.equal('no such file: nope.yaml\n');
      expect(hits).to.deep.equal([]);
    });

    it('a bare `rocketship run` with no rocketship.yaml here asks for -f FILE or -d DIR', async () => {
      const empty = mkdtempSync(join(dir, 'bare-'));
      const r = await runCli(['run'], { cwd: empty });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.equal(`no rocketship.yaml here (${empty}): pass -f FILE or -d DIR (see rocketship run --help)\n`);
    });

    it('an unclosed quote points at the line where the quote opens', async () => {
      const file = write(
        'quote.yaml',
        'name: q\ntests:\n  - name: "unclosed\n    steps:\n      - { name: l, plugin: log, config: { message: hi } }\n',
      );
      const r = await runCli(['run', file]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.equal(
        [
          `${file}:3:11: YAML syntax error: this " is never closed: the string runs from here to the end of the file`,
          '  at tests[0].name',
          '  |',
          '3 |   - name: "unclosed',
          '  |           ^',
          '',
        ].join('\n'),
      );
    });

    it('an unknown flag gets a did-you-mean', async () => {
      const r = await runCli(['run', '--verbos', 'a.yaml']);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.equal('rocketship: unknown option --verbos for "run"; did you mean --verbose? (see rocketship run --help)\n');
      expect(r.stderr).not.to.match(STACK_TRACE);
    });
  });

  describe('options are checked before the run starts (item 3)', () => {
    it('a report path that is a directory, under a file, or an input: exit 2 before any request, and the good reports say why', async () => {
      const ok = getSuite('checked.yaml', '/checked');
      mkdirSync(join(dir, 'out'), { recursive: true });
      const good = join(dir, 'good.json');
      const r = await runCli(
        [
          'run',
          ok,
          '--report',
          'junit=out',
          '--report',
          `json=${join(ok, 'r.json')}`,
          '--report',
          `json=${ok}`,
          '--report',
          `json=${good}`,
        ],
        { cwd: dir },
      );
      expect(r.code).to.equal(2);
      expect(r.stderr).to.equal(
        [
          '--report junit=out: out is a directory; give a file path, such as out/junit.xml',
          `--report json=${join(ok, 'r.json')}: cannot create its directory: ${ok} is a file`,
          `--report json=${ok}: ${ok} is an input of the run; the report would overwrite it`,
          '',
        ].join('\n'),
      );
      expect(hits, 'nothing was sent').to.deep.equal([]);
      expect(readFileSync(ok, 'utf8')).to.contain('name: "checked.yaml"');
      const report = JSON.parse(readFileSync(good, 'utf8')) as { summary: { started: boolean }; errors: Array<{ message: string }> };
      expect(report.summary.started).to.equal(false);
      expect(report.errors.map((e) => e.message)).to.deep.equal(r.stderr.trimEnd().split('\n'));
    });
  });

  describe('OpenAPI documents are loaded before the run (issue 13)', () => {
    /** A document whose only parameter is `in: querry` (line 7). */
    const BROKEN = [
      'openapi: 3.0.3',
      'info: { title: Broken, version: "1.0" }',
      'paths:',
      '  /ok:',
      '    get:',
      '      parameters:',
      '        - { name: limit, in: querry, schema: { type: integer } }',
      '      responses:',
      '        "200": { description: ok }',
      '',
    ].join('\n');
    const GOOD =
      'openapi: 3.0.3\ninfo: { title: Good, version: "1.0" }\npaths:\n  /ok:\n    get:\n      responses:\n        "200": { description: ok }\n';
    /** A suite of one test whose http step is held to `spec`. */
    const contractSuite = (name: string, spec: string, steps = '') =>
      write(
        name,
        `name: contract\nopenapi:\n  spec: "${spec}"\ntests:\n  - name: t\n    steps:\n${steps}      - { name: get, plugin: http, config: { method: GET, url: "${server.url}/ok" } }\n`,
      );

    it('a broken document: exit 2 before any request, naming the suite line, the document line and the JSON pointer; reports say why', async () => {
      const doc = write('docs/broken.yaml', BROKEN);
      const file = contractSuite('broken-doc.yaml', './docs/broken.yaml');
      const json = join(dir, 'broken-doc.json');
      const junit = join(dir, 'broken-doc.xml');
      const r = await runCli(['run', file, '--report', `json=${json}`, '--report', `junit=${junit}`], { cwd: dir });
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr.split('\n').slice(0, 2)).to.deep.equal([
        `${file}:3:9: OpenAPI document ${doc}:7:30 is not valid: #/paths/~1ok/get/parameters/0/in: must be equal to one of the allowed values ("path", "query", "header", "cookie"); #/paths/~1ok/get/parameters/0: must have required property 'required'; #/paths/~1ok/get/parameters/0: must match exactly one schema in oneOf; #/paths/~1ok/get/parameters/0: must have required property '$ref'`,
        '  at openapi.spec',
      ]);
      expect(r.stderr).to.contain('3 |   spec: "./docs/broken.yaml"');
      expect(r.stderr).not.to.match(STACK_TRACE);
      expect(hits, 'nothing was sent').to.deep.equal([]);
      const report = JSON.parse(readFileSync(json, 'utf8')) as { summary: { started: boolean }; errors: Array<Record<string, unknown>> };
      expect(report.summary.started).to.equal(false);
      expect(report.errors[0]).to.include({ kind: 'input', file, line: 3, col: 9, path: 'openapi.spec' });
      expect(report.errors[0]?.['message']).to.contain(`${doc}:7:30 is not valid: #/paths/~1ok/get/parameters/0/in`);
      expect(readFileSync(junit, 'utf8')).to.contain(`${doc}:7:30 is not valid`);
    });

    it('a document that is nowhere: exit 2 naming both paths tried', async () => {
      const file = contractSuite('missing-doc.yaml', './no-such-api.yaml');
      const r = await runCli(['run', file], { cwd: dir });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain(
        `OpenAPI document ./no-such-api.yaml was not found: tried ${join(dir, 'no-such-api.yaml')} (the working directory), then ${join(dir, 'no-such-api.yaml')} (the suite file's folder)`,
      );
      expect(hits).to.deep.equal([]);
    });

    it('a spec given by --var is loaded at start too; a good one runs', async () => {
      write('docs/good.yaml', GOOD);
      write('docs/broken2.yaml', BROKEN);
      const file = contractSuite('var-doc.yaml', '{{ .vars.doc }}');
      const bad = await runCli(['run', file, '--var', 'doc=./docs/broken2.yaml'], { cwd: dir });
      expect(bad.code).to.equal(2);
      expect(bad.stderr).to.contain('broken2.yaml:7:30 is not valid');
      expect(hits).to.deep.equal([]);
      const good = await runCli(['run', file, '--var', 'doc=./docs/good.yaml'], { cwd: dir });
      expect(good.code, good.stderr).to.equal(0);
      expect(hits).to.deep.equal(['GET /ok']);
    });

    it('a spec that reads a saved value is loaded when its step runs: a broken one fails that step (exit 1)', async () => {
      write('docs/broken3.yaml', BROKEN);
      const file = write(
        'saved-doc.yaml',
        `name: saved
tests:
  - name: t
    steps:
      - { name: find, plugin: script, config: { language: javascript, script: 'save("doc", "./docs/broken3.yaml")' } }
      - { name: get, plugin: http, config: { method: GET, url: "${server.url}/ok", openapi: { spec: "{{ doc }}" } } }
`,
      );
      const r = await runCli(['run', file], { cwd: dir });
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stdout).to.contain('broken3.yaml:7:30 is not valid: #/paths/~1ok/get/parameters/0/in');
      expect(hits).to.deep.equal([]);
    });

    it('rocketship validate says so too', async () => {
      write('docs/broken4.yaml', BROKEN);
      const file = contractSuite('validate-doc.yaml', './docs/broken4.yaml');
      const r = await runCli(['validate', file], { cwd: dir });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain(`${file}:3:9: OpenAPI document ${join(dir, 'docs/broken4.yaml')}:7:30 is not valid`);
    });
  });

  describe('--report json=- (item 12)', () => {
    it('stdout is the JSON report alone, written once at the end; the console goes to stderr', async () => {
      const pass = getSuite('stdout/pass.yaml', '/ok');
      const fail = getSuite('stdout/fail.yaml', '/fail');
      const junit = join(dir, 'stdout.xml');
      const r = await runCli(['run', pass, fail, '--report', 'json=-', '--report', `junit=${junit}`]);
      expect(r.code).to.equal(1);
      const report = JSON.parse(r.stdout) as { summary: Record<string, unknown>; suites: unknown[] };
      expect(report.summary).to.include({ passed: 1, failed: 1 });
      expect(report.suites).to.have.length(2);
      expect(r.stderr).to.match(/^1 passed, 1 failed, 0 skipped$/m);
      expect(r.stderr).to.match(/\[stdout\/fail\.yaml\] \[t\] failed in /);
      expect(existsSync(join(dir, '-'))).to.equal(false);
      expect(readFileSync(junit, 'utf8')).to.match(/^<\?xml/);
    });

    it('a run that never started (bad input, a usage error) still writes its report to stdout', async () => {
      const bad = await runCli(['run', join(dir, 'missing.yaml'), '--report', 'json=-']);
      expect(bad.code).to.equal(2);
      expect(JSON.parse(bad.stdout)).to.deep.include({
        errors: [{ kind: 'input', file: join(dir, 'missing.yaml'), message: 'no such file' }],
      });
      expect(bad.stderr).to.equal(`no such file: ${join(dir, 'missing.yaml')}\n`);

      const usage = await runCli(['run', '--report', 'json=-', '--concurrency', 'zero']);
      expect(usage.code).to.equal(2);
      const report = JSON.parse(usage.stdout) as { summary: { started: boolean }; errors: Array<{ kind: string }> };
      expect(report.summary.started).to.equal(false);
      expect(report.errors[0]?.kind).to.equal('usage');
    });

    it('an interrupted run writes its report to stdout, once', async () => {
      const file = write(
        'stdout/poll.yaml',
        `name: poll\ntests:\n  - name: waits\n    steps:\n      - name: poll\n        plugin: http\n        config:\n          method: GET\n          url: "${server.url}/pending"\n          polling: { interval: 50ms, timeout: 1m, conditions: [{ type: json_path, path: .status, expected: done }] }\n`,
      );
      server.reset();
      const r = await runCli(['run', file, '--report', 'json=-'], {
        onSpawn: (child) => void server.waitFor((s) => s.requests >= 2).then(() => child.kill('SIGINT')),
      });
      expect(r.code, r.stderr).to.equal(130);
      const report = JSON.parse(r.stdout) as { suites: Array<{ tests: Array<{ result: { _tag: string } }> }> };
      expect(report.suites[0]?.tests[0]?.result._tag).to.equal('Interrupted');
    });
  });

  describe("Rocketship's own command line still works", () => {
    let api: ExampleApi;
    before(async () => {
      api = await startExampleApi({ port: 0 });
    });
    after(() => api.close());

    it('rocketship run -af examples/async-operations/rocketship.yaml (../shared/spec/async-polling.md), also with the new flags', async () => {
      const example = 'examples/async-operations/rocketship.yaml';
      for (const args of [
        ['-af', example],
        ['-f', example, '--sequential'],
        [example, '--report', 'json=-'],
      ]) {
        const r = await runCli(['run', ...args, '--var', `api_url=${api.url}`], { cwd: ROOT });
        expect(r.code, `${args.join(' ')}\n${r.stderr}`).to.equal(0);
        const summary = args.includes('json=-') ? r.stderr : r.stdout;
        expect(summary).to.match(/^\d+ passed, 0 failed, 0 skipped$/m);
      }
    });
  });
});
