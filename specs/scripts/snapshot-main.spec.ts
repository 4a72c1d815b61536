import { expect } from 'chai';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/**
 * The single-file CLI (scripts/snapshot-main.ts, bundled) and its startup snapshot, as `npm run
 * build` (and `prepare`) make them: the other CLI specs run `node bin/rocketship.js`, which takes dist/cli/main.js, never the blob.
 * Here a blob is built from dist/rocketship.cjs into a temporary directory, exactly as
 * scripts/build-snapshot.mjs builds it, and a run goes through it. Needs the bundle: `npm run build`.
 */
describe('the startup snapshot (dist/rocketship.cjs under --build-snapshot)', function () {
  this.timeout(60_000);
  let dir: string;
  let blob: string;
  let build: ReturnType<typeof spawnSync>;
  let server: LocalServer;

  before(async function () {
    if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < newestSourceMs()) {
      // `npm test` compiles dist/ but does not bundle; `npm run build` and `npm ci` do (CI does both).
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'rocketship-snapshot-'));
    blob = join(dir, 'rocketship.blob');
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    build = spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', BUNDLE], { cwd: dir, env, encoding: 'utf8' });
    server = await startLocalServer((_req, res) => void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}'));
  });

  after(async () => {
    await server?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('builds, and its warm-up passes inside the builder (where node:http and sockets are off limits)', () => {
    expect(build.status, String(build.stderr)).to.equal(0);
    // The warm-up reports on stderr only when one of its tests did not pass: then the code of a
    // passing run is not compiled into the snapshot (a slower start, nothing else).
    expect(String(build.stderr)).not.to.include('snapshot warm-up');
    expect(existsSync(blob)).to.equal(true);
  });

  it('runs a suite from the blob: one request, the summary, exit code 0', async () => {
    const suite = join(dir, 'one.yaml');
    writeFileSync(
      suite,
      `name: one\ntests:\n  - name: t\n    steps:\n      - name: get\n        plugin: http\n        config: { method: GET, url: "${server.url}/ok" }\n        assertions:\n          - { type: json_path, path: .ok, expected: true }\n`,
    );
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    // Not spawnSync: the server answers from this process's event loop.
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--snapshot-blob', blob, '--', 'run', '-f', suite],
        { cwd: dir, env, encoding: 'utf8' },
        (_error, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }),
      );
    });
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/1 passed, 0 failed, 0 skipped/);
    expect(server.requests).to.equal(1);
  });
});
