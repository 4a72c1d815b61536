import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';

/*
 * Issue 11, item 2: a JSON body nested 5,000 levels deep aborted the whole run with "Maximum call
 * stack size exceeded" (the redactor walked it recursively): other suites' cleanup never ran and
 * JUnit marked every test Interrupted. Without a secret it broke the JSON report (JSON.stringify),
 * `exists`/`value_type` checks on it (their messages stringified the whole value) and `$..x`
 * paths (jsonpath recurses). Here the body is 100,000 levels deep, through the CLI as a process,
 * next to a second suite that must be untouched by it.
 */

const LEVELS = 100_000;
const SECRET = 'tok-deep-7f3e9a';

const DEEP_SUITE = `
name: deep
tests:
  - name: a body nested ${LEVELS} levels deep
    steps:
      - name: save it
        plugin: http
        config:
          method: GET
          url: "BASE/deep"
          headers: { Authorization: "Bearer {{ .secrets.T }}" }
        save:
          - { json_path: ".", as: whole }
      - name: get
        plugin: http
        config:
          method: GET
          url: "BASE/deep"
          headers: { Authorization: "Bearer {{ .secrets.T }}" }
        assertions:
          - { type: json_path, path: ".", exists: true }
          - { type: json_path, path: ".", value_type: array }
          - { type: json_path, path: ".[0][0][0]", value_type: array }
          - { type: json_path, path: "$..token", expected: "${SECRET}" }
          - { type: json_path, path: "$..nope", exists: false }
        save:
          - { json_path: "$..token", as: token_again }
      - name: compare it
        plugin: http
        config: { method: GET, url: "BASE/deep" }
        assertions:
          - { type: json_path, path: ".", expected: "{{ whole }}" }
      - name: write it into a text
        plugin: log
        config: { message: "the body: {{ whole }}" }
      - name: after
        plugin: log
        config: { message: "not reached" }
    cleanup:
      always:
        - { name: a script given it, plugin: script, config: { language: javascript, script: "console.log(typeof state.whole)" } }
        - { name: deep cleanup, plugin: http, config: { method: POST, url: "BASE/cleanup/deep" } }
`;

const OTHER_SUITE = `
name: other
tests:
  - name: an ordinary test
    steps:
      - { name: ping, plugin: http, config: { method: GET, url: "BASE/ping" }, assertions: [{ type: status_code, expected: 200 }] }
cleanup:
  always:
    - { name: other cleanup, plugin: http, config: { method: POST, url: "BASE/cleanup/other" } }
`;

describe(`a JSON body nested ${LEVELS.toLocaleString('en')} levels deep (issue 11, item 2)`, function () {
  this.timeout(60_000);
  let server: LocalServer;
  let dir: string;
  const cleanups: string[] = [];
  let cli: CliResult;
  let json: string;
  let junit: string;

  before(async () => {
    const body = `${'['.repeat(LEVELS)}{"token":"${SECRET}"}${']'.repeat(LEVELS)}`;
    server = await startLocalServer((req, res) => {
      if (req.url?.startsWith('/cleanup/')) cleanups.push(req.url.slice('/cleanup/'.length));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(req.url === '/deep' ? body : '{"ok":true}');
    });
    dir = mkdtempSync(join(tmpdir(), 'rocketship-deep-'));
    writeFileSync(join(dir, 'deep.yaml'), DEEP_SUITE.replaceAll('BASE', server.url));
    writeFileSync(join(dir, 'other.yaml'), OTHER_SUITE.replaceAll('BASE', server.url));
    const reportJson = join(dir, 'report.json');
    const reportJunit = join(dir, 'junit.xml');
    cli = await runCli([
      'run',
      '-f',
      join(dir, 'deep.yaml'),
      '-f',
      join(dir, 'other.yaml'),
      '-v',
      '--secret',
      `T=${SECRET}`,
      '--report',
      `json=${reportJson}`,
      '--report',
      `junit=${reportJunit}`,
    ]);
    json = readFileSync(reportJson, 'utf8');
    junit = readFileSync(reportJunit, 'utf8');
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not stop the run: every suite ends, every cleanup runs, the exit code is a test failure (1)', () => {
    expect(cli.code, cli.stderr).to.equal(1);
    expect(cli.stderr).not.to.match(/call stack|internal error/i);
    expect(cleanups.sort()).to.deep.equal(['deep', 'other']);
    expect(cli.stdout).to.match(/^1 passed, 1 failed, 0 skipped$/m);
    expect(junit).not.to.contain('Interrupted');
  });

  it('judges checks on it: exists, value_type, $.. paths, and equality with a saved copy', () => {
    const report = JSON.parse(json) as {
      suites: Array<{ name: string; tests: Array<{ steps: Array<{ name: string; result: { _tag: string; message?: string } }> }> }>;
    };
    const steps = report.suites.find((s) => s.name === 'deep')?.tests[0]?.steps ?? [];
    expect(steps.map((s) => [s.name, s.result._tag])).to.deep.equal([
      ['save it', 'Passed'],
      ['get', 'Passed'],
      ['compare it', 'Passed'],
      ['write it into a text', 'Errored'],
      ['after', 'Skipped'],
      ['a script given it', 'Failed'],
      ['deep cleanup', 'Passed'],
    ]);
  });

  it('fails an operation that cannot take such depth as that step, saying why', () => {
    expect(cli.stdout).to.contain('[write it into a text] errored');
    expect(cli.stdout).to.contain('the value of "whole" is nested too deeply to write as text');
    expect(cli.stdout).to.match(
      /\[a script given it\] failed[^\n]*\n\s+script not run: the saved variable "whole" \(state\.whole\) nests lists and maps more than 1000 levels deep/,
    );
  });

  it('writes a JSON report that parses, with what is nested too deeply elided and said so, and masks the secret', () => {
    expect(() => JSON.parse(json)).not.to.throw();
    expect(json).to.match(/… \(\d+ more levels of nesting, not shown\)/);
    for (const text of [cli.stdout, cli.stderr, json, junit]) expect(text).not.to.contain(SECRET);
  });
});
