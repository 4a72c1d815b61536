import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { ROOT } from '../helpers/run-cli.js';

const BUNDLE = join(ROOT, 'dist/rocketship.cjs');

/** When a file under lib/ or scripts/ last changed: a bundle older than that was built from other code. */
function newestSourceMs(): number {
  return Math.max(
    ...['lib', 'scripts'].flatMap((dir) =>
      readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).map((f) => statSync(join(ROOT, dir, f)).mtimeMs),
    ),
  );
}

interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node ...args` in `cwd` without NODE_OPTIONS (not spawnSync: the server answers from this process's event loop). */
function node(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const all: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete all.NODE_OPTIONS;
  return new Promise((resolve) => {
    const child = execFile(process.execPath, args, { cwd, env: all, encoding: 'utf8' }, (_error, stdout, stderr) =>
      resolve({ status: child.exitCode, stdout, stderr }),
    );
  });
}

/**
 * The single-file CLI (scripts/cli-entry.ts, bundled) started by bin/fast-start.cjs with its V8
 * code cache, as `npm run build` (and `prepare`) make them: the other CLI specs run `node
 * bin/rocketship.js`, which takes dist/cli/main.js. Here the launcher and the bundle are copied
 * into a directory of their own (bin/, dist/), its cache is built there exactly as
 * scripts/build-code-cache.mjs builds it at install, and runs go through it. Needs the bundle:
 * `npm run build`.
 */
describe('the code cache of the single-file CLI (bin/fast-start.cjs)', function () {
  this.timeout(60_000);
  let dir: string;
  let cache: string;
  let built: { ok: boolean; message: string };
  let server: LocalServer;
  let suite: string;
  /** The request line's target of each request the server received, in order. */
  let targets: string[] = [];

  before(async function () {
    if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < newestSourceMs()) {
      // `npm test` compiles dist/ but does not bundle; `npm run build` and `npm ci` do (CI does both).
      console.log('      skipped: dist/rocketship.cjs is missing or older than lib/ and scripts/: run `npm run build`');
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'rocketship-code-cache-'));
    for (const sub of ['bin', 'dist']) mkdirSync(join(dir, sub));
    copyFileSync(join(ROOT, 'bin/fast-start.cjs'), join(dir, 'bin/fast-start.cjs'));
    copyFileSync(BUNDLE, join(dir, 'dist/rocketship.cjs'));
    // The packages the bundle loads on first use, as an installed package finds them.
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    cache = join(dir, 'dist/rocketship.cache');
    const { buildCodeCache } = (await import(pathToFileURL(join(ROOT, 'scripts/build-code-cache.mjs')).href)) as {
      buildCodeCache: (root: string) => { ok: boolean; message: string };
    };
    built = buildCodeCache(dir);
    server = await startLocalServer((req, res) => {
      targets.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
    suite = join(dir, 'one.yaml');
    writeFileSync(
      suite,
      `name: one\ntests:\n  - name: t\n    steps:\n      - name: get\n        plugin: http\n        config: { method: GET, url: "${server.url}/ok" }\n        assertions:\n          - { type: json_path, path: .ok, expected: true }\n`,
    );
  });

  beforeEach(() => {
    server?.reset();
    targets = [];
  });

  after(async () => {
    await server?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const run = (env: NodeJS.ProcessEnv = {}, flags: readonly string[] = [], args: readonly string[] = []) =>
    node([...flags, join(dir, 'bin/fast-start.cjs'), 'run', '-f', suite, ...args], dir, { ROCKETSHIP_LAUNCH_TRACE: '1', ...env });

  const expectRunPassed = (ran: Ran) => {
    expect(ran.status, ran.stderr).to.equal(0);
    expect(ran.stdout).to.match(/1 passed, 0 failed, 0 skipped/);
    expect(server.requests).to.equal(1);
  };

  it("ends the bundle with its build id, the hash of the rest, which names the bundle's code cache", () => {
    const text = readFileSync(BUNDLE, 'utf8');
    const match = /\/\/# rocketship-build=([0-9a-f]{16})\n$/.exec(text);
    expect(match, 'the last line of the bundle').not.to.equal(null);
    const id = (match as RegExpExecArray)[1];
    expect(createHash('sha256').update(text.slice(0, match?.index)).digest('hex').slice(0, 16)).to.equal(id);
    // Padded to 40 bytes: the cache after the line is 8-byte aligned, as V8 reads it without a copy.
    expect(readFileSync(join(ROOT, 'dist/rocketship.cache')).subarray(0, 40).toString('latin1')).to.equal(`rocketship-code-cache ${id} \n`);
  });

  it('is ASCII (the launcher reads it as latin1) and the function of a CommonJS module, compiled as it is', () => {
    const text = readFileSync(BUNDLE, 'latin1');
    expect(/[^\x00-\x7f]/.exec(text), 'a non-ASCII character in the bundle').to.equal(null);
    expect(text.startsWith('(function (exports, require, module, __filename, __dirname) {\n')).to.equal(true);
    const made = runInNewContext(text, {}) as unknown;
    expect(made).to.be.a('function');
    expect((made as () => void).length).to.equal(5);
  });

  it('builds, and both warm-ups pass inside the builder (the run in memory, then the command against a local server)', () => {
    expect(built.ok, built.message).to.equal(true);
    expect(built.message).to.match(/^built dist\/rocketship\.cache for node v\d+\.\d+\.\d+$/);
    expect(existsSync(cache)).to.equal(true);
    // The warm-up's own run leaves nothing behind in the directory the build ran in.
    expect(readdirSync(join(dir, 'dist')).sort()).to.deep.equal(['rocketship.cache', 'rocketship.cjs']);
  });

  it('runs a suite with the cache: V8 takes it, one request, the summary, exit code 0', async () => {
    const ran = await run();
    expect(ran.stderr).to.include(`starting from ${join(dir, 'dist/rocketship.cjs')} with its code cache`);
    expectRunPassed(ran);
  });

  it('compiles the bundle instead when the cache was taken of another build of it, or is missing', async () => {
    const original = readFileSync(cache);
    try {
      writeFileSync(cache, Buffer.concat([Buffer.from('rocketship-code-cache 0000000000000000 \n'), original.subarray(40)]));
      const other = await run();
      expect(other.stderr).to.include('without its code cache: its code cache was taken of another build of the bundle');
      expectRunPassed(other);
      server.reset();
      rmSync(cache);
      const missing = await run();
      expect(missing.stderr).to.include(
        'without its code cache: no code cache (a run takes one as it exits; npm rebuild rocketship-rx builds it)',
      );
      expectRunPassed(missing);
    } finally {
      writeFileSync(cache, original);
    }
  });

  it('runs a bundle built before it was a module function (a checkout pulled and not built again), wrapping it itself', async () => {
    const old = join(dir, 'old');
    for (const sub of ['bin', 'dist']) mkdirSync(join(old, sub), { recursive: true });
    copyFileSync(join(dir, 'bin/fast-start.cjs'), join(old, 'bin/fast-start.cjs'));
    const text = readFileSync(BUNDLE, 'latin1');
    const body = text.slice(text.indexOf('\n') + 1).replace(/\}\);\n(\/\/# rocketship-build=[0-9a-f]+\n)$/, '$1');
    expect(body.length, 'the bundle without its first and its closing line').to.equal(text.length - text.indexOf('\n') - 1 - 4);
    writeFileSync(join(old, 'dist/rocketship.cjs'), body, 'latin1');
    const ran = await node([join(old, 'bin/fast-start.cjs'), 'run', '-f', suite], old, { ROCKETSHIP_LAUNCH_TRACE: '1' });
    expect(ran.stderr).to.include('without its code cache: no code cache');
    expectRunPassed(ran);
  });

  /** A run of the bundle (`run -f suite`, then `args`), and the modules it loaded (`process.moduleLoadList`). */
  const runListingModules = async (name: string, args: readonly string[] = []) => {
    const list = join(dir, `${name}.txt`);
    const hook = join(dir, `${name}.cjs`);
    writeFileSync(
      hook,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));\n`,
    );
    const ran = await run({}, ['--require', hook], args);
    return { ran, loaded: readFileSync(list, 'utf8').split('\n') };
  };

  it("loads none of Node's zlib, assert, perf_hooks, fs/promises, v8 or os for a run that needs none of them", async () => {
    // Each costs 0.4-3.6 ms of start-up; axios's own Node adapter (which needs zlib and, through
    // https-proxy-agent, assert) is loaded only when a proxy from the environment applies, and v8
    // only for a run of many tests at once (lib/cli/tune-gc.ts).
    const { ran, loaded } = await runListingModules('modules');
    expectRunPassed(ran);
    expect(loaded).to.include('NativeModule http');
    for (const name of ['zlib', 'assert', 'perf_hooks', 'fs/promises', 'v8', 'os']) expect(loaded).not.to.include(`NativeModule ${name}`);
  });

  it('loads v8 on first use: for a run of 100 tests at once, whose collector it tunes', async () => {
    // The bundle reaches `v8.setFlagsFromString` through a lazy stand-in (scripts/bundle-plugin.mjs).
    const { ran, loaded } = await runListingModules('modules-100', ['--concurrency', '100']);
    expectRunPassed(ran);
    expect(loaded).to.include('NativeModule v8');
  });

  it('judges `$` paths with jsonpath, which the bundle evaluates on their first use', async () => {
    const dollar = join(dir, 'dollar.yaml');
    const step = (expected: boolean) =>
      `    steps:\n      - name: get\n        plugin: http\n        config: { method: GET, url: "${server.url}/ok" }\n        assertions:\n          - { type: json_path, path: "$.ok", expected: ${expected} }\n`;
    writeFileSync(dollar, `name: dollar\ntests:\n  - name: holds\n${step(true)}  - name: does not hold\n${step(false)}`);
    const ran = await node([join(dir, 'bin/fast-start.cjs'), 'run', '-f', dollar], dir);
    expect(ran.status, ran.stderr).to.equal(1);
    expect(ran.stdout).to.match(/1 passed, 1 failed, 0 skipped/);
    expect(ran.stdout).to.include('json_path $.ok: expected false, actual true');
    expect(server.requests).to.equal(2);
  });

  it("points at the line and column of a YAML error and of a duplicate key (yaml's ES module build)", async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\ntests:\n  - name: t\n    name: again\n    steps: [\n');
    const ran = await node([join(dir, 'bin/fast-start.cjs'), 'run', '-f', bad], dir);
    expect(ran.status).to.equal(2);
    expect(ran.stderr).to.include('bad.yaml:4:5: duplicate key "name"; it is already set at line 3');
    expect(ran.stderr).to.match(/bad\.yaml:6:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented/);
    expect(ran.stderr).not.to.match(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(server.requests).to.equal(0);
  });

  it("sends through a proxy from the environment with axios's own Node adapter, loaded on its first use", async () => {
    // The host does not resolve: only a request sent to the proxy (this server) can pass.
    const proxied = join(dir, 'proxied.yaml');
    writeFileSync(proxied, readFileSync(suite, 'utf8').replace(server.url, 'http://api.example.test'));
    const ran = await node([join(dir, 'bin/fast-start.cjs'), 'run', '-f', proxied], dir, { http_proxy: server.url, NO_PROXY: '' });
    expect(ran.status, ran.stderr).to.equal(0);
    expect(ran.stdout).to.match(/1 passed, 0 failed, 0 skipped/);
    // A proxy receives the absolute URL in the request line.
    expect(targets).to.deep.equal(['http://api.example.test/ok']);
  });

  it('compiles the bundle instead when V8 rejects the cache (V8 flags other than those it was taken under), and takes one for those flags', async () => {
    const original = readFileSync(cache);
    try {
      const flagged = await run({}, ['--min-semi-space-size=8']);
      expect(flagged.stderr).to.include('without its code cache: V8 rejected its code cache');
      expect(flagged.stderr).to.include('took the code cache of this run');
      expectRunPassed(flagged);
      server.reset();
      const again = await run({}, ['--min-semi-space-size=8']);
      expect(again.stderr).to.include('with its code cache');
      expect(again.stderr).not.to.include('took the code cache');
      expectRunPassed(again);
      server.reset();
      // Without the flags, V8 rejects the flags' cache in turn: the run compiles, and takes one again.
      const plain = await run();
      expect(plain.stderr).to.include('without its code cache: V8 rejected its code cache');
      expect(plain.stderr).to.include('took the code cache of this run');
      expectRunPassed(plain);
    } finally {
      writeFileSync(cache, original);
    }
  });

  it('takes the cache itself as a run without one exits, a run whose test failed too, and the next run starts with it', async () => {
    const original = readFileSync(cache);
    const failing = join(dir, 'failing.yaml');
    writeFileSync(failing, readFileSync(suite, 'utf8').replace('expected: true', 'expected: false'));
    try {
      rmSync(cache);
      const first = await node([join(dir, 'bin/fast-start.cjs'), 'run', '-f', failing], dir, { ROCKETSHIP_LAUNCH_TRACE: '1' });
      expect(first.status, first.stderr).to.equal(1);
      expect(first.stdout).to.match(/0 passed, 1 failed, 0 skipped/);
      expect(first.stderr).to.include('without its code cache: no code cache');
      expect(first.stderr).to.include(`took the code cache of this run, ${cache}, for the next runs`);
      const taken = readFileSync(cache);
      const id = /\/\/# rocketship-build=([0-9a-f]+)\n$/.exec(readFileSync(join(dir, 'dist/rocketship.cjs'), 'latin1'))?.[1];
      expect(taken.subarray(0, 40).toString('latin1')).to.equal(`rocketship-code-cache ${id}`.padEnd(39) + '\n');
      expect(taken.length, 'a cache of what the run compiled').to.be.greaterThan(100_000);
      expect(readdirSync(join(dir, 'dist')).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
      server.reset();
      const next = await run();
      expect(next.stderr).to.include('with its code cache');
      expect(next.stderr).not.to.include('took the code cache');
      expectRunPassed(next);
    } finally {
      writeFileSync(cache, original);
    }
  });

  it('takes none after another command, after a run stopped by bad input (exit 2), or where it cannot write the cache', async () => {
    const original = readFileSync(cache);
    try {
      rmSync(cache);
      const version = await node([join(dir, 'bin/fast-start.cjs'), '--version'], dir, { ROCKETSHIP_LAUNCH_TRACE: '1' });
      expect(version.status, version.stderr).to.equal(0);
      expect(existsSync(cache), 'a cache after --version').to.equal(false);
      const bad = await node([join(dir, 'bin/fast-start.cjs'), 'run', '-f', join(dir, 'absent.yaml')], dir, {
        ROCKETSHIP_LAUNCH_TRACE: '1',
      });
      expect(bad.status, bad.stderr).to.equal(2);
      expect(existsSync(cache), 'a cache after bad input').to.equal(false);
      // A folder where the cache goes: the write fails, as in a folder the user cannot write to
      // (which root, who runs CI, always can). The run's result is untouched; nothing is left.
      mkdirSync(cache);
      const blocked = await run();
      expectRunPassed(blocked);
      expect(blocked.stderr).to.include('could not take the code cache of this run (EISDIR)');
      expect(readdirSync(join(dir, 'dist')).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
    } finally {
      rmSync(cache, { recursive: true, force: true });
      writeFileSync(cache, original);
    }
  });
});

describe('bin/rocketship.js, run as a command in the checkout', function () {
  this.timeout(30_000);

  it('starts through bin/fast-start.cjs from the bundle, or from dist/cli/main.js with ROCKETSHIP_NO_BUNDLE', async function () {
    if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < statSync(join(ROOT, 'dist/cli/main.js')).mtimeMs) {
      console.log('      skipped: dist/rocketship.cjs is missing or older than dist/cli/main.js: run `npm run build`');
      return this.skip();
    }
    const bin = join(ROOT, 'bin/rocketship.js');
    const run = (env: NodeJS.ProcessEnv) =>
      new Promise<Ran>((resolve) => {
        const all: NodeJS.ProcessEnv = { ...process.env, ROCKETSHIP_LAUNCH_TRACE: '1', ...env };
        delete all.NODE_OPTIONS;
        const child = execFile(bin, ['--version'], { cwd: ROOT, env: all, encoding: 'utf8' }, (_e, stdout, stderr) =>
          resolve({ status: child.exitCode, stdout, stderr }),
        );
      });
    const fast = await run({});
    expect(fast.status, fast.stderr).to.equal(0);
    expect(fast.stderr).to.match(/starting from \S*dist\/rocketship\.cjs with/);
    const slow = await run({ ROCKETSHIP_NO_BUNDLE: '1' });
    expect(slow.status, slow.stderr).to.equal(0);
    expect(slow.stderr).to.match(/starting from \S*dist\/cli\/main\.js/);
    expect(slow.stdout).to.equal(fast.stdout);
  });
});
