import { expect } from 'chai';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueFiles } from '../../lib/cli/unique-files.js';

describe('cli/unique-files', () => {
  let dir: string;
  let a: string;
  before(() => {
    // realpath: the temporary directory may itself be reached through a link (macOS /var).
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'rocketship-unique-')));
    mkdirSync(join(dir, 'sub'));
    a = join(dir, 'sub', 'a.yaml');
    writeFileSync(a, 'name: a\n');
    writeFileSync(join(dir, 'b.yaml'), 'name: b\n');
    symlinkSync(a, join(dir, 'link.yaml'));
    symlinkSync(join(dir, 'sub'), join(dir, 'subdir-link'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every file named once, in order, with no note', () => {
    const named = [
      { file: 'sub/a.yaml', given: '-f sub/a.yaml' },
      { file: 'b.yaml', given: '-f b.yaml' },
    ];
    expect(uniqueFiles(named, { cwd: dir })).to.deep.equal({ files: named, notes: [] });
  });

  it('keeps the first of names of one file: repeated, ./, .., a link to it, a link to its directory', () => {
    const first = { file: 'sub/a.yaml', given: '-f sub/a.yaml' };
    const { files, notes } = uniqueFiles(
      [
        first,
        { file: 'sub/a.yaml', given: '-f sub/a.yaml' },
        { file: './sub/../sub/a.yaml', given: '-f ./sub/../sub/a.yaml' },
        { file: 'link.yaml', given: '-f link.yaml' },
        { file: join(dir, 'subdir-link', 'a.yaml'), given: '-d subdir-link' },
      ],
      { cwd: dir },
    );
    expect(files).to.deep.equal([first]);
    expect(notes).to.deep.equal([
      `${a} is named twice (-f sub/a.yaml, then -f sub/a.yaml): it runs once`,
      `${a} is named twice (-f sub/a.yaml, then -f ./sub/../sub/a.yaml): it runs once`,
      `${a} is named twice (-f sub/a.yaml, then -f link.yaml): it runs once`,
      `${a} is named twice (-f sub/a.yaml, then -d subdir-link): it runs once`,
    ]);
  });

  it('one note for many files named twice the same way (two overlapping -d)', () => {
    const found = (given: string) => [join(dir, 'b.yaml'), a].map((file) => ({ file, given }));
    const { files, notes } = uniqueFiles([...found('-d .'), ...found('-d ./')], { cwd: dir, verb: 'is validated' });
    expect(files.map((f) => f.given)).to.deep.equal(['-d .', '-d .']);
    expect(notes).to.deep.equal([`2 files are named twice (-d ., then -d ./), e.g. ${join(dir, 'b.yaml')}: each is validated once`]);
  });

  it('a missing file is kept (its error is reported later), and compared as written', () => {
    const { files, notes } = uniqueFiles(
      [
        { file: 'missing.yaml', given: '-f missing.yaml' },
        { file: './missing.yaml', given: '-f ./missing.yaml' },
        { file: 'other-missing.yaml', given: '-f other-missing.yaml' },
      ],
      { cwd: dir },
    );
    expect(files.map((f) => f.file)).to.deep.equal(['missing.yaml', 'other-missing.yaml']);
    expect(notes).to.deep.equal([`${join(dir, 'missing.yaml')} is named twice (-f missing.yaml, then -f ./missing.yaml): it runs once`]);
  });
});
