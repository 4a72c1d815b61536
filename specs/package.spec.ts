import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { startLocalServer, type LocalServer } from './helpers/local-server.js';
import { ROOT } from './helpers/run-cli.js';

interface PackJson {
  readonly filename: string;
  readonly integrity: string;
  readonly files: readonly { readonly path: string }[];
}

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  license: string;
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
};

/**
 * The package as users get it: `npm pack` of the built checkout, installed into a project of its
 * own in a temporary directory, then used there as a CLI (`node_modules/.bin/rocketship`) and as
 * a library (`import { run } from 'rocketship-rx'`) against a local server.
 *
 * The install needs no registry: the project gets a lockfile naming the packed tarball and, for
 * every dependency, the version, URL and integrity of the checkout's own lockfile, and `npm ci
 * --offline` takes them from the npm cache that `npm ci` in the checkout filled. Skipped, saying
 * why in one line, when npm is not found, dist/ is not built, or the cache lacks a package.
 */
describe('the package: npm pack, installed offline into a project of its own', function () {
  this.timeout(300_000);
  let dir: string;
  let project: string;
  let packed: PackJson;
  let install: Ran;
  let server: LocalServer;
  let env: NodeJS.ProcessEnv;
  const installed = () => join(project, 'node_modules', PACKAGE.name);
  const bin = () => join(project, 'node_modules/.bin/rocketship');

  before(async function () {
    const skip = (why: string) => {
      console.log(`      skipped: ${why}`);
      this.skip();
    };
    const bundle = join(ROOT, 'dist/rocketship.cjs');
    if (!existsSync(bundle) || statSync(bundle).mtimeMs < statSync(join(ROOT, 'dist/cli/main.js')).mtimeMs)
      return skip('dist/ is not built (or its bundle is stale): run `npm run build` (`npm test` does)');
    const npm = findNpm();
    if (npm === undefined) return skip('npm was not found (neither npm_execpath nor `npm` on PATH)');

    dir = mkdtempSync(join(tmpdir(), 'rocketship-package-'));
    // The node running this spec first on PATH: npm runs `postinstall` with it, and the launcher
    // then starts the node the code cache was built for.
    env = npmEnv(dirname(process.execPath));
    const pack = await exec(npm[0], [...npm.slice(1), 'pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, env });
    expect(pack.code, pack.stderr).to.equal(0);
    packed = (JSON.parse(pack.stdout) as PackJson[])[0] as PackJson;

    project = join(dir, 'project');
    mkdirSync(project);
    writeProject(project, join(dir, packed.filename), packed.integrity);
    install = await exec(npm[0], [...npm.slice(1), 'ci', '--offline', '--no-audit', '--no-fund', '--foreground-scripts'], {
      cwd: project,
      env,
    });
    if (install.code !== 0 && /ENOTCACHED/.test(install.stdout + install.stderr))
      return skip(
        `the npm cache lacks a dependency of the package (npm ci --offline: ENOTCACHED); run \`npm ci\` in the checkout to fill it`,
      );

    server = await startLocalServer((_req, res) => void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}'));
    writeFileSync(
      join(project, 'rocketship.yaml'),
      `name: packaged\ntests:\n  - name: t\n    steps:\n      - name: get\n        plugin: http\n        config: { method: GET, url: "${server.url}/ok" }\n        assertions:\n          - { type: json_path, path: .ok, expected: true }\n`,
    );
  });

  beforeEach(() => server?.reset());

  after(async () => {
    await server?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  describe('npm pack', () => {
    const paths = () => packed.files.map((f) => f.path);

    it('ships the bin and its fast start, dist/ (code and types), the bundle with its licenses, the code cache builder, README, LICENSE, the JSON report docs and the suite JSON Schema', () => {
      for (const path of [
        'package.json',
        'README.md',
        'LICENSE',
        'bin/rocketship.js',
        'bin/fast-start.cjs',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/cli/main.js',
        'dist/rocketship.cjs',
        'dist/rocketship.cjs.LICENSES.txt',
        'scripts/build-code-cache.mjs',
        // `run --help` points at these two.
        'docs/json-report.md',
        'docs/json-report.schema.json',
        // `init` writes a suite whose $schema line points at it.
        'schema/rocketship.schema.json',
      ])
        expect(paths(), path).to.include(path);
    });

    it('ships no source map, no spec or test file, no TypeScript source, and no code cache (it fits one V8 version)', () => {
      const wrong = paths().filter(
        (p) =>
          p.endsWith('.map') ||
          /(^|\/)(specs?|tests?|__tests__)\//.test(p) ||
          /\.(spec|test)\.[cm]?[jt]s$/.test(p) ||
          (p.endsWith('.ts') && !p.endsWith('.d.ts')) ||
          p.endsWith('rocketship.cache'),
      );
      expect(wrong).to.deep.equal([]);
      expect(
        paths().every((p) =>
          /^(package\.json|README\.md|LICENSE|bin\/|dist\/|scripts\/build-code-cache\.mjs$|docs\/json-report\.(md|schema\.json)$|schema\/rocketship\.schema\.json$)/.test(
            p,
          ),
        ),
        paths().join('\n'),
      ).to.equal(true);
    });

    it('has a LICENSE file that matches package.json (MIT)', () => {
      expect(PACKAGE.license).to.equal('MIT');
      const text = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
      expect(text.split('\n')[0]).to.equal('MIT License');
      expect(text).to.match(/^Copyright \(c\) \d{4} /m);
      expect(text).to.include('Permission is hereby granted, free of charge, to any person obtaining a copy');
      expect(text).to.include('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
    });

    it('lists the license of every package bundled into dist/rocketship.cjs', () => {
      const notices = readFileSync(join(ROOT, 'dist/rocketship.cjs.LICENSES.txt'), 'utf8');
      for (const name of ['axios', 'fp-ts', 'io-ts', 'jsonpath', 'rxjs', 'yaml']) expect(notices).to.match(new RegExp(`^${name}@\\d`, 'm'));
      expect(notices).to.include('Apache License'); // rxjs's, in full
    });

    it('has rxjs as a peer dependency (a program and the package share one rxjs), not a dependency', () => {
      expect(PACKAGE.peerDependencies).to.have.property('rxjs');
      expect(PACKAGE.dependencies).not.to.have.property('rxjs');
      expect(PACKAGE.devDependencies).to.have.property('rxjs', PACKAGE.peerDependencies?.rxjs);
    });
  });

  describe('installed', () => {
    it('installs offline and builds the code cache at install, for this node, printing one line', () => {
      const output = install.stdout + install.stderr;
      expect(install.code, output).to.equal(0);
      expect(output).to.match(/rocketship-rx: built dist\/rocketship\.cache for node v\d+/);
      expect(output).not.to.match(/rocketship-rx: warning|warm-up/);
      expect(existsSync(join(installed(), 'dist/rocketship.cache'))).to.equal(true);
    });

    it('runs a suite with the installed bin, started from the bundle with its code cache: exit 0, the summary line', async () => {
      const ran = await exec(bin(), ['run', '-f', 'rocketship.yaml'], { cwd: project, env: { ...env, ROCKETSHIP_LAUNCH_TRACE: '1' } });
      expect(ran.code, ran.stderr).to.equal(0);
      expect(ran.stderr).to.match(/starting from \S*dist\/rocketship\.cjs with its code cache/);
      expect(ran.stdout).to.match(/1 passed, 0 failed, 0 skipped/);
      expect(server.requests).to.equal(1);
    });

    it('says in --help how to use it from a program, and how to see which way it started', async () => {
      const help = await exec(bin(), ['--help'], { cwd: project, env });
      expect(help.code, help.stderr).to.equal(0);
      expect(help.stdout).to.include("import { run } from 'rocketship-rx'");
      expect(help.stdout).to.match(/ROCKETSHIP_LAUNCH_TRACE=1 .*code\s+cache/);
    });

    it('starts from the bundle without its code cache when V8 rejects it (NODE_OPTIONS with V8 flags) or it is missing, and takes one as the run exits', async () => {
      const cache = join(installed(), 'dist/rocketship.cache');
      const original = readFileSync(cache);
      const runWith = (extra: NodeJS.ProcessEnv) =>
        exec(bin(), ['run', '-f', 'rocketship.yaml'], { cwd: project, env: { ...env, ROCKETSHIP_LAUNCH_TRACE: '1', ...extra } });
      try {
        const flagged = await runWith({ NODE_OPTIONS: '--max-old-space-size=3000' });
        expect(flagged.code, flagged.stderr).to.equal(0);
        expect(flagged.stderr).to.match(/starting from \S*dist\/rocketship\.cjs without its code cache: V8 rejected it/);
        expect(flagged.stderr).to.include('took the code cache of this run');
        expect(flagged.stdout).to.match(/1 passed, 0 failed, 0 skipped/);
        const flaggedAgain = await runWith({ NODE_OPTIONS: '--max-old-space-size=3000' });
        expect(flaggedAgain.code, flaggedAgain.stderr).to.equal(0);
        expect(flaggedAgain.stderr).to.match(/starting from \S*dist\/rocketship\.cjs with its code cache/);
        rmSync(cache);
        const missing = await runWith({});
        expect(missing.code, missing.stderr).to.equal(0);
        expect(missing.stderr).to.match(/starting from \S*dist\/rocketship\.cjs without its code cache: no code cache/);
        expect(missing.stderr).to.include('took the code cache of this run');
        const next = await runWith({});
        expect(next.code, next.stderr).to.equal(0);
        expect(next.stderr).to.match(/starting from \S*dist\/rocketship\.cjs with its code cache/);
      } finally {
        writeFileSync(cache, original);
      }
      expect(server.requests).to.equal(4);
    });

    it('init writes a suite whose $schema line points at the installed schema, the one `rocketship schema` prints', async () => {
      const init = await exec(bin(), ['init', 'starter.yaml'], { cwd: project, env });
      expect(init.code, init.stderr).to.equal(0);
      expect(init.stdout).not.to.include('note:');
      expect(readFileSync(join(project, 'starter.yaml'), 'utf8').split('\n')[0]).to.equal(
        '# yaml-language-server: $schema=./node_modules/rocketship-rx/schema/rocketship.schema.json',
      );
      const printed = await exec(bin(), ['schema'], { cwd: project, env });
      expect(printed.code, printed.stderr).to.equal(0);
      expect(printed.stdout).to.equal(readFileSync(join(installed(), 'schema/rocketship.schema.json'), 'utf8'));
    });

    it("runs a suite with `import { run } from 'rocketship-rx'`, sharing the project's rxjs", async () => {
      writeFileSync(
        join(project, 'check.mjs'),
        [
          "import { Observable } from 'rxjs';",
          "import { builtinPlugins, createAxiosClient, loadSuiteFile, run, runSuite } from 'rocketship-rx';",
          "const summary = await run('rocketship.yaml');",
          "const loaded = loadSuiteFile('rocketship.yaml');",
          'const events$ = runSuite(loaded.right, { http: createAxiosClient(), plugins: builtinPlugins() });',
          'console.log(JSON.stringify({ verdict: summary.verdict, exitCode: summary.exitCode, passed: summary.passed, sharedRxjs: events$ instanceof Observable }));',
        ].join('\n'),
      );
      const ran = await exec(process.execPath, ['check.mjs'], { cwd: project, env });
      expect(ran.code, ran.stderr).to.equal(0);
      expect(JSON.parse(ran.stdout)).to.deep.equal({ verdict: 'passed', exitCode: 0, passed: 1, sharedRxjs: true });
      expect(server.requests).to.equal(1);
    });

    it('type-checks a TypeScript program against the installed types; internals are not exported', async () => {
      writeFileSync(
        join(project, 'check.ts'),
        [
          "import { filter, type Observable } from 'rxjs';",
          "import { builtinPlugins, createAxiosClient, loadSuiteFile, run, runSuite, type RunEvent, type RunSummary } from 'rocketship-rx';",
          "const summary: RunSummary = await run('rocketship.yaml', { vars: { n: 1 }, signal: new AbortController().signal });",
          'const code: 0 | 1 | 2 | 130 = summary.exitCode;',
          "const loaded = loadSuiteFile('rocketship.yaml');",
          "if (loaded._tag === 'Right') {",
          '  const events$: Observable<RunEvent> = runSuite(loaded.right, { http: createAxiosClient(), plugins: builtinPlugins() });',
          "  events$.pipe(filter((e) => e._tag === 'TestEnded')).subscribe(() => console.log(code));",
          '}',
          '// @ts-expect-error decoder helpers are internal',
          "import { withCheck } from 'rocketship-rx';",
          'void withCheck;',
        ].join('\n'),
      );
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            exactOptionalPropertyTypes: true,
            noEmit: true,
            skipLibCheck: false,
            types: ['node'],
            typeRoots: [join(ROOT, 'node_modules/@types')],
          },
          files: ['check.ts'],
        }),
      );
      const tsc = await exec(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
        cwd: project,
        env,
      });
      expect(tsc.code, tsc.stdout + tsc.stderr).to.equal(0);
    });
  });
});

