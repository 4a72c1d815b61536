import { expect } from 'chai';
import { mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchFileSet, type FileWatcher } from '../../lib/cli/file-watcher.js';

/** fs.watch through watchFileSet on real files: what is reported, and what is not. */
describe('cli/file-watcher', function () {
  this.timeout(20_000);
  let dir: string;
  let watcher: FileWatcher | undefined;
  let reports: string[][];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rocketship-watch-'));
    reports = [];
  });
  afterEach(() => {
    watcher?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** Waits until `n` reports came, or fails after a while. */
  const reported = async (n: number): Promise<void> => {
    for (let waited = 0; reports.length < n; waited += 20) {
      if (waited > 10_000) throw new Error(`expected ${n} reports, got ${JSON.stringify(reports)}`);
      await sleep(20);
    }
  };
  const watching = (...names: string[]): FileWatcher => {
    watcher = watchFileSet((changed) => reports.push(changed.map((p) => p.slice(dir.length + 1))), { debounceMs: 50 });
    watcher.update(names.map((n) => join(dir, n)));
    return watcher;
  };

  it('reports a file written in place, and one replaced by a rename (as editors save), each once', async () => {
    writeFileSync(join(dir, 'a.yaml'), 'one');
    writeFileSync(join(dir, 'b.yaml'), 'one');
    watching('a.yaml', 'b.yaml');
    writeFileSync(join(dir, 'a.yaml'), 'two');
    await reported(1);
    writeFileSync(join(dir, '.b.yaml.tmp'), 'two');
    renameSync(join(dir, '.b.yaml.tmp'), join(dir, 'b.yaml'));
    await reported(2);
    // The watch survives the rename: the next save is seen too.
    writeFileSync(join(dir, '.b.yaml.tmp'), 'three');
    renameSync(join(dir, '.b.yaml.tmp'), join(dir, 'b.yaml'));
    await reported(3);
    expect(reports).to.deep.equal([['a.yaml'], ['b.yaml'], ['b.yaml']]);
  });

  it('a burst of writes is one report; a touch, a rewrite of the same text and other files of the folder are none', async () => {
    writeFileSync(join(dir, 'a.yaml'), 'one');
    watching('a.yaml');
    for (let i = 0; i < 20; i += 1) writeFileSync(join(dir, 'a.yaml'), `v${i}`);
    await reported(1);
    utimesSync(join(dir, 'a.yaml'), new Date(), new Date());
    writeFileSync(join(dir, 'a.yaml'), 'v19');
    writeFileSync(join(dir, 'report.json'), '{}');
    await sleep(400);
    expect(reports).to.deep.equal([['a.yaml']]);
  });

  it('a file that appears, and one that goes', async () => {
    writeFileSync(join(dir, 'gone.yaml'), 'x');
    watching('new.yaml', 'gone.yaml');
    writeFileSync(join(dir, 'new.yaml'), 'x');
    await reported(1);
    rmSync(join(dir, 'gone.yaml'));
    await reported(2);
    expect(reports).to.deep.equal([['new.yaml'], ['gone.yaml']]);
  });

  it('update() changes what is watched; close() ends the reports', async () => {
    writeFileSync(join(dir, 'a.yaml'), 'one');
    writeFileSync(join(dir, 'b.yaml'), 'one');
    const w = watching('a.yaml');
    expect(w.size).to.equal(1);
    w.update([join(dir, 'b.yaml')]);
    writeFileSync(join(dir, 'a.yaml'), 'two');
    writeFileSync(join(dir, 'b.yaml'), 'two');
    await reported(1);
    w.close();
    writeFileSync(join(dir, 'b.yaml'), 'three');
    await sleep(300);
    expect(reports).to.deep.equal([['b.yaml']]);
  });
});
