import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { BIN, ROOT, runCli } from '../helpers/run-cli.js';
import { Terminal } from '../report/terminal.js';

/** A port on 127.0.0.1 that nothing listens on (bound, then closed): connecting is refused. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

/** `script` (util-linux) runs a command on a pseudo-terminal: the CLI sees a TTY, as in a user's shell. */
const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

/**
 * Runs `rocketship ARGS` on a pseudo-terminal of 120 columns (through `script`), types Ctrl-C
 * (`\x03`, which the terminal turns into SIGINT for the process) once `ctrlCWhen` holds of the
 * output, and returns everything the terminal received.
 */
function runOnTerminal(args: readonly string[], ctrlCWhen: (soFar: string) => boolean): Promise<{ code: number | null; output: string }> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = `stty cols 120 rows 30; exec ${[process.execPath, '--', BIN, ...args].map(quote).join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let typed = false;
    child.stdout.on('data', (b: Buffer) => {
      output += b.toString('utf8');
      if (!typed && ctrlCWhen(output)) {
        typed = true;
        child.stdin.write('\x03');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * What the console prints, as a process (issue 12, points 4, 5, 6, 8, 9): the recap after the
 * summary, `--quiet`, heartbeats for long polls without a terminal, colours by FORCE_COLOR and
 * NO_COLOR, and Ctrl-C on a terminal. Against a real local server; `npm run build` first.
 */
describe('rocketship run: console output (process)', function () {
  this.timeout(30_000);
  let server: LocalServer;
  let dir: string;
  let refused: number;

  before(async () => {
    server = await startLocalServer((req, res) => {
      if (req.url?.startsWith('/failed')) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"failed"}');
      if (req.url?.startsWith('/fail')) return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"status":"broken"}');
      if (req.url?.startsWith('/pending'))
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"running"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"done"}');
    });
    dir = mkdtempSync(join(tmpdir(), 'rocketship-output-'));
    refused = await closedPort();
  });
  after(() => server.close());

  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  const ASSERTING = (name: string) =>
    `name: ${name}\ntests:\n  - name: passes\n    steps:\n      - name: ok\n        plugin: http\n        config: { method: GET, url: "${server.url}/ok" }\n  - name: fails\n    steps:\n      - name: get\n        plugin: http\n        config: { method: GET, url: "${server.url}/fail" }\n        assertions:\n          - { type: status_code, expected: 200 }\n`;
  const FAIL_CONDITION = (name: string) =>
    `name: ${name}\ntests:\n  - name: job\n    steps:\n      - name: wait\n        plugin: http\n        config:\n          method: GET\n          url: "${server.url}/failed"\n          polling:\n            interval: 50ms\n            timeout: 5s\n            conditions: [{ type: json_path, path: .status, expected: done }]\n            fail_conditions: [{ type: json_path, path: .status, expected: failed }]\n`;

  it('recaps every failed test after the summary: FAILED file:line [suite] [test] [step], and the reason on one line', async () => {
    write('a.yaml', ASSERTING('A'));
    write('b.yaml', FAIL_CONDITION('B'));
    const r = await runCli(['run', '-f', 'b.yaml', '-f', 'a.yaml'], { cwd: dir });
    expect(r.code).to.equal(1);
    const lines = r.stdout.split('\n');
    const summary = lines.indexOf('1 passed, 2 failed, 0 skipped');
    expect(summary).to.be.greaterThan(0);
    expect(lines[summary + 1]).to.match(/^finished in \S+$/);
    // in file order (the order the files were given), each failing step's own line
    expect(lines.slice(summary + 2)).to.deep.equal([
      '',
      'FAILED b.yaml:5 [B] [job] [wait]',
      '    polling failed: fail condition holds: json_path .status == "failed"',
      'FAILED a.yaml:10 [A] [fails] [get]',
      '    assertion failed: status_code: expected 200, actual 500',
      '',
    ]);
    // the full message is still printed where the step failed
    expect(r.stdout).to.contain('[B] [job] [wait] failed in ').and.contain('  last body: {"status":"failed"}');
  });

  it('--quiet prints only the summary and the recap', async () => {
    write('a.yaml', ASSERTING('A'));
    const r = await runCli(['run', '-q', '-f', 'a.yaml'], { cwd: dir });
    expect(r.code).to.equal(1);
    expect(r.stdout.replace(/finished in \S+/, 'finished in <t>')).to.equal(
      [
        '',
        '1 passed, 1 failed, 0 skipped',
        'finished in <t>',
        '',
        'FAILED a.yaml:10 [A] [fails] [get]',
        '    assertion failed: status_code: expected 200, actual 500',
        '',
      ].join('\n'),
    );
    const passing = await runCli(['run', '--quiet', '-f', write('ok.yaml', ASSERTING('OK').replace('/fail"', '/ok"'))], { cwd: dir });
    expect(passing.code).to.equal(0);
    expect(passing.stdout.replace(/finished in \S+/, 'finished in <t>')).to.equal('\n2 passed, 0 failed, 0 skipped\nfinished in <t>\n');
  });

  it('without a terminal, prints a heartbeat for each step still polling (--heartbeat 1s): attempt k/n, last status or transport error, elapsed of timeout', async () => {
    const polls = (name: string, url: string) =>
      `  - name: ${name}\n    steps:\n      - name: poll\n        plugin: http\n        config:\n          method: GET\n          url: "${url}"\n          polling:\n            interval: 200ms\n            timeout: 2500ms\n            max_attempts: 100\n            conditions: [{ type: json_path, path: .status, expected: done }]\n`;
    const file = write(
      'hb.yaml',
      `name: HB\ntests:\n${polls('running', `${server.url}/pending`)}${polls('refused', `http://127.0.0.1:${refused}/x`)}`,
    );
    const r = await runCli(['run', '--heartbeat', '1s', '-f', file]);
    expect(r.code).to.equal(1);
    const beats = r.stdout.split('\n').filter((line) => line.includes(' still '));
    const running = beats.filter((line) => line.startsWith('[HB] [running] [poll] still polling: '));
    const refusedBeats = beats.filter((line) => line.startsWith('[HB] [refused] [poll] still polling: '));
    // about 1s and 2s into a 2.5s poll
    expect(running.length, r.stdout).to.be.within(1, 3);
    expect(refusedBeats.length, r.stdout).to.be.within(1, 3);
    for (const line of running) expect(line).to.match(/still polling: attempt \d+\/100 · 200 · next in \S+ · \S+ of 2\.5s$/);
    for (const line of refusedBeats) expect(line).to.match(/still polling: attempt \d+\/100 · ECONNREFUSED · next in \S+ · \S+ of 2\.5s$/);

    const off = await runCli(['run', '--heartbeat', '0', '-f', file]);
    expect(off.stdout).not.to.contain(' still ');
  });

  it('a bad --heartbeat is a usage error (exit 2); --quiet and --verbose together too', async () => {
    const bad = await runCli(['run', '--heartbeat', 'often', '-f', 'x.yaml']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('option --heartbeat: expected a duration such as 10s or 1m (0 turns it off), got "often"');
    const both = await runCli(['run', '-q', '-v', '-f', 'x.yaml']);
    expect(both.code).to.equal(2);
    expect(both.stderr).to.contain('--quiet and --verbose');
  });

  it('honours FORCE_COLOR without a terminal; NO_COLOR still wins; FORCE_COLOR=0 and --no-color turn colours off', async () => {
    const file = write('colour.yaml', ASSERTING('C'));
    const run = (env: Record<string, string | undefined>, ...flags: string[]) => runCli(['run', ...flags, '-f', file], { env });
    const forced = await run({ NO_COLOR: undefined, FORCE_COLOR: '1' });
    expect(forced.stdout).to.contain('[C] [passes] [ok] \x1b[32mpassed\x1b[39m');
    expect(forced.stdout).to.contain(`\x1b[31mFAILED\x1b[39m ${file}:10 [C] [fails] [get]`);
    expect(forced.stdout).not.to.match(/\x1b\[\d*[A-HJ]/); // colours, but never a cursor move
    for (const [env, flags] of [
      [{ NO_COLOR: '1', FORCE_COLOR: '1' }, []],
      [{ NO_COLOR: undefined, FORCE_COLOR: '0' }, []],
      [{ NO_COLOR: undefined, FORCE_COLOR: 'false' }, []],
      [{ NO_COLOR: undefined, FORCE_COLOR: '1' }, ['--no-color']],
      [{ NO_COLOR: undefined, FORCE_COLOR: undefined }, []],
    ] as const) {
      const r = await run(env, ...flags);
      expect(r.stdout, JSON.stringify([env, flags])).not.to.contain('\x1b');
    }
  });

  (HAS_SCRIPT ? it : it.skip)(
    'Ctrl-C on a terminal erases the live block before the notice, leaves none behind, and says "interrupted after" once per line',
    async () => {
      const file = write(
        'long.yaml',
        `name: L\ntests:\n  - name: t\n    steps:\n      - name: poll\n        plugin: http\n        config:\n          method: GET\n          url: "${server.url}/pending"\n          polling: { interval: 100ms, timeout: 1m, max_attempts: 1000, conditions: [{ type: json_path, path: .status, expected: done }] }\n`,
      );
      const r = await runOnTerminal(['run', '-f', file], (soFar) => /attempt 3\/1000/.test(soFar));
      expect(r.code).to.equal(130);
      const terminal = new Terminal();
      // the terminal's own echo of Ctrl-C, `^C`, is text like any other
      terminal.write(r.output);
      const screen = terminal.screen();
      expect(
        screen.filter((row) => row.includes('attempt ')),
        screen.join('\n'),
      ).to.deep.equal([]);
      expect(screen.filter((row) => row.startsWith('SIGINT: stopping'))).to.have.length(1);
      expect(screen).to.include.members(['0 passed, 0 failed, 0 skipped', '1 interrupted']);
      const interrupted = screen.filter((row) => / interrupted after \S+$/.test(row));
      expect(interrupted.map((row) => row.replace(/after \S+$/, 'after <t>'))).to.deep.equal([
        '[L] [t] [poll] interrupted after <t>',
        '[L] [t] interrupted after <t>',
      ]);
      expect(r.output).not.to.contain(': interrupted');
    },
  );
});
