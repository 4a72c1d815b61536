import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JsonReport } from '../../lib/report/json.js';
import { htmlReporter } from '../../lib/report/html-report.js';
import { launchChromium, skipWithoutChromium, type Chromium, type ChromiumPage } from '../helpers/chromium.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { syntheticRun } from '../helpers/synthetic-run.js';

// The HTML report in a real browser (the system's headless Chromium, driven over the DevTools
// protocol): a run of the real CLI against a local server, then what a person sees: the
// failure, one timeline mark per attempt, coloured by outcome, the filter and the search. A
// screenshot of each page is kept under specs/artifacts/ (ignored by git) to look at.

const ARTIFACTS = join(ROOT, 'specs/artifacts');
const SECRET = 'sekret-7f3a-token';
const HOSTILE = '</script><script>window.pwned = true</script><!-- \u2028';

const SUITE = `
name: "Browser proof"
vars:
  base: "http://127.0.0.1:0"
  down: "http://127.0.0.1:0"
tests:
  - name: "A job done after polling"
    steps:
      - name: "Poll until done"
        plugin: http
        config:
          method: GET
          url: "{{ .vars.base }}/jobs/ok"
          polling:
            interval: 40ms
            timeout: 5s
            conditions: [{ type: json_path, path: .status, expected: done }]
        save: [{ json_path: .status, as: final }]
  - name: "A doomed job stops the poll"
    steps:
      - name: "Poll a doomed job"
        plugin: http
        config:
          method: GET
          url: "{{ .vars.base }}/jobs/doomed"
          polling:
            interval: 40ms
            timeout: 30s
            conditions: [{ type: json_path, path: .status, expected: done }]
            fail_conditions: [{ type: json_path, path: .status, expected: failed }]
      - name: "Never runs"
        plugin: log
        config: { message: "not reached" }
  - name: "A server that is down"
    steps:
      - name: "Poll a closed port"
        plugin: http
        config:
          method: GET
          url: "{{ .vars.down }}/health"
          polling:
            interval: 60ms
            timeout: 400ms
            conditions: [{ type: status_code, expected: 200 }]
  - name: "A flaky endpoint, retried"
    steps:
      - name: "Call until it answers"
        plugin: http
        config: { method: GET, url: "{{ .vars.base }}/flaky" }
        retry: { initial_interval: 50ms, maximum_attempts: 3, backoff_coefficient: 2 }
        assertions: [{ type: status_code, expected: 200 }]
  - name: "A token echoed back"
    steps:
      - name: "Send the token"
        plugin: http
        config:
          method: GET
          url: "{{ .vars.base }}/echo"
          headers: { X-Token: "{{ .secrets.api_token }}" }
        assertions: [{ type: json_path, path: .echo, exists: true }]
      - name: "Say something"
        plugin: log
        config: { message: "the token was sent" }
`;