/** How to run npm: the npm running this spec (`npm test`), else `npm` on PATH; undefined when there is none. */
function findNpm(): [string, ...string[]] | undefined {
  const execpath = process.env.npm_execpath;
  if (execpath !== undefined && /npm-cli\.[cm]?js$/.test(execpath) && existsSync(execpath)) return [process.execPath, execpath];
  const probe = spawnSync('npm', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? ['npm'] : undefined;
}

/**
 * The environment for npm and the installed package: `pathFirst` first on PATH, no
 * NODE_OPTIONS (V8 flags in it would make V8 reject the code cache), and none of the `npm_*` variables an outer `npm test`
 * sets (they would point the inner npm at the checkout), except where the cache and config are.
 */
function npmEnv(pathFirst: string): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_userconfig', 'npm_config_globalconfig']);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) || keep.has(k.toLowerCase())) env[k] = v;
  delete env.NODE_OPTIONS;
  env.PATH = `${pathFirst}${delimiter}${process.env.PATH ?? ''}`;
  env.NO_COLOR = '1';
  return env;
}

/**
 * Writes the project: a package.json depending on the tarball (and on rxjs, its peer, as a
 * user's would), and a lockfile that pins everything to what the checkout's lockfile pins, so
 * `npm ci --offline` needs no registry. The lockfile holds the package's dependencies and peer
 * dependencies, and theirs, at the paths the checkout has them (a subset of a valid tree, closed
 * under dependencies, is a valid tree).
 */
