import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { JsonReport } from '../../lib/report/json.js';
import { junitProblems, parseXml } from '../helpers/junit-xml.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { BIN, runCli, type CliResult } from '../helpers/run-cli.js';

/**
 * Issue 11, item 10: a run near the open-file limit. Before, `-d` over many suites ran every
 * suite at once (`--concurrency` bounded each suite, not the run), every test held a keep-alive
 * socket, and those sockets were still open when the reports were written: under `ulimit -n
 * 1024`, 1,010 polling tests failed to connect or passed and then both reports failed with
 * EMFILE. Now `--concurrency` bounds the tests of the whole run, `--max-connections` (default 64)
 * the sockets per host, idle sockets are closed before the reports are written, and a report
 * write retries on EMFILE. The server runs in the spec's process, the CLI in its own, with its
 * own limit. `npm run build` first.
 */
describe('reliability: many suites, few file descriptors (process)', function () {
  this.timeout(120_000);
  let server: LocalServer;
  let dir: string;
  /** Requests being answered now, and the most there ever were. */
  let inFlight = 0;
  let mostInFlight = 0;
  /** Polls seen per job id: a job is done at its third poll. */
  const polls = new Map<string, number>();

  before(async () => {
    server = await startLocalServer(async (req, res) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const url = new URL(req.url ?? '/', 'http://x');
      const id = url.pathname;
      const n = (polls.get(id) ?? 0) + 1;
      polls.set(id, n);
      const hold = Number(url.searchParams.get('hold') ?? '0');
      if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
      inFlight--;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: n >= 3 ? 'done' : 'running' }));
    });
    dir = mkdtempSync(join(tmpdir(), 'rocketship-fds-'));
  });
  beforeEach(() => {
    server.reset();
    inFlight = 0;
    mostInFlight = 0;
    polls.clear();
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `suites` directories under a fresh root, each with a rocketship.yaml of `tests` polling tests. */
  function suiteTree(tag: string, suites: number, tests: number, query = ''): string {
    const root = join(dir, tag);
    for (let s = 0; s < suites; s++) {
      mkdirSync(join(root, `s${s}`), { recursive: true });
      writeFileSync(
        join(root, `s${s}`, 'rocketship.yaml'),
        stringify({
          name: `${tag} ${s}`,
          tests: Array.from({ length: tests }, (_, t) => ({
            name: `job ${t}`,
            steps: [
              {
                name: 'wait for the job',
                plugin: 'http',
                config: {
                  method: 'GET',
                  url: `${server.url}/${tag}/${s}/${t}${query}`,
                  polling: { interval: '20ms', timeout: '30s', conditions: [{ type: 'json_path', path: '.status', expected: 'done' }] },
                },
              },
            ],
          })),
        }),
      );
    }
    return root;
  }

  it('--concurrency bounds the tests of the whole run, not of each suite', async () => {
    const root = suiteTree('bound', 5, 4, '?hold=100');
    const r = await runCli(['run', '-d', root, '--concurrency', '3']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^20 passed, 0 failed, 0 skipped$/m);
    // Before: 5 suites x 3 tests = 15 requests at once.
    expect(mostInFlight).to.equal(3);
  });

  it('1,010 polling tests over 101 suites under ulimit -n 1024: all pass, both reports written', async () => {
    const root = suiteTree('limit', 101, 10);
    const json = join(dir, 'limit.json');
    const junit = join(dir, 'limit.xml');
    const r = await new Promise<CliResult>((resolve, reject) => {
      const command = `ulimit -n 1024 && exec "${process.execPath}" -- "${BIN}" run -d "${root}" --concurrency 1010 --report "json=${json}" --report "junit=${junit}"`;
      const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    expect(r.stderr).not.to.contain('EMFILE');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^1010 passed, 0 failed, 0 skipped$/m);
    // 1,010 tests at once, but never more than 64 connections (the default --max-connections).
    expect(server.connections).to.be.at.most(64);
    const report = JSON.parse(readFileSync(json, 'utf8')) as JsonReport;
    expect(report.summary).to.include({ passed: 1010, failed: 0, started: true });
    const xml = parseXml(readFileSync(junit, 'utf8'));
    expect(junitProblems(xml)).to.deep.equal([]);
    expect(xml.attributes).to.include({ tests: '1010', failures: '0', errors: '0' });
  });

  it('--max-connections caps the sockets to one host', async () => {
    const root = suiteTree('sockets', 2, 10);
    const r = await runCli(['run', '-d', root, '--concurrency', '20', '--max-connections', '3']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^20 passed, 0 failed, 0 skipped$/m);
    expect(server.connections).to.be.at.most(3);
    expect(mostInFlight).to.be.at.most(3);
  });
});
