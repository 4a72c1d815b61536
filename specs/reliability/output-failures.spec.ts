import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { JsonReport } from '../../lib/report/json.js';
import { junitProblems, parseXml } from '../helpers/junit-xml.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { BIN } from '../helpers/run-cli.js';

/**
 * Issue 11, item 11: console output that cannot be written never changes the run. Before, a
 * closed pipe (`rocketship run ... | head -1`) or a full disk (`> /dev/full`) made Node emit an
 * `'error'` event nobody listened to: the runner died mid-run with an uncaught EPIPE/ENOSPC,
 * without its suite cleanup, without reports, with exit code 1 (a decode error too, instead of
 * 2). Now the stream is dropped and the run ends as it would have. Real processes, real pipes,
 * the real /dev/full; a server counts the cleanup requests. `npm run build` first.
 */
describe('reliability: output failures (process)', function () {
  this.timeout(30_000);
  let server: LocalServer;
  let dir: string;
  const seen: string[] = [];

  before(async () => {
    server = await startLocalServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(req.url === '/fail' ? 500 : 200, { 'content-type': 'application/json' }).end('{}');
    });
    dir = mkdtempSync(join(tmpdir(), 'rocketship-output-'));
  });
  beforeEach(() => {
    seen.length = 0;
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * A suite that prints its first line at once and more after 300ms (by then a closed reader is
   * gone for sure) while it still runs, has one test that passes or fails, and a suite cleanup step.
   */
  const suiteFile = (tag: string, outcome: 'passes' | 'fails'): string => {
    const file = join(dir, `${tag}.yaml`);
    writeFileSync(
      file,
      stringify({
        name: tag,
        tests: [
          {
            name: 'test',
            steps: [
              { name: 'first', plugin: 'log', config: { message: 'a first line' } },
              { name: 'wait', plugin: 'delay', config: { duration: '300ms' } },
              // Printed mid-run, with the run still going for a while: a failed write is noticed.
              { name: 'second', plugin: 'log', config: { message: 'a second line' } },
              { name: 'wait more', plugin: 'delay', config: { duration: '200ms' } },
              {
                name: 'get',
                plugin: 'http',
                config: { method: 'GET', url: `${server.url}/${outcome === 'fails' ? 'fail' : 'ok'}` },
                assertions: [{ type: 'status_code', expected: 200 }],
              },
            ],
          },
        ],
        cleanup: { always: [{ name: 'tidy', plugin: 'http', config: { method: 'DELETE', url: `${server.url}/cleanup/${tag}` } }] },
      }),
    );
    return file;
  };
  const badFiles = (tag: string): string[] =>
    [1, 2, 3].map((n) => {
      const file = join(dir, `${tag}-bad-${n}.yaml`);
      writeFileSync(file, `name: bad ${n}\ntests: {}\n`);
      return file;
    });
  const reportArgs = (tag: string) => ['--report', `json=${join(dir, `${tag}.json`)}`, '--report', `junit=${join(dir, `${tag}.xml`)}`];

  /** Both reports were written (not left over: each spec uses fresh paths) and are well formed. */
  function reportsOf(tag: string): { json: JsonReport; junit: string } {
    const jsonPath = join(dir, `${tag}.json`);
    const junitPath = join(dir, `${tag}.xml`);
    expect(existsSync(jsonPath), 'JSON report written').to.equal(true);
    expect(existsSync(junitPath), 'JUnit report written').to.equal(true);
    const junit = readFileSync(junitPath, 'utf8');
    expect(junitProblems(parseXml(junit))).to.deep.equal([]);
    return { json: JSON.parse(readFileSync(jsonPath, 'utf8')) as JsonReport, junit };
  }

  /** Runs the CLI with stdout and stderr on `output`; resolves to its exit code and signal. */
  function runWith(
    args: readonly string[],
    output: 'closed pipe' | '/dev/full',
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const fds = output === '/dev/full' ? [openSync('/dev/full', 'w'), openSync('/dev/full', 'w')] : undefined;
    const child = spawn(process.execPath, ['--', BIN, ...args], {
      stdio: ['ignore', fds?.[0] ?? 'pipe', fds?.[1] ?? 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    fds?.forEach((fd) => closeSync(fd));
    // The reader goes away before the CLI has written a byte: its every write fails with EPIPE.
    child.stdout?.destroy();
    child.stderr?.destroy();
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal }));
    });
  }

  for (const output of ['closed pipe', '/dev/full'] as const) {
    describe(output, () => {
      before(function () {
        if (output === '/dev/full' && !existsSync('/dev/full')) this.skip();
      });

      it('a failing suite: runs to the end, cleanup reaches the server, reports written, exit 1', async () => {
        const tag = `fails-${output.replace(/\W/g, '')}`;
        const r = await runWith(['run', '-f', suiteFile(tag, 'fails'), ...reportArgs(tag)], output);
        // Before: exit 1 from the uncaught EPIPE/ENOSPC, before the request and the cleanup.
        expect(r).to.deep.equal({ code: 1, signal: null });
        expect(seen).to.deep.equal(['GET /fail', `DELETE /cleanup/${tag}`]);
        const { json, junit } = reportsOf(tag);
        expect(json.summary).to.include({ passed: 0, failed: 1, started: true });
        expect(json.suites[0]?.result?._tag).to.equal('Failed');
        expect(junit).to.match(/<failure[^>]*status_code/);
      });

      it('a passing suite: exit 0, not 1', async () => {
        const tag = `passes-${output.replace(/\W/g, '')}`;
        const r = await runWith(['run', '-f', suiteFile(tag, 'passes'), ...reportArgs(tag)], output);
        expect(r).to.deep.equal({ code: 0, signal: null });
        expect(seen).to.deep.equal(['GET /ok', `DELETE /cleanup/${tag}`]);
        expect(reportsOf(tag).json.summary).to.include({ passed: 1, failed: 0 });
      });

      it('files that do not decode: exit 2, not 1, and the reports say why', async () => {
        const tag = `bad-${output.replace(/\W/g, '')}`;
        const files = badFiles(tag);
        const r = await runWith(['run', ...files.flatMap((f) => ['-f', f]), ...reportArgs(tag)], output);
        expect(r).to.deep.equal({ code: 2, signal: null });
        const { json } = reportsOf(tag);
        expect(json.summary).to.include({ started: false, errors: 3 });
        expect(json.errors.map((e) => `${e.file}:${e.line}:${e.col}`)).to.deep.equal(files.map((f) => `${f}:2:8`));
      });
    });
  }

  it('| head -1 in a shell: the first line is shown, the run goes on to its cleanup and exit code (0, not 1)', async function () {
    const tag = 'head';
    const file = suiteFile(tag, 'passes');
    const codes = join(dir, 'head.codes');
    const script = `"${process.execPath}" -- "${BIN}" run -f "${file}" ${reportArgs(tag)
      .map((a) => `"${a}"`)
      .join(' ')} 2>&1 | head -1; echo "\${PIPESTATUS[@]}" > "${codes}"`;
    const first = await new Promise<string>((resolve, reject) => {
      const shell = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
      let out = '';
      shell.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
      shell.on('error', reject);
      shell.on('close', () => resolve(out));
    });
    expect(first).to.equal(`[${tag}] running 1 test from ${file}\n`);
    // rocketship's code, then head's. Before: 1 0 (the uncaught EPIPE).
    expect(readFileSync(codes, 'utf8').trim()).to.equal('0 0');
    expect(seen).to.deep.equal(['GET /ok', `DELETE /cleanup/${tag}`]);
    expect(reportsOf(tag).json.summary).to.include({ passed: 1, failed: 0 });
  });
});
