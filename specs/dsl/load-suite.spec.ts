import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSuiteFile } from '../../lib/dsl/load-suite.js';

const LOAD_SUITE = fileURLToPath(new URL('../../lib/dsl/load-suite.ts', import.meta.url));

/**
 * `loadSuiteFile(path)` in a process of its own, killed after `ms`: a call that blocks in
 * `open(2)` (a FIFO with no writer) blocks the whole thread, mocha's timeout included.
 */
function loadInChild(path: string, ms = 5_000): { result: unknown; timedOut: boolean } {
  const code = `import { loadSuiteFile } from ${JSON.stringify(LOAD_SUITE)}; process.stdout.write(JSON.stringify(loadSuiteFile(${JSON.stringify(path)})));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    timeout: ms,
    encoding: 'utf8',
    killSignal: 'SIGKILL',
  });
  return { result: r.stdout === '' ? undefined : JSON.parse(r.stdout), timedOut: r.signal === 'SIGKILL' };
}

const GOOD =
  'name: a\ntests:\n  - name: t\n    steps:\n      - name: s\n        plugin: log\n        config:\n          message: "héllo ✓"\n';

describe('dsl/load-suite', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rocketship-load-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and decodes a UTF-8 file, labelling it with the path given', () => {
    const file = join(dir, 'good.yaml');
    writeFileSync(file, GOOD);
    const result = loadSuiteFile(file);
    if (result._tag === 'Left') return expect.fail(result.left[0]?.message);
    expect(result.right.file).to.equal(file);
    expect(result.right.suite.tests[0]?.steps[0]?.config).to.deep.equal({ message: 'héllo ✓' });
  });

  it('drops a UTF-8 byte order mark', () => {
    const file = join(dir, 'bom.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(GOOD)]));
    expect(loadSuiteFile(file)._tag).to.equal('Right');
  });

  it('reports a missing file as an error, not a throw', () => {
    const result = loadSuiteFile(join(dir, 'missing.yaml'));
    if (result._tag === 'Right') return expect.fail('loaded a missing file');
    expect(result.left).to.deep.equal([
      { file: join(dir, 'missing.yaml'), line: 1, col: 1, path: '', message: 'cannot read the file: no such file' },
    ]);
  });

  it('reports a directory as an error', () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const result = loadSuiteFile(sub);
    if (result._tag === 'Right') return expect.fail('loaded a directory');
    expect(result.left[0]?.message).to.equal('cannot read the file: it is a directory, not a file');
  });

  it('refuses a named pipe at once, without waiting for a writer (also through a symbolic link)', function () {
    if (process.platform === 'win32') this.skip();
    this.timeout(20_000);
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const link = join(dir, 'link-to-pipe.yaml');
    symlinkSync(fifo, link);
    for (const path of [fifo, link]) {
      // Before: open(2) waited for a writer that never came; the child was killed after 5s.
      const { result, timedOut } = loadInChild(path);
      expect(timedOut, `${path}: blocked`).to.equal(false);
      expect(result).to.deep.equal({
        _tag: 'Left',
        left: [
          {
            file: path,
            line: 1,
            col: 1,
            path: '',
            message: 'it is a named pipe, not a regular file; a suite is read from a regular file only (save it to one first)',
          },
        ],
      });
    }
  });

  it('refuses a character device without reading it', function () {
    if (process.platform === 'win32') this.skip();
    const result = loadSuiteFile('/dev/null');
    if (result._tag === 'Right') return expect.fail('loaded /dev/null');
    expect(result.left).to.deep.equal([
      {
        file: '/dev/null',
        line: 1,
        col: 1,
        path: '',
        message: 'it is a character device, not a regular file; a suite is read from a regular file only (save it to one first)',
      },
    ]);
  });

  it('reports bytes that are not UTF-8 at their line and column', () => {
    const file = join(dir, 'latin1.yaml');
    // "name: caf\xe9" in Latin-1 on line 2, column 10
    writeFileSync(file, Buffer.concat([Buffer.from('tests: []\nname: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const result = loadSuiteFile(file);
    if (result._tag === 'Right') return expect.fail('loaded a Latin-1 file');
    expect(result.left).to.deep.equal([
      { file, line: 2, col: 10, path: '', message: 'the file is not UTF-8 text (invalid byte at line 2, column 10); save it as UTF-8' },
    ]);
  });

  it('decodes errors of a readable file with positions', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: a\ntests: {}\n');
    const result = loadSuiteFile(file);
    if (result._tag === 'Right') return expect.fail('decoded');
    expect(result.left[0]).to.include({ file, line: 2, col: 8, message: 'expected a list of tests, found a map' });
  });
});
