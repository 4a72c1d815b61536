/**
 * `npm run bench:html`: how large the HTML report of a large run is, how long it takes to render,
 * and how long the page takes to open in headless Chromium (when there is one). The runs are
 * synthetic (specs/helpers/synthetic-run.ts: every test submits, polls and reads a job; bodies
 * differ on every attempt, as a progress counter makes them), folded by the real reporter.
 *
 *   npm run bench:html                          # 500, 1,000 and 5,000 tests of 20 attempts
 *   npm run bench:html -- --tests 5000 --attempts 20
 *
 * docs/html-report.md quotes its table.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { htmlReporter } from '../lib/report/html-report.js';
import { createRedactor } from '../lib/secrets/create-redactor.js';
import { findChromium, launchChromium } from '../specs/helpers/chromium.js';
import { syntheticRun } from '../specs/helpers/synthetic-run.js';

const argv = process.argv.slice(2);
const option = (flag: string): number | undefined => (argv.includes(flag) ? Number(argv[argv.indexOf(flag) + 1]) : undefined);
const attempts = option('--attempts') ?? 20;
const sizes = option('--tests') === undefined ? [500, 1000, 5000] : [option('--tests') as number];

const dir = mkdtempSync(join(tmpdir(), 'rocketship-bench-html-'));
const browser = findChromium() === undefined ? undefined : await launchChromium();
const rows: string[][] = [['tests', 'attempts', 'file', 'render', 'page ready', 'data parsed']];
try {
  for (const tests of sizes) {
    const events = syntheticRun({ tests, attemptsPerTest: attempts });
    const attemptCount = events.filter((e) => e._tag === 'AttemptMade').length;
    // As the CLI renders it: with the run's redactor masking every value.
    const redactor = createRedactor({ secrets: ['a-secret-of-the-run'] });
    const reporter = htmlReporter({ redact: (v) => redactor.redact(v) });
    events.forEach(reporter.next);
    const started = performance.now();
    const html = reporter.render();
    const renderMs = performance.now() - started;
    const file = join(dir, `report-${tests}.html`);
    writeFileSync(file, html);
    let ready = 'no chromium';
    let parsed = '';
    if (browser !== undefined) {
      const page = await browser.open(pathToFileURL(file).href, { width: 1400, height: 1000 });
      await page.waitFor('document.documentElement.dataset.ready === "true"', 120_000);
      const marks = await page.evaluate<Record<string, number>>(
        `Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)]))`,
      );
      ready = `${marks['report-ready']} ms`;
      parsed = `${marks['report-data-parsed']} ms`;
    }
    rows.push([
      tests.toLocaleString('en'),
      attemptCount.toLocaleString('en'),
      `${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB`,
      `${Math.round(renderMs)} ms`,
      ready,
      parsed,
    ]);
  }
} finally {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(`| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
console.log('\n"page ready": from navigation start to the page drawn (list, overview, the first failed test), in the page\'s clock.');
