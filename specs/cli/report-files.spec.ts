import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReportFiles } from '../../lib/cli/report-files.js';
import type { JsonReport } from '../../lib/report/json.js';
import { RunError } from '../../lib/report/run-error.js';
import { createRedactor } from '../../lib/secrets/create-redactor.js';
import { passingSuite } from '../report/fixtures.js';

describe('cli/report-files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rocketship-report-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('one reporter per request; write() renders and writes each, relative to cwd', async () => {
    const files = createReportFiles(
      [
        { format: 'json', path: 'out/r.json' },
        { format: 'junit', path: 'out/j.xml' },
      ],
      { cwd: dir },
    );
    expect(files.reporters).to.have.length(2);
    for (const event of passingSuite()) files.reporters.forEach((r) => r.next(event));
    expect(await files.write()).to.deep.equal([]);
    expect((JSON.parse(readFileSync(join(dir, 'out/r.json'), 'utf8')) as JsonReport).summary).to.include({ passed: 1 });
    expect(readFileSync(join(dir, 'out/j.xml'), 'utf8')).to.match(/^<\?xml/);
  });

  it('removeStale() deletes what an earlier run left, and is quiet when nothing is there', () => {
    writeFileSync(join(dir, 'old.xml'), '<testsuites/>');
    const files = createReportFiles(
      [
        { format: 'junit', path: 'old.xml' },
        { format: 'json', path: 'never-written.json' },
      ],
      { cwd: dir },
    );
    expect(files.removeStale()).to.deep.equal([]);
    expect(existsSync(join(dir, 'old.xml'))).to.equal(false);
  });

  it('stop() hands the error to every reporter; writeNow() writes synchronously', () => {
    const files = createReportFiles([{ format: 'json', path: 'r.json' }], { cwd: dir });
    files.stop(new RunError([{ kind: 'usage', message: 'unknown option --bogus' }], { started: false }));
    expect(files.writeNow()).to.deep.equal([]);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport;
    expect(report.errors).to.deep.equal([{ kind: 'usage', message: 'unknown option --bogus' }]);
  });

  it("with the run's redactor: error entries are masked, and the rendered reports again with values it learned after the events", async () => {
    const redactor = createRedactor({ secrets: ['given-s3cret'] });
    const files = createReportFiles(
      [
        { format: 'json', path: 'r.json' },
        { format: 'junit', path: 'j.xml' },
      ],
      { cwd: dir, redactor },
    );
    // an event that showed a value before the run knew it was a credential
    const events = passingSuite().map((e) => (e._tag === 'SuiteStarted' ? { ...e, ref: { ...e.ref, suite: 'learned-late-tok' } } : e));
    for (const event of events) files.reporters.forEach((r) => r.next(event));
    files.stop(new RunError([{ kind: 'internal', message: 'failed near given-s3cret' }], { started: true, at: 5 }));
    redactor.addSecrets(['learned-late-tok']);
    expect(await files.write()).to.deep.equal([]);
    const json = readFileSync(join(dir, 'r.json'), 'utf8');
    const junit = readFileSync(join(dir, 'j.xml'), 'utf8');
    for (const text of [json, junit]) {
      expect(text).not.to.contain('given-s3cret');
      expect(text).not.to.contain('learned-late-tok');
    }
    expect((JSON.parse(json) as JsonReport).errors).to.deep.equal([{ kind: 'internal', message: 'failed near ***' }]);
    // The late value was in the report (the SuiteStarted event), and was masked there.
    expect(json).to.contain('"suite": "***"');
  });

  describe('html=PATH (issue 14, part 2)', () => {
    /** The report's data, as the page reads it back. */
    const dataOf = (html: string) => {
      const open = '<script type="application/json" id="report-data">';
      const from = html.indexOf(open) + open.length;
      return JSON.parse(html.slice(from, html.indexOf('</script>', from))) as { suites: Array<{ name: string }>; errors: unknown[] };
    };

    it('writes one self-contained page; a directory is refused with a file name to use', async () => {
      mkdirSync(join(dir, 'out'));
      const files = createReportFiles(
        [
          { format: 'html', path: 'out' },
          { format: 'html', path: 'site/report.html' },
        ],
        { cwd: dir },
      );
      expect(files.check()).to.deep.equal(['--report html=out: out is a directory; give a file path, such as out/report.html']);
      for (const event of passingSuite()) files.reporters.forEach((r) => r.next(event));
      expect(await files.write()).to.deep.equal([]);
      const html = readFileSync(join(dir, 'site/report.html'), 'utf8');
      expect(html).to.match(/^<!DOCTYPE html>/);
      expect(dataOf(html).suites.map((s) => s.name)).to.deep.equal(['Async Operations']);
    });

    it('is masked value by value with what the redactor learned late, not as text afterwards (which could cut into the page)', async () => {
      const redactor = createRedactor({ secrets: ['given-s3cret', 'const data'] });
      const files = createReportFiles([{ format: 'html', path: 'r.html' }], { cwd: dir, redactor });
      const events = passingSuite().map((e) => (e._tag === 'SuiteStarted' ? { ...e, ref: { ...e.ref, suite: 'learned<late>tok' } } : e));
      for (const event of events) files.reporters.forEach((r) => r.next(event));
      files.stop(new RunError([{ kind: 'internal', message: 'failed near given-s3cret' }], { started: true, at: 5 }));
      redactor.addSecrets(['learned<late>tok']);
      expect(files.writeNow()).to.deep.equal([]);
      const html = readFileSync(join(dir, 'r.html'), 'utf8');
      expect(html).not.to.contain('given-s3cret');
      expect(html).not.to.contain('learned\\u003clate\\u003etok');
      const data = dataOf(html);
      expect(data.suites.map((s) => s.name)).to.include('***');
      expect(data.errors).to.deep.equal([{ kind: 'internal', message: 'failed near ***' }]);
      // A secret that happens to be text of the page's own script leaves the script whole.
      expect(html).to.contain('var data = JSON.parse(');
    });
  });

  for (const how of ['write', 'writeNow'] as const) {
    it(`${how}(): a report that cannot be written is a problem naming the flag, and the earlier file is removed`, async () => {
      writeFileSync(join(dir, 'r.json'), '{"stale":true}');
      // A directory where the temporary file would go: opening it for writing fails.
      mkdirSync(join(dir, `.r.json.${process.pid}.tmp`));
      const files = createReportFiles([{ format: 'json', path: 'r.json' }], { cwd: dir });
      const problems = how === 'write' ? await files.write() : files.writeNow();
      expect(problems).to.deep.equal(['--report json=r.json: cannot write (EISDIR)']);
      expect(existsSync(join(dir, 'r.json')), "the earlier run's report").to.equal(false);
    });
  }

  describe('check(): report paths are checked before the run (issue 12, item 3)', () => {
    it('a directory, a file in the way of its directory, an input of the run, two reports at one path: each a problem, left out of later writes', async () => {
      mkdirSync(join(dir, 'out'));
      writeFileSync(join(dir, 'a-file'), 'x');
      writeFileSync(join(dir, 'suite.yaml'), 'name: x');
      const files = createReportFiles(
        [
          { format: 'junit', path: 'out' },
          { format: 'json', path: 'a-file/r.json' },
          { format: 'json', path: 'suite.yaml' },
          { format: 'json', path: 'fine/deep/r.json' },
          { format: 'junit', path: './fine/deep/r.json' },
        ],
        { cwd: dir },
      );
      expect(files.check([join(dir, 'suite.yaml')])).to.deep.equal([
        '--report junit=out: out is a directory; give a file path, such as out/junit.xml',
        `--report json=a-file/r.json: cannot create its directory: ${join(dir, 'a-file')} is a file`,
        '--report json=suite.yaml: suite.yaml is an input of the run; the report would overwrite it',
        '--report junit=./fine/deep/r.json: --report json=fine/deep/r.json names the same file; give each report its own path',
      ]);
      // Nothing was created by checking.
      expect(existsSync(join(dir, 'fine'))).to.equal(false);
      // The problems are not reported again, nor is anything written in their place.
      expect(files.removeStale()).to.deep.equal([]);
      expect(await files.write()).to.deep.equal([]);
      expect(readFileSync(join(dir, 'suite.yaml'), 'utf8')).to.equal('name: x');
      expect(JSON.parse(readFileSync(join(dir, 'fine/deep/r.json'), 'utf8'))).to.have.property('tool', 'rocketship-rx');
    });

    it('a directory that cannot be written to', function () {
      if (process.getuid?.() === 0) return this.skip(); // root writes anywhere
      const locked = join(dir, 'locked');
      mkdirSync(locked, { mode: 0o500 });
      const files = createReportFiles([{ format: 'json', path: 'locked/sub/r.json' }], { cwd: dir });
      expect(files.check()).to.deep.equal([`--report json=locked/sub/r.json: cannot write in ${locked} (EACCES)`]);
    });
  });

  describe('the path - is stdout (issue 12, item 12)', () => {
    it('the document goes to stdout, whole, in one write, once; the other reports to their files', async () => {
      const out: string[] = [];
      const files = createReportFiles(
        [
          { format: 'json', path: '-' },
          { format: 'junit', path: 'j.xml' },
        ],
        { cwd: dir, stdout: (text) => out.push(text) },
      );
      expect(files.toStdout).to.equal(true);
      expect(files.check()).to.deep.equal([]);
      expect(files.removeStale()).to.deep.equal([]);
      for (const event of passingSuite()) files.reporters.forEach((r) => r.next(event));
      expect(await files.write()).to.deep.equal([]);
      // A second signal after the run's own write must not print a second document.
      expect(files.writeNow()).to.deep.equal([]);
      expect(out).to.have.length(1);
      expect((JSON.parse(out[0] ?? '') as JsonReport).summary).to.include({ passed: 1 });
      expect(existsSync(join(dir, '-'))).to.equal(false);
      expect(readFileSync(join(dir, 'j.xml'), 'utf8')).to.match(/^<\?xml/);
    });

    it('is masked like a file; without a stdout to write to, it is refused at once', () => {
      const out: string[] = [];
      const redactor = createRedactor({ secrets: ['given-s3cret'] });
      const files = createReportFiles([{ format: 'junit', path: '-' }], { cwd: dir, redactor, stdout: (text) => out.push(text) });
      files.stop(new RunError([{ kind: 'usage', message: 'near given-s3cret' }], { started: false }));
      expect(files.writeNow()).to.deep.equal([]);
      expect(out.join('')).to.contain('near ***').and.not.contain('given-s3cret');
      expect(createReportFiles([{ format: 'json', path: 'r.json' }], { cwd: dir }).toStdout).to.equal(false);
      expect(() => createReportFiles([{ format: 'json', path: '-' }], { cwd: dir })).to.throw(/no stdout was given/);
    });
  });
});