function writeProject(project: string, tarball: string, integrity: string): void {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const entries = lock.packages;
  const resolveFrom = (from: string, name: string): string | undefined => {
    for (let at = from; ;) {
      const candidate = `${at === '' ? '' : `${at}/`}node_modules/${name}`;
      if (entries[candidate] !== undefined) return candidate;
      if (at === '') return undefined;
      const up = at.lastIndexOf('/node_modules/');
      at = up < 0 ? '' : at.slice(0, up);
    }
  };
  const tree: Record<string, LockEntry> = {};
  // Optional peers (better-sqlite3, for sql steps on SQLite) are what a user installs when needed: not here.
  const requiredPeers = Object.keys(PACKAGE.peerDependencies ?? {}).filter(
    (name) => PACKAGE.peerDependenciesMeta?.[name]?.optional !== true,
  );
  const todo = [...Object.keys(PACKAGE.dependencies ?? {}), ...requiredPeers].map((name) => resolveFrom('', name));
  while (todo.length > 0) {
    const path = todo.pop();
    if (path === undefined || tree[path] !== undefined) continue;
    const { dev: _dev, peer: _peer, devOptional: _devOptional, ...entry } = entries[path] as LockEntry;
    tree[path] = entry;
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies }))
      todo.push(resolveFrom(path, name));
  }
  const spec = `file:${relative(project, tarball)}`;
  const dependencies = { [PACKAGE.name]: spec, rxjs: PACKAGE.peerDependencies?.rxjs ?? '*' };
  const root = { name: 'rocketship-rx-package-check', version: '1.0.0', private: true, type: 'module', dependencies };
  writeFileSync(join(project, 'package.json'), JSON.stringify({ ...root, allowScripts: { [PACKAGE.name]: true } }, null, 2));
  const self: LockEntry = {
    version: PACKAGE.version,
    resolved: spec,
    integrity,
    license: PACKAGE.license,
    dependencies: PACKAGE.dependencies,
    ...(PACKAGE.peerDependencies === undefined ? {} : { peerDependencies: PACKAGE.peerDependencies }),
    ...(PACKAGE.peerDependenciesMeta === undefined ? {} : { peerDependenciesMeta: PACKAGE.peerDependenciesMeta }),
    bin: { rocketship: 'bin/rocketship.js' },
    hasInstallScript: true,
    engines: { node: '>=20' },
  };
  writeFileSync(
    join(project, 'package-lock.json'),
    JSON.stringify(
      {
        name: root.name,
        version: root.version,
        lockfileVersion: 3,
        requires: true,
        packages: { '': { name: root.name, version: root.version, dependencies }, [`node_modules/${PACKAGE.name}`]: self, ...tree },
      },
      null,
      2,
    ),
  );
}

interface LockEntry {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly dev?: boolean;
  readonly peer?: boolean;
  readonly devOptional?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly [key: string]: unknown;
}

/** Runs a command to its end, asynchronously (the local server answers from this process). */
function exec(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
