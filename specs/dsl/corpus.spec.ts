import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeSuiteText } from '../../lib/dsl/decode-suite.js';
import { formatDslError } from '../../lib/dsl/format-dsl-error.js';

// Every file of corpus/bad/ is a broken suite; its sibling NN-name.expected.json lists every
// error the decoder must report for it, in order, with exact line, column, path and text.
const dir = fileURLToPath(new URL('./corpus/bad/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

interface Expected {
  line: number;
  col: number;
  path: string;
  message: string;
}

describe('dsl: the bad-file corpus', () => {
  it('has at least 40 files, each with its expectations', () => {
    expect(files.length).to.be.at.least(40);
    const expectations = readdirSync(dir).filter((f) => f.endsWith('.expected.json'));
    expect(expectations.map((f) => f.replace('.expected.json', '.yaml')).sort()).to.deep.equal(files);
  });

  for (const file of files) {
    it(file, () => {
      const text = readFileSync(join(dir, file), 'utf8');
      const expected = JSON.parse(readFileSync(join(dir, file.replace(/\.yaml$/, '.expected.json')), 'utf8')) as Expected[];
      const result = decodeSuiteText(text, file);
      if (result._tag === 'Right') expect.fail(`${file} decoded, but it is broken`);
      const errors = result.left;
      expect(errors.map(({ line, col, path, message }) => ({ line, col, path, message }))).to.deep.equal(expected);

      // Each error carries its source line, and the formatted error shows it with a caret.
      const lines = text.split('\n');
      for (const e of errors) {
        expect(e.file).to.equal(file);
        // A DSN (it may hold a password) is not quoted back: `***` stands in its place.
        const line = lines[e.line - 1] ?? '';
        expect(e.source).to.equal(e.path.endsWith('.dsn') ? `${line.slice(0, e.col - 1)}***` : line);
        const formatted = formatDslError(e);
        expect(formatted).not.to.contain('s3cret-pw'); // 76-sql-bad-dsns: the password of a DSN that does not parse
        expect(formatted.split('\n')[0]).to.equal(`${file}:${e.line}:${e.col}: ${e.message}`);
        expect(formatted).to.match(/\n\s*\| *\^+$/);
      }
    });
  }
});
