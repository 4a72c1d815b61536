import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { discoverSuiteFiles, isRocketshipDir, suiteFilesWanted } from '../../lib/dsl/discover.js';

describe('dsl/discover', () => {
  let dir: string;
  const touch = (...parts: string[]): void => {
    const file = join(dir, ...parts);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, 'name: x\n');
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rocketship-discover-'));
    touch('rocketship.yaml');
    touch('api', 'rocketship.yaml');
    touch('api', 'deep', 'er', 'rocketship.yaml');
    touch('api', 'other.yaml');
    touch('api', 'rocketship.yml');
    touch('node_modules', 'pkg', 'rocketship.yaml');
    touch('.git', 'rocketship.yaml');
    touch('app', '.rocketship', 'auth.yaml');
    touch('app', '.rocketship', 'jobs', 'poll.yaml');
    touch('app', '.rocketship', 'notes.txt');
    touch('app', '.rocketship', 'rocketship.yaml');
    touch('app', '.rocketship', 'tmp', 'scratch.yaml');
    touch('app', '.rocketship', 'jobs', 'tmp', 'deeper.yaml');
    touch('app', 'tmp', 'rocketship.yaml');
    mkdirSync(join(dir, 'loop'));
    symlinkSync(dir, join(dir, 'loop', 'back'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds every rocketship.yaml below a directory, sorted, skipping node_modules, .git and symlinked dirs', () => {
    expect(discoverSuiteFiles(dir)).to.deep.equal([
      join(dir, 'api', 'deep', 'er', 'rocketship.yaml'),
      join(dir, 'api', 'rocketship.yaml'),
      join(dir, 'app', '.rocketship', 'rocketship.yaml'),
      join(dir, 'app', 'tmp', 'rocketship.yaml'),
      join(dir, 'rocketship.yaml'),
    ]);
  });

  it("finds every *.yaml below a directory named .rocketship, but none in a tmp/ directory (Rocketship's scratch space)", () => {
    const suites = join(dir, 'app', '.rocketship');
    expect(discoverSuiteFiles(suites)).to.deep.equal([
      join(suites, 'auth.yaml'),
      join(suites, 'jobs', 'poll.yaml'),
      join(suites, 'rocketship.yaml'),
    ]);
    expect(discoverSuiteFiles(`${suites}/`)).to.have.length(3);
  });

  it('says what it looks for, for a message when it finds nothing', () => {
    expect(suiteFilesWanted(dir)).to.equal('files named rocketship.yaml');
    expect(suiteFilesWanted(join(dir, 'app', '.rocketship'))).to.equal('*.yaml files (outside tmp/ directories)');
    expect(isRocketshipDir('x/.rocketship/')).to.equal(true);
    expect(isRocketshipDir('x/rocketship')).to.equal(false);
  });

  it('gives nothing for a directory that does not exist', () => {
    expect(discoverSuiteFiles(join(dir, 'nope'))).to.deep.equal([]);
  });
});
