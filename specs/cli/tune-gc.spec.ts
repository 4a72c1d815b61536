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
import { HEAP_GROWING_PERCENT, MANY_TESTS_AT_ONCE, tuneGcForManyTests, wantsGcTuning } from '../../lib/cli/tune-gc.js';
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
    // Nor when the process was started with a factor of its own.
    expect(tuneGcForManyTests(1000, { execArgv: ['--heap-growing-percent=25'] })).to.equal(false);
    expect(tuneGcForManyTests(1000, { nodeOptions: '--max-old-space-size=512 --heap_growing_percent=60' })).to.equal(false);
  });

  it("sets a flag this node's V8 knows, silently (V8 names an unknown flag on stderr)", function () {
    this.timeout(20_000);
    // In a process of its own: the flag would change this one's collector.
    const script = `import { tuneGcForManyTests } from ${JSON.stringify(join(ROOT, 'lib/cli/tune-gc.ts'))};
      process.stdout.write(String(tuneGcForManyTests(${MANY_TESTS_AT_ONCE})));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('true');
    expect(r.stderr).to.equal('');
    // And the same flag on a command line: V8 accepts it (an unknown one exits 9).
    const flag = spawnSync(process.execPath, [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`, '-e', '0'], { encoding: 'utf8' });
    expect(flag.status, flag.stderr).to.equal(0);
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
