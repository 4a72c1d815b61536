import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import type { JsonReport } from '../../lib/report/json.js';
import { childrenNamed, junitProblems, parseXml, type XmlElement } from '../helpers/junit-xml.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { ROOT, runCli, type CliResult } from '../helpers/run-cli.js';

/** A line of a JavaScript stack trace. */
const STACK_TRACE = /^\s+at .*\.(js|ts|mjs):\d+/m;
const SECRET = 's3cr3t-token-value';
/** A report of an earlier run that passed: what a CI job would publish if it were left. */
const STALE_JUNIT =
  '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="rocketship-rx" tests="1" failures="0" errors="0" time="0.100"/>\n';
const STALE_JSON = '{"stale": true}\n';

/**
 * Issue 11, item 9: no stale report. On any exit, every requested report is written or removed,
 * never left from an earlier run: before, a run that stopped on bad input (exit 2) left the
 * previous run's junit.xml in place, and a CI job that publishes it showed green. A run that
 * never started gets reports that say so (JUnit: a testsuite per bad file with an `<error>`
 * testcase at file:line:col; JSON: `errors` and `summary.started: false`); a crash gets its
 * error entry beside what ran. Real processes; `npm run build` first.
 */
describe('reliability: reports on every exit (process)', function () {
  this.timeout(30_000);
  let server: LocalServer;
  let dir: string;
  let okSuite: string;

  before(async () => {
    server = await startLocalServer((req, res) => {
      if (req.url === '/hold') return; // never answers
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    dir = mkdtempSync(join(tmpdir(), 'rocketship-stale-'));
    okSuite = join(dir, 'ok.yaml');
    writeFileSync(
      okSuite,
      stringify({
        name: 'ok',
        tests: [{ name: 't', steps: [{ name: 'get', plugin: 'http', config: { method: 'GET', url: `${server.url}/ok` } }] }],
      }),
    );
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Fresh report paths holding an earlier run's reports. */
  function staleReports(tag: string): { json: string; junit: string; args: string[] } {
    const json = join(dir, `${tag}.json`);
    const junit = join(dir, `${tag}.xml`);
    writeFileSync(json, STALE_JSON);
    writeFileSync(junit, STALE_JUNIT);
    return { json, junit, args: ['--report', `json=${json}`, '--report', `junit=${junit}`] };
  }
  function read(paths: { json: string; junit: string }): { json: JsonReport; junit: XmlElement; junitText: string; jsonText: string } {
    const jsonText = readFileSync(paths.json, 'utf8');
    const junitText = readFileSync(paths.junit, 'utf8');
    expect(jsonText, "the JSON report is still the earlier run's").not.to.equal(STALE_JSON);
    expect(junitText, "the JUnit report is still the earlier run's").not.to.equal(STALE_JUNIT);
    const junit = parseXml(junitText);
    expect(junitProblems(junit)).to.deep.equal([]);
    return { json: JSON.parse(jsonText) as JsonReport, junit, junitText, jsonText };
  }
  const expectExit = (r: CliResult, code: number) => {
    expect(r.code, r.stderr).to.equal(code);
    expect(r.stderr).not.to.match(STACK_TRACE);
  };

  it('a suite file that does not decode: exit 2, a JUnit <error> testcase at file:line:col, JSON errors, run not started', async () => {
    const bad = join(dir, 'bad.yaml');
    // The secret sits on the line the error quotes.
    writeFileSync(
      bad,
      `name: bad\ntests:\n  - name: t\n    steps:\n      - name: s\n        plugin: http\n        config: { method: GET, url: "http://x", headerz: { Authorization: "Bearer ${SECRET}" } }\n`,
    );
    const reports = staleReports('bad');
    const r = await runCli(['run', '-f', okSuite, '-f', bad, '--secret', `TOKEN=${SECRET}`, ...reports.args]);
    expectExit(r, 2);
    const { json, junit, junitText, jsonText } = read(reports);
    expect(json.summary).to.deep.equal({ passed: 0, failed: 0, skipped: 0, interrupted: 0, errors: 1, started: false });
    expect(json.suites).to.deep.equal([]);
    expect(json.errors).to.have.length(1);
    expect(json.errors[0]).to.include({ kind: 'input', file: bad, line: 7, col: 49, path: 'tests[0].steps[0].config.headerz' });
    expect(json.errors[0]?.message).to.match(/^unknown key "headerz"/);
    // JUnit: the bad file as a testsuite, its error as a testcase; CI counts an error, not green.
    expect(junit.attributes).to.include({ tests: '1', failures: '0', errors: '1' });
    const [suite] = childrenNamed(junit, 'testsuite');
    expect(suite?.attributes).to.include({ name: bad, file: bad, errors: '1' });
    const error = childrenNamed(childrenNamed(suite as XmlElement, 'testcase')[0] as XmlElement, 'error')[0];
    expect(error?.attributes.type).to.equal('InputError');
    expect(error?.attributes.message).to.match(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:7:49: unknown key "headerz"`));
    // The source line with the secret is in the details, masked, as on stderr.
    expect(error?.text).to.contain('Authorization: "Bearer ***"');
    for (const text of [junitText, jsonText, r.stderr]) expect(text).not.to.contain(SECRET);
  });

  it('other input errors (a -d with no suite, a missing --var-file, no test matching): exit 2, each an entry', async () => {
    const reports = staleReports('inputs');
    const empty = mkdtempSync(join(dir, 'empty-'));
    const r = await runCli(['run', '-d', empty, '--var-file', join(dir, 'missing-vars.yaml'), ...reports.args]);
    expectExit(r, 2);
    const { json, junit } = read(reports);
    expect(json.summary).to.include({ started: false, errors: 2 });
    expect(json.errors.map((e) => e.message)).to.deep.equal([
      `-d ${empty}: no suite file found below it (looked for files named rocketship.yaml)`,
      `--var-file ${join(dir, 'missing-vars.yaml')}: no such file`,
    ]);
    expect(childrenNamed(junit, 'testsuite').map((s) => s.attributes.name)).to.deep.equal(['(input)']);
    expect(junit.attributes).to.include({ errors: '2' });

    const none = staleReports('no-match');
    const r2 = await runCli(['run', '-f', okSuite, '--test', 'nothing', ...none.args]);
    expectExit(r2, 2);
    expect(read(none).json.errors.map((e) => e.message)).to.deep.equal(['no test matches --test "nothing"']);
  });

  it('a usage error after (or before) the --report flags: exit 2, the reports say what was wrong', async () => {
    const reports = staleReports('usage');
    const r = await runCli([
      'run',
      '-f',
      okSuite,
      '--report',
      `json=${reports.json}`,
      '--concurrency',
      'zero',
      '--report',
      `junit=${reports.junit}`,
      '--secret',
      `PW=${SECRET}`,
      '--secret',
      SECRET,
    ]);
    expectExit(r, 2);
    expect(r.stderr).to.equal('rocketship: option --concurrency: expected an integer >= 1, got "zero"\n');
    const { json, junit } = read(reports);
    expect(json.summary).to.include({ started: false, errors: 1 });
    expect(json.errors).to.deep.equal([{ kind: 'usage', message: 'option --concurrency: expected an integer >= 1, got "zero"' }]);
    const error = childrenNamed(childrenNamed(childrenNamed(junit, 'testsuite')[0] as XmlElement, 'testcase')[0] as XmlElement, 'error')[0];
    expect(error?.attributes).to.include({ type: 'UsageError', message: 'option --concurrency: expected an integer >= 1, got "zero"' });

    // A malformed --secret is quoted by the message: masked in the report as on stderr.
    const secretUsage = staleReports('usage-secret');
    const r2 = await runCli(['run', '-f', okSuite, ...secretUsage.args, '--secret', SECRET]);
    expectExit(r2, 2);
    const read2 = read(secretUsage);
    expect(read2.json.errors[0]?.message).to.equal('option --secret: expected NAME=VALUE, got "***"');
    expect(read2.jsonText + read2.junitText + r2.stderr).not.to.contain(SECRET);
  });

  it("killed outright (SIGKILL) mid-run: the earlier run's reports are gone already", async () => {
    const hold = join(dir, 'hold.yaml');
    writeFileSync(
      hold,
      stringify({
        name: 'hold',
        tests: [{ name: 't', steps: [{ name: 'get', plugin: 'http', config: { method: 'GET', url: `${server.url}/hold` } }] }],
      }),
    );
    const reports = staleReports('killed');
    server.reset();
    const r = await runCli(['run', '-f', hold, ...reports.args], {
      onSpawn: (child) => void server.waitFor((s) => s.requests >= 1).then(() => child.kill('SIGKILL')),
    });
    expect(r.signal).to.equal('SIGKILL');
    expect(existsSync(reports.json), 'stale JSON report').to.equal(false);
    expect(existsSync(reports.junit), 'stale JUnit report').to.equal(false);
  });

  it('an uncaught exception mid-run: exit 1, no stack trace, the reports hold what ran and the internal error', async () => {
    // The CLI's main() in a process whose SIGUSR2 handler throws: an uncaught exception at the
    // moment the spec chooses, while a request is in flight, as a bug in the runner would be.
    const crashing = join(dir, 'crashing-cli.mjs');
    writeFileSync(
      crashing,
      `import { main } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist/cli/main.js')).href)};\n` +
        `process.on('SIGUSR2', () => { throw new TypeError('a bug in the runner (${SECRET})'); });\n` +
        'await main(process.argv.slice(2));\nprocess.exit(process.exitCode ?? 0);\n',
    );
    const hold = join(dir, 'crash.yaml');
    writeFileSync(
      hold,
      stringify({
        name: 'crash',
        tests: [
          { name: 'passes', steps: [{ name: 'get', plugin: 'http', config: { method: 'GET', url: `${server.url}/ok` } }] },
          {
            name: 'held',
            steps: [
              { name: 'wait', plugin: 'delay', config: { duration: '200ms' } },
              { name: 'get', plugin: 'http', config: { method: 'GET', url: `${server.url}/hold` } },
            ],
          },
        ],
      }),
    );
    const reports = staleReports('crash');
    server.reset();
    const r = await new Promise<CliResult>((resolve, reject) => {
      const child = spawn(process.execPath, [crashing, 'run', '-f', hold, '--secret', `T=${SECRET}`, ...reports.args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
      void server.waitFor((s) => s.requests >= 2).then(() => child.kill('SIGUSR2'));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    expectExit(r, 1);
    expect(r.stderr).to.contain('rocketship: internal error: a bug in the runner (***)');
    const { json, junit, jsonText, junitText } = read(reports);
    expect(json.errors).to.deep.equal([{ kind: 'internal', message: 'a bug in the runner (***)' }]);
    expect(json.summary).to.include({ passed: 1, started: true, errors: 1 });
    expect(json.suites[0]?.tests.map((t) => `${t.name}:${t.result?._tag ?? null}`)).to.deep.equal(['passes:Passed', 'held:null']);
    expect(childrenNamed(junit, 'testsuite').map((s) => s.attributes.name)).to.deep.equal(['crash', '(internal error)']);
    expect(junitText).to.match(/<error message="a bug in the runner \(\*\*\*\)" type="InternalError">/);
    expect(jsonText + junitText + r.stderr).not.to.contain(SECRET);
  });
});
