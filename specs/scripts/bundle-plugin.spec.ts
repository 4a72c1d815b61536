import { expect } from 'chai';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { ROOT } from '../helpers/run-cli.js';

type NotAscii = (code: string) => string | undefined;

/** scripts/bundle-plugin.mjs: what scripts/build-cli.mjs refuses to write as a bundle. */
describe('notAscii (scripts/bundle-plugin.mjs): a bundle the launcher can read as latin1', () => {
  let notAscii: NotAscii;
  before(async () => {
    ({ notAscii } = (await import(pathToFileURL(join(ROOT, 'scripts/bundle-plugin.mjs')).href)) as { notAscii: NotAscii });
  });

  it('passes ASCII text, escapes included', () => {
    expect(notAscii('const unit = /(ns|us|\\u00b5s)/y;\nconst cut = "\\u2026";\n')).to.equal(undefined);
  });

  it('names the line and column of the first other character, its line, and the way out', () => {
    const message = notAscii('"use strict";\nconst a = 1;\nconst pattern = String.raw`(ms|µs)`;\nconst b = "…";\n');
    expect(message).to.equal(
      'line 3, column 32: a non-ASCII character ("µ") in "const pattern = String.raw`(ms|µs)`;"; write it as a \\u escape in the source',
    );
  });
});
