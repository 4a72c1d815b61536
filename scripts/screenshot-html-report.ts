/**
 * `npm run screenshot`: makes docs/html-report.png, the README's picture of the HTML report, from
 * a real run: the example API on a free loopback port, three example suites (every polling
 * scenario of the spec, a poll stopped by a fail condition, a step retried) run by the built CLI
 * with `--report html=...`, and the page in the system's headless Chromium, on the failed test
 * with its polling step's timeline. Build first (`npm run build`, which `npm run screenshot` does).
 *
 *   npm run screenshot                       # writes docs/html-report.png
 *   npm run screenshot -- --out /tmp/x.png   # elsewhere
 *
 * Needs chromium (`apt-get install -y chromium`). The browser is driven by the specs' DevTools
 * helper (specs/helpers/chromium.ts): nothing is downloaded.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startExampleApi } from '../examples/api/server.js';
import { launchChromium, CHROMIUM_INSTALL, findChromium } from '../specs/helpers/chromium.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = resolve(
  process.argv.includes('--out') ? (process.argv[process.argv.indexOf('--out') + 1] as string) : join(ROOT, 'docs/html-report.png'),
);

if (findChromium() === undefined) {
  console.error(`no chromium on PATH: install it with ${CHROMIUM_INSTALL}`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'rocketship-screenshot-'));
const api = await startExampleApi();
try {
  const report = join(dir, 'report.html');
  // Not spawnSync: the example API runs in this process and must answer while the run goes on.
  const run = await exited(process.execPath, [
    '--',
    join(ROOT, 'bin/rocketship.js'),
    'run',
    ...['examples/async-operations/rocketship.yaml', 'examples/failing/rocketship.yaml', 'examples/retry/rocketship.yaml'],
    ...['--var', `api_url=${api.url}`, '--report', `html=${report}`, '--quiet'],
  ]);
  // The failing example fails on purpose: exit code 1 is the expected outcome.
  if (run.status !== 1) throw new Error(`the run exited ${run.status}, expected 1:\n${run.stdout}${run.stderr}`);
  const browser = await launchChromium();
  try {
    const page = await browser.open(pathToFileURL(report).href, { width: 1400, height: 1000 });
    await page.waitFor('document.documentElement.dataset.ready === "true"');
    // The failed test is selected and its failing step open: point at its last attempt.
    await page.evaluate(
      `document.querySelector('#detail .timeline .mark:last-of-type')?.dispatchEvent(new MouseEvent('click', { bubbles: true }))`,
    );
    writeFileSync(out, await page.screenshot());
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
  }
} finally {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Runs a command to its end; its exit code and output. */
function exited(command: string, args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}
