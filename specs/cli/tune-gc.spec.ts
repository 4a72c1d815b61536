import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { NEVER } from 'rxjs';
import type { CliIO } from '../../lib/cli/cli-io.js';
import { parseArgs } from '../../lib/cli/parse-args.js';
import { runCommand } from '../../lib/cli/run-command.js';
import {
  gcTuningFlags,
  HEAP_GROWING_PERCENT,
  MANY_TESTS_AT_ONCE,
  SEMI_SPACE_GROWTH_FACTOR,
  tuneGcForManyTests,
  wantsGcTuning,
} from '../../lib/cli/tune-gc.js';
import { ROOT } from '../helpers/run-cli.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';

describe('cli/tune-gc', () => {
  it('tunes for runs of many tests at once, and leaves a run of a few with V8 defaults', () => {
    expect(wantsGcTuning(1)).to.equal(false);
    expect(wantsGcTuning(MANY_TESTS_AT_ONCE - 1)).to.equal(false);
    expect(wantsGcTuning(MANY_TESTS_AT_ONCE)).to.equal(true);
    expect(wantsGcTuning(10_000)).to.equal(true);
    // Below the threshold nothing is set (this process's V8 is left alone).
    expect(tuneGcForManyTests(8)).to.equal(false);
    // Nor when the process was started with flags of its own for both parts of the collector.
    expect(tuneGcForManyTests(1000, { execArgv: ['--heap-growing-percent=25', '--max-semi-space-size=64'] })).to.equal(false);
  });

  it('leaves each part of the collector the process was started with flags for as it is', () => {
    const heap = `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
    const young = `--semi-space-growth-factor=${SEMI_SPACE_GROWTH_FACTOR}`;
    expect(gcTuningFlags({})).to.deep.equal([heap, young]);
    expect(gcTuningFlags({ execArgv: ['--heap-growing-percent=25'] })).to.deep.equal([young]);
    expect(gcTuningFlags({ nodeOptions: '--max-old-space-size=512 --heap_growing_percent=60' })).to.deep.equal([young]);
    for (const own of ['--max-semi-space-size=64', '--min_semi_space_size=8', '--semi-space-growth-factor=4'])
      expect(gcTuningFlags({ nodeOptions: own }), own).to.deep.equal([heap]);
    expect(gcTuningFlags({ execArgv: ['--max-semi-space-size=64'], nodeOptions: '--heap-growing-percent=10' })).to.deep.equal([]);
    // Other options change nothing.
    expect(gcTuningFlags({ execArgv: ['--enable-source-maps'], nodeOptions: '--max-old-space-size=512' })).to.deep.equal([heap, young]);
  });

  it("sets flags this node's V8 knows, silently, and keeps the young generation at its size", function () {
    this.timeout(20_000);
    // In a process of its own: the flags would change this one's collector. It keeps 400,000
    // small objects alive (~40 MB), which V8 grows its young generation for, up to 32 MB, unless
    // told not to.
    const youngAfter = (testsAtOnce: number) => {
      const script = `import { getHeapSpaceStatistics } from 'node:v8';
        import { tuneGcForManyTests } from ${JSON.stringify(join(ROOT, 'lib/cli/tune-gc.ts'))};
        const tuned = tuneGcForManyTests(${testsAtOnce});
        const kept = [];
        for (let i = 0; i < 400000; i++) kept.push({ i, list: [i] });
        const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
        process.stdout.write(JSON.stringify({ tuned, youngMb: young / 2 ** 20, kept: kept.length }));`;
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stderr).to.equal('');
      return JSON.parse(r.stdout) as { tuned: boolean; youngMb: number };
    };
    const tuned = youngAfter(MANY_TESTS_AT_ONCE);
    expect(tuned.tuned).to.equal(true);
    expect(tuned.youngMb).to.be.at.most(4);
    const untuned = youngAfter(8);
    expect(untuned.tuned).to.equal(false);
    expect(untuned.youngMb).to.be.at.least(16);
    // And the same flags on a command line: V8 accepts them (an unknown one exits 9).
    for (const flag of gcTuningFlags({})) {
      const r = spawnSync(process.execPath, [flag, '-e', '0'], { encoding: 'utf8' });
      expect(r.status, `${flag}: ${r.stderr}`).to.equal(0);
    }
  });

  describe('rocketship run asks for it with its --concurrency', () => {
    let server: LocalServer;
    let dir: string;
    before(async () => {
      server = await startLocalServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
      dir = mkdtempSync(join(tmpdir(), 'rocketship-tune-gc-'));
    });
    after(async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const write = (name: string, text: string): string => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    };
    /** A suite of `tests` tests of one GET each. */
    const suite = (name: string, tests: number): string => {
      const lines = [`name: ${name}`, 'tests:'];
      for (let i = 0; i < tests; i++)
        lines.push(
          `  - name: t${i}`,
          '    steps:',
          `      - { name: get, plugin: http, config: { method: GET, url: "${server.url}/${i}" } }`,
        );
      return write(`${name}.yaml`, `${lines.join('\n')}\n`);
    };

    /** What `rocketship run ...args` passed to `tuneForTestsAtOnce`, and its exit code. */
    const asked = async (args: string[]): Promise<{ code: number; asked: number[] }> => {
      const calls: number[] = [];
      const io: CliIO = {
        stdout: () => undefined,
        stderr: () => undefined,
        isTTY: false,
        env: {},
        cwd: dir,
        interrupt$: NEVER,
        interrupted: () => undefined,
        tuneForTestsAtOnce: (n) => void calls.push(n),
      };
      const parsed = parseArgs(['run', ...args, '--last-run', join(dir, 'last-run.json')]);
      if (E.isLeft(parsed) || parsed.right._tag !== 'Run') return expect.fail('run arguments expected');
      return { code: await runCommand(parsed.right.args, io), asked: calls };
    };

    it('its --concurrency, before reading its files; none for a --redis run, whose workers run the tests', async function () {
      this.timeout(30_000);
      const a = suite('a', 70);
      const b = suite('b', 50);
      expect(await asked(['-f', a, '-f', b, '--concurrency', '500'])).to.deep.equal({ code: 0, asked: [500] });
      expect(await asked(['-f', a])).to.deep.equal({ code: 0, asked: [8] });
      // Said before the files are read: a file that does not decode was still said to.
      expect(await asked(['-f', write('broken.yaml', 'name: x\ntests: 3\n'), '--concurrency', '200'])).to.deep.equal({
        code: 2,
        asked: [200],
      });
      // A Redis nobody listens on: exit 2, nothing asked.
      expect(await asked(['-f', a, '--redis', 'redis://127.0.0.1:1', '--concurrency', '500'])).to.deep.equal({ code: 2, asked: [] });
    });
  });
});
