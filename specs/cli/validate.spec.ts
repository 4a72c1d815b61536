import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runValidate } from '../../lib/cli/validate.js';
import { skipWithoutShared } from '../helpers/shared.js';

const GOOD = (tests: number): string =>
  `name: ok\ntests:\n${Array.from({ length: tests }, (_, i) => `  - name: t${i}\n    steps:\n      - name: s\n        plugin: delay\n        config:\n          duration: 1ms\n`).join('')}`;
const BAD = 'name: bad\ntests:\n  - name: t\n    steps:\n      - name: s\n        plugin: delay\n        config:\n          duration: 5\n';

function capture(): { io: { stdout(s: string): void; stderr(s: string): void }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: (s) => (out += s), stderr: (s) => (err += s) }, out: () => out, err: () => err };
}

describe('cli/validate', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rocketship-validate-'));
    writeFileSync(join(dir, 'one.yaml'), GOOD(1));
    writeFileSync(join(dir, 'two.yaml'), GOOD(2));
    writeFileSync(join(dir, 'bad.yaml'), BAD);
    mkdirSync(join(dir, 'tree', 'a'), { recursive: true });
    writeFileSync(join(dir, 'tree', 'rocketship.yaml'), GOOD(1));
    writeFileSync(join(dir, 'tree', 'a', 'rocketship.yaml'), GOOD(3));
    writeFileSync(join(dir, 'tree', 'a', 'ignored.yaml'), BAD);
    mkdirSync(join(dir, 'empty'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one line per valid file and returns 0', async () => {
    const c = capture();
    const code = await runValidate([join(dir, 'one.yaml'), join(dir, 'two.yaml')], { json: false }, c.io);
    expect(code).to.equal(0);
    expect(c.out()).to.equal(`✓ ${join(dir, 'one.yaml')} (1 test)\n✓ ${join(dir, 'two.yaml')} (2 tests)\n2 files: 2 valid, 0 invalid\n`);
    expect(c.err()).to.equal('');
  });

  it('validates every rocketship.yaml below a directory', async () => {
    const c = capture();
    expect(await runValidate([join(dir, 'tree')], { json: false }, c.io)).to.equal(0);
    expect(c.out()).to.equal(
      `✓ ${join(dir, 'tree', 'a', 'rocketship.yaml')} (3 tests)\n✓ ${join(dir, 'tree', 'rocketship.yaml')} (1 test)\n2 files: 2 valid, 0 invalid\n`,
    );
  });

  it('prints the formatted errors of an invalid file and returns 2', async () => {
    const c = capture();
    const file = join(dir, 'bad.yaml');
    expect(await runValidate([file, join(dir, 'one.yaml')], { json: false }, c.io)).to.equal(2);
    expect(c.out()).to.equal(`✓ ${join(dir, 'one.yaml')} (1 test)\n2 files: 1 valid, 1 invalid\n`);
    expect(c.err()).to.equal(
      [
        `✗ ${file} (1 error)`,
        '',
        `${file}:8:21: 5 is not a duration: add a unit, e.g. "5s" or "5ms"`,
        '  at tests[0].steps[0].config.duration',
        '  expected: a duration such as "250ms", "2s", "1.5s", "1m30s"',
        '  found:    5',
        '  |',
        '8 |           duration: 5',
        '  |                     ^',
        '',
        '',
      ].join('\n'),
    );
    expect(c.err()).not.to.match(/\bat .*\.ts:\d+/); // no stack trace
  });

  it('returns 2 for a path that does not exist and for a directory without suites, said without an invented 1:1', async () => {
    const c = capture();
    expect(await runValidate([join(dir, 'nope.yaml'), join(dir, 'empty')], { json: false }, c.io)).to.equal(2);
    expect(c.err()).to.include(`✗ no such file: ${join(dir, 'nope.yaml')}\n`);
    expect(c.err()).to.include(
      `✗ no suite file found below this directory (looked for files named rocketship.yaml): ${join(dir, 'empty')}\n`,
    );
    expect(c.err()).not.to.include(':1:1');
  });

  it('says a path problem as data with --json: `problem`, and no invented error position', async () => {
    const c = capture();
    expect(await runValidate([join(dir, 'nope.yaml')], { json: true }, c.io)).to.equal(2);
    expect(JSON.parse(c.out())).to.deep.equal([
      { file: join(dir, 'nope.yaml'), valid: false, errors: [], warnings: [], problem: 'no such file' },
    ]);
  });

  it('prints the results as data with --json, and nothing else', async () => {
    const c = capture();
    const file = join(dir, 'bad.yaml');
    expect(await runValidate([join(dir, 'one.yaml'), file], { json: true }, c.io)).to.equal(2);
    expect(c.err()).to.equal('');
    const results = JSON.parse(c.out()) as Array<{ file: string; valid: boolean; errors: Array<Record<string, unknown>> }>;
    expect(results).to.have.length(2);
    expect(results[0]).to.deep.equal({ file: join(dir, 'one.yaml'), valid: true, errors: [], warnings: [] });
    expect(results[1]).to.deep.include({ file, valid: false });
    expect(results[1]?.errors).to.deep.equal([
      {
        file,
        line: 8,
        col: 21,
        path: 'tests[0].steps[0].config.duration',
        message: '5 is not a duration: add a unit, e.g. "5s" or "5ms"',
        expected: 'a duration such as "250ms", "2s", "1.5s", "1m30s"',
        found: '5',
        source: '          duration: 5',
        length: 1,
      },
    ]);
  });

  it('validates a file named twice only once, and refuses an empty list of paths', async () => {
    const c = capture();
    expect(await runValidate([join(dir, 'one.yaml'), join(dir, 'one.yaml')], { json: false }, c.io)).to.equal(0);
    expect(c.out()).to.equal(`✓ ${join(dir, 'one.yaml')} (1 test)\n`);
    const d = capture();
    expect(await runValidate([], { json: false }, d.io)).to.equal(2);
    expect(d.err()).to.equal('rocketship validate: give at least one FILE or DIR\n');
  });

  describe('tests that share a name', () => {
    // tests at lines 3, 8, 13 and 18: "same" three times, "other" once
    const DUP = ['same', 'other', 'same', 'same']
      .map((name) => `  - name: ${name}\n    steps:\n      - name: s\n        plugin: log\n        config: { message: hi }\n`)
      .join('');
    const file = () => join(dir, 'dup.yaml');
    before(() => writeFileSync(file(), `name: dup\ntests:\n${DUP}`));

    it('are valid, with a warning on stderr naming the file and every line, and the exit code unchanged', async () => {
      const c = capture();
      expect(await runValidate([file(), join(dir, 'one.yaml')], { json: false }, c.io)).to.equal(0);
      expect(c.out()).to.equal(`✓ ${file()} (4 tests)\n✓ ${join(dir, 'one.yaml')} (1 test)\n2 files: 2 valid, 0 invalid\n`);
      expect(c.err()).to.equal(
        `${file()}:13:11: warning: 3 tests are named "same" (lines 3, 13 and 18); they still run and are reported apart, the later ones numbered as in "same (2)"\n`,
      );
    });

    it('are listed under warnings with --json, and nothing goes to stderr', async () => {
      const c = capture();
      expect(await runValidate([file(), join(dir, 'bad.yaml')], { json: true }, c.io)).to.equal(2);
      expect(c.err()).to.equal('');
      const results = JSON.parse(c.out()) as Array<{ file: string; valid: boolean; errors: unknown[]; warnings: unknown[] }>;
      expect(results[0]).to.deep.equal({
        file: file(),
        valid: true,
        errors: [],
        warnings: [
          {
            file: file(),
            line: 13,
            col: 11,
            path: 'tests[2].name',
            message:
              '3 tests are named "same" (lines 3, 13 and 18); they still run and are reported apart, the later ones numbered as in "same (2)"',
            lines: [3, 13, 18],
          },
        ],
      });
      expect(results[1]).to.deep.include({ valid: false, warnings: [] });
    });
  });

  it('validates the Rocketship examples that use only shipped plugins', async function () {
    skipWithoutShared(this, "Rocketship's example suites (compat/rocketship)");
    const root = new URL('../../../shared/compat/rocketship/', import.meta.url).pathname;
    const c = capture();
    expect(await runValidate([join(root, 'simple-http.yaml'), join(root, 'retry-policy.yaml')], { json: false }, c.io)).to.equal(0);
    const d = capture();
    expect(await runValidate([join(root, 'supabase-testing.yaml')], { json: false }, d.io)).to.equal(2);
    expect(d.err()).to.include('plugin "supabase" is not supported; supported: delay, http, log, script, sql');
  });
});
