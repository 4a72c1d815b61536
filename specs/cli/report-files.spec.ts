import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReportFiles } from '../../lib/cli/report-files.js';
import type { JsonReport } from '../../lib/report/json.js';
import { RunError } from '../../lib/report/run-error.js';
import { passingSuite } from '../report/fixtures.js';

describe('cli/report-files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rocketship-report-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('one reporter per request; write() renders and writes each, relative to cwd', async () => {
    const files = createReportFiles([{ format: 'json', path: 'out/r.json' }, { format: 'junit', path: 'out/j.xml' }], { cwd: dir });
    expect(files.reporters).to.have.length(2);
    for (const event of passingSuite()) files.reporters.forEach((r) => r.next(event));
    expect(await files.write()).to.deep.equal([]);
    expect((JSON.parse(readFileSync(join(dir, 'out/r.json'), 'utf8')) as JsonReport).summary).to.include({ passed: 1 });
    expect(readFileSync(join(dir, 'out/j.xml'), 'utf8')).to.match(/^<\?xml/);
  });

  it('removeStale() deletes what an earlier run left, and is quiet when nothing is there', () => {
    writeFileSync(join(dir, 'old.xml'), '<testsuites/>');
    const files = createReportFiles([{ format: 'junit', path: 'old.xml' }, { format: 'json', path: 'never-written.json' }], { cwd: dir });
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

  for (const how of ['write', 'writeNow'] as const) {
    it(`${how}(): a report that cannot be written is a problem naming the flag, and the earlier file is removed`, async () => {
      writeFileSync(join(dir, 'r.json'), '{"stale":true}');
      // A directory where the temporary file would go: opening it for writing fails.
      mkdirSync(join(dir, `.r.json.${process.pid}.tmp`));
      const files = createReportFiles([{ format: 'json', path: 'r.json' }], { cwd: dir });
      const problems = how === 'write' ? await files.write() : files.writeNow();
      expect(problems).to.deep.equal(['--report json=r.json: cannot write (EISDIR)']);
      expect(existsSync(join(dir, 'r.json')), 'the earlier run\'s report').to.equal(false);
    });
  }
});
