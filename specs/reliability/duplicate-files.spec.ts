import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { JsonReport } from '../../lib/report/json.js';
import { childrenNamed, junitProblems, parseXml } from '../helpers/junit-xml.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * Issue 11, item 7: the same suite file named twice runs once. Before, `-f a.yaml -f a.yaml`
 * (or `./a.yaml`, a link to it, a `-d` that finds it again) ran it twice, with its side effects
 * twice, and the reports folded both runs into one suite whose counts said `failed=0` for a run
 * that failed. Proved with a server that counts requests, and with the counts of the summary,
 * the JSON and the JUnit report. `npm run build` first: the CLI runs from dist/.
 */
describe('reliability: a suite file named twice runs once (process)', function () {
  this.timeout(30_000);
  let server: LocalServer;
  let dir: string;
  let suiteDir: string;
  let suite: string;
  const paths: string[] = [];

  before(async () => {
    server = await startLocalServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(req.url === '/fail' ? 500 : 200, { 'content-type': 'application/json' }).end('{}');
    });
    dir = mkdtempSync(join(tmpdir(), 'rocketship-twice-'));
    suiteDir = join(dir, 'suites');
    mkdirSync(suiteDir);
    suite = join(suiteDir, 'rocketship.yaml');
    const get = (path: string) => ({
      name: 'get',
      plugin: 'http',
      config: { method: 'GET', url: `${server.url}${path}` },
      assertions: [{ type: 'status_code', expected: 200 }],
    });
    writeFileSync(
      suite,
      stringify({
        name: 'twice',
        tests: [
          { name: 'passes', steps: [get('/ok')] },
          { name: 'fails', steps: [get('/fail')] },
        ],
      }),
    );
    symlinkSync(suite, join(dir, 'link.yaml'));
  });
  beforeEach(() => {
    paths.length = 0;
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: ReadonlyArray<{ label: string; args: string[]; given: string }> = [
    {
      label: '-f a.yaml -f a.yaml',
      args: ['-f', 'suites/rocketship.yaml', '-f', 'suites/rocketship.yaml'],
      given: '(-f suites/rocketship.yaml, then -f suites/rocketship.yaml)',
    },
    {
      label: '-f ./a.yaml -f a.yaml',
      args: ['-f', './suites/rocketship.yaml', '-f', 'suites/rocketship.yaml'],
      given: '(-f ./suites/rocketship.yaml, then -f suites/rocketship.yaml)',
    },
    {
      label: 'a file and a symbolic link to it',
      args: ['-f', 'suites/rocketship.yaml', '-f', 'link.yaml'],
      given: '(-f suites/rocketship.yaml, then -f link.yaml)',
    },
    {
      label: '-f plus a -d that finds it again',
      args: ['-f', 'suites/rocketship.yaml', '-d', 'suites'],
      given: '(-f suites/rocketship.yaml, then -d suites)',
    },
    { label: 'two overlapping -d', args: ['-d', '.', '-d', 'suites'], given: '(-d ., then -d suites)' },
  ];
  for (const c of cases) {
    it(`${c.label}: one run, one request per test, counts of one run in every report`, async () => {
      const json = join(dir, 'report.json');
      const junit = join(dir, 'junit.xml');
      const r = await runCli(['run', ...c.args, '--report', `json=${json}`, '--report', `junit=${junit}`], { cwd: dir });
      expect(r.code, r.stderr).to.equal(1);
      // Before: ['/ok', '/fail', '/ok', '/fail'] (in some order).
      expect([...paths].sort()).to.deep.equal(['/fail', '/ok']);
      expect(r.stderr).to.contain(`note: ${suite} is named twice ${c.given}: it runs once`);
      expect(r.stdout).to.match(/^1 passed, 1 failed, 0 skipped$/m);
      const report = JSON.parse(readFileSync(json, 'utf8')) as JsonReport;
      expect(report.summary).to.include({ passed: 1, failed: 1, skipped: 0, interrupted: 0 });
      expect(report.suites).to.have.length(1);
      expect(report.suites[0]?.tests.map((t) => `${t.name}:${t.result?._tag}`)).to.deep.equal(['passes:Passed', 'fails:Failed']);
      const xml = parseXml(readFileSync(junit, 'utf8'));
      expect(junitProblems(xml)).to.deep.equal([]);
      expect(xml.attributes).to.include({ tests: '2', failures: '1', errors: '0' });
      expect(childrenNamed(xml, 'testsuite')).to.have.length(1);
    });
  }

  it('validate: a file named twice, through a link or a directory, is validated once', async () => {
    const r = await runCli(['validate', 'suites/rocketship.yaml', './suites/rocketship.yaml', 'link.yaml', 'suites'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(0);
    // Before: four lines of ✓ and "4 files: 4 valid, 0 invalid".
    expect(r.stdout).to.equal('✓ suites/rocketship.yaml (2 tests)\n');
    expect(r.stderr).to.contain(
      `note: ${suite} is named twice (suites/rocketship.yaml, then ./suites/rocketship.yaml): it is validated once`,
    );
    expect(r.stderr).to.contain(`note: ${suite} is named twice (suites/rocketship.yaml, then link.yaml): it is validated once`);
    expect(r.stderr).to.contain(`note: ${suite} is named twice (suites/rocketship.yaml, then found in suites): it is validated once`);
    const asJson = await runCli(['validate', '--json', 'suites/rocketship.yaml', 'link.yaml'], { cwd: dir });
    expect(asJson.code).to.equal(0);
    expect((JSON.parse(asJson.stdout) as unknown[]).length).to.equal(1);
    expect(asJson.stderr).to.equal('');
  });
});
