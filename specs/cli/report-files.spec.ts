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
    const events = passingSuite().map((e) => (e._tag === 'SuiteStarted' ? { ...e, suite: 'learned-late-tok' } : e));
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
});
