import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplaySubject } from 'rxjs';
import type { CliIO, StopSignal } from '../../lib/cli/cli-io.js';
import { parseArgs, type RunArgs } from '../../lib/cli/parse-args.js';
import { watchCommand } from '../../lib/cli/watch-command.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { BIN } from '../helpers/run-cli.js';

/** `rocketship run --watch` as a process (issue 14, part 4): edits re-run what they concern; Ctrl-C exits with the last run's code. */
describe('cli/watch-command (process)', function () {
  this.timeout(90_000);
  let server: LocalServer;
  let dir: string;
  const hits: string[] = [];

  before(async () => {
    server = await startLocalServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  beforeEach(() => {
    hits.length = 0;
    dir = mkdtempSync(join(tmpdir(), 'rocketship-watch-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  after(() => server.close());

  const write = (name: string, text: string): void => writeFileSync(join(dir, name), text);
  const suite = (name: string, path: string, extra = '') =>
    `name: ${name}\ntests:\n  - name: t\n    steps:\n      - { name: get, plugin: http, config: { method: GET, url: "{{ .vars.base }}${path}" } }\n${extra}`;

  /** The bin with --watch, its output so far, and a way to wait for the n-th occurrence of a text in it. */
  function watch(args: string[]): {
    child: ChildProcess;
    output: () => string;
    seen: (text: string, times?: number) => Promise<void>;
    exit: Promise<number | null>;
  } {
    const child = spawn(process.execPath, ['--', BIN, 'run', ...args, '--watch'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr?.on('data', (b: Buffer) => (out += b.toString('utf8')));
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const seen = async (text: string, times = 1): Promise<void> => {
      for (let waited = 0; out.split(text).length - 1 < times; waited += 50) {
        if (waited > 30_000) throw new Error(`waited for ${times} x ${JSON.stringify(text)}; output:\n${out}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    return { child, output: () => out, seen, exit };
  }

  it("runs again only the suites an edit concerns (suite file, script file), every suite for a --var-file; a decode error is shown and the watch goes on; SIGINT exits with the last run's code", async () => {
    write('vars.yaml', `base: ${server.url}\n`);
    write('check.js', 'assert(true, "fine")\n');
    write('a.yaml', suite('A', '/a'));
    write('b.yaml', suite('B', '/b', '      - { name: check, plugin: script, config: { language: javascript, file: check.js } }\n'));
    const w = watch(['a.yaml', 'b.yaml', '--var-file', 'vars.yaml']);
    await w.seen('watching 4 files for changes', 1);
    expect(hits.sort()).to.deep.equal(['/a', '/b']);

    // A script file: only the suite that runs it.
    hits.length = 0;
    write('check.js', 'assert(false, "now broken")\n');
    await w.seen('watching 4 files for changes', 2);
    expect(w.output()).to.contain('changed: check.js; running 1 suite again');
    expect(w.output()).to.contain('now broken');
    expect(hits).to.deep.equal(['/b']);

    // A suite file that no longer decodes: said, and the watch goes on.
    hits.length = 0;
    write('a.yaml', 'name: [\n');
    await w.seen('watching 4 files for changes', 3);
    expect(w.output()).to.match(/a\.yaml:\d+:\d+: YAML syntax error/);
    expect(hits).to.deep.equal([]);

    // Fixed again: it runs.
    write('a.yaml', suite('A', '/a2'));
    await w.seen('watching 4 files for changes', 4);
    expect(hits).to.deep.equal(['/a2']);

    // A --var-file: every suite (b still fails: the last run's code is 1).
    hits.length = 0;
    write('vars.yaml', `base: ${server.url}/v2\n`);
    await w.seen('watching 4 files for changes', 5);
    expect(w.output()).to.contain('changed: vars.yaml; running every suite again');
    expect(hits.sort()).to.deep.equal(['/v2/a2', '/v2/b']);
    expect(w.output()).to.contain("Ctrl-C to exit with this run's code (1)");

    w.child.kill('SIGINT');
    expect(await w.exit).to.equal(1);
  });

  it('the last run passed: SIGINT exits 0', async () => {
    write('a.yaml', suite('A', '/a'));
    const w = watch(['a.yaml', '--var', `base=${server.url}`]);
    await w.seen('watching 1 file for changes', 1);
    expect(w.output()).to.contain("Ctrl-C to exit with this run's code (0)");
    w.child.kill('SIGINT');
    expect(await w.exit).to.equal(0);
  });

  it('on a terminal, the screen is cleared before each run again (not before the first); in process, with the CliIO a program gives', async () => {
    write('a.yaml', `name: A\ntests:\n  - name: t\n    steps:\n      - { name: say, plugin: log, config: { message: first } }\n`);
    const parsed = parseArgs(['run', 'a.yaml', '--watch']);
    if (parsed._tag !== 'Right' || parsed.right._tag !== 'Run') throw new Error('not a run');
    const args: RunArgs = parsed.right.args;
    let out = '';
    const interrupt$ = new ReplaySubject<string>(1);
    let signal: StopSignal | undefined;
    const io: CliIO = {
      stdout: (text) => (out += text),
      stderr: (text) => (out += text),
      isTTY: true,
      columns: 80,
      rows: 24,
      env: {},
      cwd: dir,
      interrupt$,
      interrupted: () => signal,
    };
    const done = watchCommand(args, io, { debounceMs: 20 });
    const seen = async (text: string, times: number): Promise<void> => {
      for (let waited = 0; out.split(text).length - 1 < times; waited += 20) {
        if (waited > 20_000) throw new Error(`waited for ${JSON.stringify(text)}:\n${out}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await seen('watching 1 file for changes', 1);
    expect(out).not.to.contain('\x1b[2J');
    write('a.yaml', `name: A\ntests:\n  - name: t\n    steps:\n      - { name: say, plugin: log, config: { message: second } }\n`);
    await seen('watching 1 file for changes', 2);
    const again = out.indexOf('changed: a.yaml');
    expect(out.lastIndexOf('\x1b[2J\x1b[3J\x1b[H', again)).to.be.above(-1);
    expect(out.slice(again)).to.contain('second');
    signal = 'SIGINT';
    interrupt$.next('SIGINT');
    expect(await done).to.equal(0);
  });
});
