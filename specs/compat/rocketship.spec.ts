import { expect } from 'chai';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/run-cli.js';
import { skipWithoutShared } from '../helpers/shared.js';

/**
 * Rocketship's own example suites, run unchanged through our CLI as a process against a fresh
 * local stand-in of their demo API (tryme). The files stay in ../shared; each run gets a
 * localized copy in a temp dir and its own server (list assertions are positional, so a fresh
 * store per suite). Tagged @compat: `npm test -- --grep @compat` runs only these.
 */
const SHARED = fileURLToPath(new URL('../../../shared/compat/', import.meta.url));
const SUITES = join(SHARED, 'rocketship');
const TRYME = join(SHARED, 'tryme');

/** The environment Rocketship's suites read (trap 1: USER may be unset, e.g. in CI containers). */
const SUITE_ENV = {
  USER: process.env.USER ?? userInfo().username,
  HOME: process.env.HOME ?? userInfo().homedir,
  SHELL: process.env.SHELL ?? '/bin/bash',
  PATH: process.env.PATH ?? '/usr/bin:/bin',
};

interface Tryme {
  readonly url: string;
  stop(): Promise<void>;
}

function startTryme(): Promise<Tryme> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [join(TRYME, 'server.mjs'), '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.on('error', reject);
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /^listening (\d+)$/m.exec(out);
      if (m !== null) {
        resolve({
          url: `http://127.0.0.1:${m[1]}`,
          stop: () =>
            new Promise((done) => {
              child.on('close', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}

function localize(src: string, dest: string, base: string): void {
  mkdirSync(dirname(dest), { recursive: true });
  execFileSync('bash', [join(TRYME, 'localize.sh'), src, dest, base]);
}

/** Suites that must pass as shipped. */
const PASSING = [
  'complex-http',
  'config-variables',
  'http-form-encoded',
  'request-chaining',
  'retry-policy',
  'simple-delay',
  'simple-http',
  'simple-log',
  'ci/complex-http',
  'ci/request-chaining',
  'ci/simple-http',
];

describe('Rocketship example suites @compat', function () {
  this.timeout(60_000);
  let work: string;
  before(function () {
    // ../shared sits beside the checkout (and beside CI's clone); without it this spec is skipped.
    skipWithoutShared(this, "Rocketship's example suites (compat/rocketship)");
    expect(existsSync(SUITES), `${SUITES} is missing`).to.equal(true);
    work = mkdtempSync(join(tmpdir(), 'rocketship-compat-'));
  });

  /** Localizes `name` against a fresh tryme, runs it, and returns the CLI's result. */
  async function run(name: string, extra: (base: string) => string[] = () => []) {
    const tryme = await startTryme();
    try {
      const file = join(work, `${name}.yaml`);
      localize(join(SUITES, `${name}.yaml`), file, tryme.url);
      return await runCli(['run', '-f', file, ...extra(tryme.url)], { env: SUITE_ENV });
    } finally {
      await tryme.stop();
    }
  }

  for (const name of PASSING) {
    it(`${name} passes`, async () => {
      const r = await run(name);
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      expect(r.stdout).to.match(/^\d+ passed, 0 failed, 0 skipped$/m);
    });
  }

  it('environment-variables passes with --env-file pointing at a localized .env.example', async () => {
    const r = await run('environment-variables', (base) => {
      const envFile = join(work, 'environment-variables.env');
      localize(join(SUITES, 'environment-variables.env.example'), envFile, base);
      return ['--env-file', envFile];
    });
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^1 passed, 0 failed, 0 skipped$/m);
  });

  it('custom-scripting: every step before the missing script file passes; the file is reported missing with its path and suite line', async () => {
    const r = await run('custom-scripting');
    expect(r.code).to.equal(1);
    const passedSteps = ['Clear Previous Test Data', 'HTTP Step 1 - Create Animal Data', 'Script Step 1 - Initial Processing (Inline)'];
    for (const step of passedSteps) expect(r.stdout).to.match(new RegExp(`\\[${escape(step)}\\] passed`));
    const line = lineOf(join(SUITES, 'custom-scripting.yaml'), 'name: "Script Step 2 - External File Processing"');
    expect(r.stdout).to.contain(`script file not found: ${join(work, '.rocketship/custom-scripting-validate-and-process.js')}`);
    expect(r.stdout).to.contain(`custom-scripting.yaml:${line}`);
    expect(r.stdout).not.to.match(/internal error|TypeError|\n\s+at .*\.js:\d+/);
  });

  it('shell-testing: the 5 tests not needing the missing script pass; the missing file is reported as such', async () => {
    const r = await run('shell-testing');
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(/^5 passed, 1 failed, 0 skipped$/m);
    expect(r.stdout).to.match(/\[External Script File Test\] failed/);
    const line = lineOf(join(SUITES, 'shell-testing.yaml'), 'name: "Execute external shell script"');
    expect(r.stdout).to.contain(`script file not found: ${join(work, '.rocketship/shell-testing-test-script.sh')}`);
    expect(r.stdout).to.contain(`shell-testing.yaml:${line}`);
  });
});

function lineOf(file: string, text: string): number {
  const index = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${text} not in ${file}`);
  return index + 1;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