describe('the HTML report in headless Chromium', function () {
  this.timeout(120_000);
  let chromiumPath: string;
  let server: LocalServer;
  let browser: Chromium;
  let dir: string;
  let json: JsonReport;
  let page: ChromiumPage;

  before(async function () {
    chromiumPath = skipWithoutChromium(this);
    const hits = new Map<string, number>();
    server = await startLocalServer((req, res) => {
      const path = req.url ?? '/';
      const n = (hits.get(path) ?? 0) + 1;
      hits.set(path, n);
      res.setHeader('content-type', 'application/json');
      if (path === '/jobs/ok') return res.end(JSON.stringify({ status: n < 3 ? 'running' : 'done' }));
      if (path === '/jobs/doomed') return res.end(JSON.stringify({ status: n < 3 ? 'running' : 'failed', note: HOSTILE }));
      if (path === '/flaky') return res.writeHead(n < 3 ? 503 : 200).end(JSON.stringify({ attempt: n }));
      if (path === '/echo') return res.end(JSON.stringify({ echo: req.headers['x-token'] }));
      return res.writeHead(404).end('{}');
    });
    // A port nothing listens on: taken, then given back.
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    dir = mkdtempSync(join(tmpdir(), 'rocketship-html-browser-'));
    writeFileSync(join(dir, 'rocketship.yaml'), SUITE);
    const result = await runCli(
      [
        'run',
        '-f',
        join(dir, 'rocketship.yaml'),
        '--var',
        `base=${server.url}`,
        '--var',
        `down=http://127.0.0.1:${closed}`,
        '--secret',
        `api_token=${SECRET}`,
        '--report',
        `html=${join(dir, 'report.html')}`,
        '--report',
        `json=${join(dir, 'report.json')}`,
      ],
      { cwd: dir },
    );
    expect(result.code, result.stderr).to.equal(1);
    json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as JsonReport;
    browser = await launchChromium(chromiumPath);
    page = await browser.open(pathToFileURL(join(dir, 'report.html')).href, { width: 1400, height: 1000 });
    await page.waitFor('document.documentElement.dataset.ready === "true"');
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  /** Selects a test by its row (suite 0, test `index`) and opens every step; resolves to each step's marks' classes. */
  async function openTest(index: number): Promise<string[][]> {
    return page.evaluate<string[][]>(`(async () => {
      document.querySelector('.row[data-id="0-${index}"]').click();
      const steps = [...document.querySelectorAll('#detail details.step')];
      for (const d of steps) d.open = true;
      await new Promise((r) => setTimeout(r, 50));
      return steps.map((d) => [...d.querySelectorAll('.timeline .mark')].map((m) => m.getAttribute('class').replace(' selected', '')));
    })()`);
  }

  it('opens on the failed test, its failure text visible, and is kept as a screenshot', async () => {
    const shown = await page.evaluate<{ head: string; failure: string; visible: boolean }>(`(() => {
      const box = document.getElementById('test-failure');
      const r = box.getBoundingClientRect();
      return { head: document.getElementById('test-head').textContent, failure: box.innerText, visible: r.height > 0 && r.top < innerHeight && getComputedStyle(box).visibility === 'visible' };
    })()`);
    expect(shown.head).to.include('A doomed job stops the poll');
    expect(shown.failure).to.include('fail condition holds: json_path .status == "failed"');
    expect(shown.visible).to.equal(true);
    const png = await page.screenshot();
    expect(png.subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'html-report.png'), png);
  });

  it('shows the summary of the JSON report', async () => {
    const counts = await page.evaluate<Record<string, string>>(
      `Object.fromEntries([...document.querySelectorAll('button.filter')].map((b) => [b.dataset.status, b.querySelector('.n').textContent]))`,
    );
    expect(json.summary).to.include({ passed: 3, failed: 2 });
    expect(counts).to.deep.equal({ all: '5', failed: '2', errored: '0', passed: '3', skipped: '0', interrupted: '0' });
  });

  it('draws one mark per attempt, at its place, coloured by outcome', async () => {
    const tests = json.suites[0]?.tests ?? [];
    for (const [i, test] of tests.entries()) {
      const marks = await openTest(i);
      const timelines = test.steps.map((s) =>
        s.attempts.length > 1 || s.attempts.some((a) => a.timeoutMs !== undefined) ? s.attempts.length : 0,
      );
      expect(
        marks.map((m) => m.length),
        test.name,
      ).to.deep.equal(timelines);
    }
    expect(await openTest(0)).to.deep.equal([['mark not-yet', 'mark not-yet', 'mark held']]);
    expect((await openTest(1))[0]).to.deep.equal(['mark not-yet', 'mark not-yet', 'mark failed']);
    const down = (await openTest(2))[0] ?? [];
    expect(down.length).to.be.greaterThan(1);
    expect(new Set(down)).to.deep.equal(new Set(['mark transport']));
    expect(await page.evaluate<number>(`document.querySelectorAll('#detail .timeline svg line.deadline').length`)).to.equal(1);
    expect((await openTest(3))[0]).to.deep.equal(['mark failed', 'mark failed', 'mark held']);
    expect(
      await page.evaluate<string[]>(
        `[...document.querySelectorAll('#detail .timeline text')].map((t) => t.textContent).filter((t) => t.startsWith('run '))`,
      ),
    ).to.deep.equal(['run 1', 'run 2', 'run 3']);
    expect(await page.evaluate<number>(`document.querySelectorAll('#detail .timeline .retry-wait').length`)).to.equal(2);
  });

  it("gives each attempt's condition results on hover, and its request and response on click", async () => {
    await openTest(1);
    const hover = await page.evaluate<string>(`document.querySelector('#detail .timeline .mark title').textContent`);
    expect(hover).to.match(/^attempt 1 · 200 · not yet/);
    expect(hover).to.include('\u2717 json_path .status expected "done", actual "running"');
    const clicked = await page.evaluate<{ head: string; exchange: string }>(`(() => {
      document.querySelector('#detail .timeline .mark').dispatchEvent(new MouseEvent('click', { bubbles: true }));
      const box = document.querySelector('#detail .attempt-detail');
      return { head: box.querySelector('h4').textContent, exchange: box.querySelector('.exchange').innerText };
    })()`);
    expect(clicked.head).to.match(/^attempt 1 · 200/);
    expect(clicked.exchange).to.include('/jobs/doomed');
    expect(clicked.exchange).to.include('"status": "running"');
    // The server's hostile text is shown as text, never run.
    expect(clicked.exchange).to.include('</script><script>window.pwned = true</script>');
    expect(await page.evaluate<unknown>('window.pwned')).to.equal(undefined);
  });

  it('filters by status and searches by name', async () => {
    const rows = (script: string) =>
      page.evaluate<string[]>(
        `(async () => { ${script}; await new Promise((r) => setTimeout(r, 20)); return [...document.querySelectorAll('#list .test-row')].map((r) => r.dataset.status + ' ' + r.querySelector('.name').textContent); })()`,
      );
    expect(await rows(`document.querySelector('button.filter[data-status="passed"]').click()`)).to.deep.equal([
      'passed A job done after polling',
      'passed A flaky endpoint, retried',
      'passed A token echoed back',
    ]);
    expect(
      await rows(
        `document.querySelector('button.filter[data-status="all"]').click(); const s = document.getElementById('search'); s.value = 'FLAKY'; s.dispatchEvent(new Event('input'))`,
      ),
    ).to.deep.equal(['passed A flaky endpoint, retried']);
    expect(await page.evaluate<string>(`document.getElementById('list-count').textContent`)).to.equal('1 of 5 tests matching “FLAKY”');
    expect(await rows(`const s = document.getElementById('search'); s.value = ''; s.dispatchEvent(new Event('input'))`)).to.have.length(5);
  });

  it('shows the secret nowhere, neither in the file nor on the page', async () => {
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).not.to.include(SECRET);
    await openTest(4);
    const text = await page.evaluate<string>(`document.documentElement.innerText + document.documentElement.outerHTML`);
    expect(text).not.to.include(SECRET);
    expect(text).to.include('"echo": "***"');
  });

  it('keeps a run of 5,000 tests and 110,000 attempts to the rows in view', async () => {
    const reporter = htmlReporter();
    syntheticRun({ tests: 5000, attemptsPerTest: 20 }).forEach(reporter.next);
    writeFileSync(join(dir, 'large.html'), reporter.render());
    const large = await browser.open(pathToFileURL(join(dir, 'large.html')).href, { width: 1400, height: 1000 });
    await large.waitFor('document.documentElement.dataset.ready === "true"', 60_000);
    const counts = await large.evaluate<{ rows: number; bars: number; marks: number; nodes: number }>(
      `({ rows: document.querySelectorAll('#list .row').length, bars: document.querySelectorAll('.gantt-bar').length, marks: document.querySelectorAll('.mark').length, nodes: document.getElementsByTagName('*').length })`,
    );
    // The rows in view (and a few either side), the overview's 5,000 bars, and the selected test's 20 marks.
    expect(counts.rows).to.be.below(80);
    expect(counts.bars).to.equal(5000);
    expect(counts.marks).to.equal(20);
    expect(counts.nodes).to.be.below(6000);
    // Scrolled to the end, the last test is drawn.
    const last = await large.evaluate<string>(
      `(async () => { const l = document.getElementById('list'); l.scrollTop = l.scrollHeight; l.dispatchEvent(new Event('scroll')); await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 20))); return [...document.querySelectorAll('#list .test-row .name')].pop().textContent; })()`,
    );
    expect(last).to.equal('Job 5000: submit, poll until done, read the result');
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'html-report-large.png'), await large.screenshot());
  });
});
