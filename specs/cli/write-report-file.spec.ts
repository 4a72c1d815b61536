import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeReportFile, writeReportFileSync } from '../../lib/cli/write-report-file.js';

const MODULE = fileURLToPath(new URL('../../lib/cli/write-report-file.ts', import.meta.url));

describe('cli/write-report-file', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rocketship-write-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces an earlier file whole, creates missing directories, leaves no temporary file', async () => {
    const path = join(dir, 'out', 'deep', 'junit.xml');
    await writeReportFile(path, 'first');
    expect(readFileSync(path, 'utf8')).to.equal('first');
    await writeReportFile(path, 'second, longer than the first');
    expect(readFileSync(path, 'utf8')).to.equal('second, longer than the first');
    writeReportFileSync(path, 'ü'.repeat(100_000));
    expect(readFileSync(path, 'utf8')).to.equal('ü'.repeat(100_000));
    expect(readdirSync(join(dir, 'out', 'deep'))).to.deep.equal(['junit.xml']);
  });

  it('throws what went wrong (a directory in the way), at once, and removes its temporary file', async () => {
    const path = join(dir, 'taken');
    mkdirSync(join(path, 'inside'), { recursive: true });
    const started = performance.now();
    const error = await writeReportFile(path, 'x').then(
      () => undefined,
      (e: NodeJS.ErrnoException) => e,
    );
    expect(error?.code).to.be.oneOf(['EISDIR', 'ENOTEMPTY', 'EEXIST']);
    expect(performance.now() - started, 'not retried').to.be.below(500);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).to.deep.equal([]);
    expect(() => writeReportFileSync(path, 'x')).to.throw();
  });

  /**
   * In a process of its own under `ulimit -n 64`: every descriptor is taken, then given back
   * after 200ms (as idle sockets are when the HTTP pool closes them).
   */
  function outOfDescriptors(retries: number): { code: string; wrote: boolean } {
    const target = join(dir, `emfile-${retries}.json`);
    const code = `
      import { openSync, closeSync } from 'node:fs';
      import { writeReportFile } from ${JSON.stringify(MODULE)};
      const held = [];
      try { for (;;) held.push(openSync('/dev/null', 'r')); } catch (e) { if (e.code !== 'EMFILE') throw e; }
      setTimeout(() => held.forEach((fd) => closeSync(fd)), 200);
      try {
        await writeReportFile(${JSON.stringify(target)}, '{"ok":true}', { retries: ${retries}, delayMs: 50 });
        console.log('written');
      } catch (e) {
        console.log(e.code);
      }`;
    // tsx itself needs descriptors: the module is loaded before they are all taken.
    const r = spawnSync('bash', ['-c', `ulimit -n 64 && exec "${process.execPath}" --import tsx --input-type=module -e "$0"`, code], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    let wrote = false;
    try {
      wrote = readFileSync(target, 'utf8') === '{"ok":true}';
    } catch {
      wrote = false;
    }
    return { code: `${r.stdout.trim()}${r.stderr.trim() === '' ? '' : ` / ${r.stderr.trim()}`}`, wrote };
  }

  it('out of file descriptors (EMFILE): waits and retries until they are given back', function () {
    if (process.platform === 'win32') this.skip();
    this.timeout(30_000);
    expect(outOfDescriptors(8)).to.deep.equal({ code: 'written', wrote: true });
    // The same without retries: the error the reports used to fail with.
    expect(outOfDescriptors(0)).to.deep.equal({ code: 'EMFILE', wrote: false });
  });
});
