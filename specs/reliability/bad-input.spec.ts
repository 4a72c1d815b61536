import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { NEVER } from 'rxjs';
import type { CliIO } from '../../lib/cli/cli-io.js';
import { parseEnvFile } from '../../lib/cli/env-file.js';
import { parseArgs } from '../../lib/cli/parse-args.js';
import { runCommand } from '../../lib/cli/run-command.js';
import { parseVarAssignments, parseVarFile } from '../../lib/cli/var-args.js';
import { MAX_ALIAS_NODES, MAX_ANCHORS_AND_ALIASES, MAX_NESTING } from '../../lib/dsl/document-limits.js';
import { MAX_ERRORS } from '../../lib/dsl/cap-errors.js';
import type { DslError } from '../../lib/dsl/dsl-error.js';
import { loadSuiteFile, MAX_SUITE_FILE_BYTES } from '../../lib/dsl/load-suite.js';
import { runCli } from '../helpers/run-cli.js';

// Files and flags a user gets wrong, or an attacker crafts: each is one clear error (exit code
// 2 from the CLI, no stack trace), with a location where one makes sense, in bounded memory.
// Memory is measured loosely as the growth of the resident set; time only by mocha timeouts.
// The CLI specs run the compiled CLI: `npm run build` after changing lib/.

const LOG_SUITE =
  'name: ok\ntests:\n  - name: t\n    steps:\n      - name: s\n        plugin: log\n        config:\n          message: hi\n';
const MB = 1024 * 1024;
/** The suite file size limit as messages write it. */
const LIMIT = `${MAX_SUITE_FILE_BYTES / MB} MiB`;
/** Loose bound on the growth of the resident set while one bad file is handled. */
const MEMORY_BOUND = 200 * MB;

/** Runs `f` and checks the process did not grow by more than {@link MEMORY_BOUND}. */
function inBoundedMemory<A>(f: () => A): A {
  const before = process.memoryUsage().rss;
  const result = f();
  const grown = process.memoryUsage().rss - before;
  expect(grown, `resident set grew by ${Math.round(grown / MB)} MB`).to.be.below(MEMORY_BOUND);
  return result;
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string, from = 0): { line: number; col: number } {
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`${needle} is not in the text`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, col: (before[before.length - 1] ?? '').length + 1 };
}

/** A suite whose `vars` hold `vars` (indented YAML lines). */
function withVars(vars: string): string {
  return `${LOG_SUITE}vars:\n${vars}`;
}

/** Nine lists of nine aliases of the list before: 9^9 "lol"s once expanded. */
function billionLaughs(): string {
  let vars = '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  const names = 'abcdefghi';
  for (let i = 1; i < names.length; i++)
    vars += `  ${names[i]}: &${names[i]} [${Array(9)
      .fill(`*${names[i - 1]}`)
      .join(',')}]\n`;
  return withVars(vars);
}

/** The vars of {@link billionLaughs} as a var file. */
const VAR_BOMB = billionLaughs().slice(`${LOG_SUITE}vars:\n`.length);

describe('reliability: bad input', function () {
  this.timeout(60_000);
  let dir: string;
  const file = (name: string, content: string | Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const errorsOf = (path: string): DslError[] => {
    const result = inBoundedMemory(() => loadSuiteFile(path));
    if (E.isRight(result)) return expect.fail(`${path} decoded`);
    for (const e of result.left) {
      expect(e.file).to.equal(path);
      expect(e.line).to.be.at.least(1);
      expect(e.col).to.be.at.least(1);
      expect(e.message).to.be.a('string').and.not.equal('');
    }
    return result.left;
  };
  /** The one error of a file, checked for position and message. */
  const oneError = (path: string, expected: { line: number; col: number; message: RegExp | string; path?: string }): DslError => {
    const errors = errorsOf(path);
    expect(errors, JSON.stringify(errors)).to.have.length(1);
    const e = errors[0] as DslError;
    expect({ line: e.line, col: e.col }).to.deep.equal({ line: expected.line, col: expected.col });
    if (typeof expected.message === 'string') expect(e.message).to.equal(expected.message);
    else expect(e.message).to.match(expected.message);
    if (expected.path !== undefined) expect(e.path).to.equal(expected.path);
    return e;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rocketship-bad-input-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('suite files (loadSuiteFile)', () => {
    it('bytes that are not UTF-8: the first bad byte, by line and column', () => {
      const cases: Array<[string, Buffer, number, number]> = [
        ['Latin-1 é', Buffer.concat([Buffer.from('name: x\nmessage: caf'), Buffer.from([0xe9]), Buffer.from('\n')]), 2, 13],
        ['a lone continuation byte', Buffer.concat([Buffer.from('name: '), Buffer.from([0x80])]), 1, 7],
        ['an overlong "/"', Buffer.concat([Buffer.from('name: ok\n  x: '), Buffer.from([0xc0, 0xaf])]), 2, 6],
        ['a sequence cut short at the end', Buffer.concat([Buffer.from('name: ✓\n'), Buffer.from([0xe2, 0x82])]), 2, 1],
        ['an encoded UTF-16 surrogate', Buffer.concat([Buffer.from('a: 😀 '), Buffer.from([0xed, 0xa0, 0x80])]), 1, 6],
        ['a byte no UTF-8 text holds', Buffer.concat([Buffer.from('ab'), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80])]), 1, 3],
      ];
      for (const [label, bytes, line, col] of cases) {
        const path = file(`not-utf8-${label.replace(/\W+/g, '-')}.yaml`, bytes);
        oneError(path, {
          line,
          col,
          path: '',
          message: `the file is not UTF-8 text (invalid byte at line ${line}, column ${col}); save it as UTF-8`,
        });
      }
    });

    it('UTF-16 and UTF-32 text with a byte order mark: named as such', () => {
      const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LOG_SUITE, 'utf16le')]);
      const be = Buffer.from(le.subarray(2)).swap16();
      oneError(file('utf16le.yaml', le), {
        line: 1,
        col: 1,
        message: 'the file is UTF-16 text (it starts with a UTF-16 byte order mark); save it as UTF-8',
      });
      oneError(file('utf16be.yaml', Buffer.concat([Buffer.from([0xfe, 0xff]), be])), {
        line: 1,
        col: 1,
        message: /UTF-16 text .* save it as UTF-8$/,
      });
      oneError(file('utf32le.yaml', Buffer.from([0xff, 0xfe, 0, 0, 0x6e, 0, 0, 0])), {
        line: 1,
        col: 1,
        message: /^the file is UTF-32 text/,
      });
    });

    it('UTF-16 text without a byte order mark, and binary data: the first NUL character', () => {
      oneError(file('utf16-no-bom.yaml', Buffer.from(LOG_SUITE, 'utf16le')), {
        line: 1,
        col: 2,
        message:
          'the file holds a NUL character (at line 1, column 2): it is binary, or UTF-16 text without a byte order mark; save it as UTF-8',
      });
      oneError(file('nul.yaml', `${LOG_SUITE}vars:\n  a: "x\u0000"\n`), {
        line: 10,
        col: 8,
        message: /^the file holds a NUL character \(at line 10, column 8\)/,
      });
    });

    it('empty, whitespace-only, comment-only and BOM-only files: "the file is empty"', () => {
      const empty = 'the file is empty; a suite needs at least "name" and "tests"';
      for (const [name, content] of [
        ['empty.yaml', ''],
        ['blank.yaml', '  \n\t\n\r\n\n   '],
        ['comments.yaml', '# a suite\n   # will be here\n'],
        ['bom.yaml', '\uFEFF'],
        ['dashes.yaml', '---\n'],
      ] as const) {
        oneError(file(name, content), { line: 1, col: 1, path: '', message: empty });
      }
    });

    it(`a 50 MB file: refused before it is read, naming the ${LIMIT} limit`, () => {
      const path = join(dir, 'huge.yaml');
      const fd = openSync(path, 'w');
      const block = Buffer.from(
        `  - name: t\n    steps:\n      - { name: s, plugin: log, config: { message: "${'x'.repeat(900)}" } }\n`.repeat(64),
      );
      writeSync(fd, 'name: huge\ntests:\n');
      for (let written = 0; written < 50 * MB; written += block.length) writeSync(fd, block);
      closeSync(fd);
      oneError(path, {
        line: 1,
        col: 1,
        path: '',
        message: new RegExp(
          `^the file is 50\\.1 MiB \\(\\d+ bytes\\); a suite file may be at most ${LIMIT} \\(${MAX_SUITE_FILE_BYTES} bytes\\): split it into several suites$`,
        ),
      });
      rmSync(path);
    });

    it('one byte over the limit is refused; a file at the limit is read', () => {
      const comment = (bytes: number): string => `#${'x'.repeat(bytes - 2)}\n`;
      oneError(file('over.yaml', comment(MAX_SUITE_FILE_BYTES + 1)), {
        line: 1,
        col: 1,
        message: `the file is ${LIMIT} (${MAX_SUITE_FILE_BYTES + 1} bytes); a suite file may be at most ${LIMIT} (${MAX_SUITE_FILE_BYTES} bytes): split it into several suites`,
      });
      oneError(file('at.yaml', comment(MAX_SUITE_FILE_BYTES)), { line: 1, col: 1, message: /^the file is empty/ });
    });

    it('a device that never ends is refused without reading it', function () {
      if (!existsSync('/dev/zero')) this.skip();
      const errors = inBoundedMemory(() => loadSuiteFile('/dev/zero'));
      expect(errors).to.deep.equal(
        E.left([
          {
            file: '/dev/zero',
            line: 1,
            col: 1,
            path: '',
            message: 'it is a character device, not a regular file; a suite is read from a regular file only (save it to one first)',
          },
        ]),
      );
    });

    it(`a billion-laughs file: stopped at the alias that expands past ${MAX_ALIAS_NODES} values, never expanded`, () => {
      const text = billionLaughs();
      // a..e add 74,718 values; the first *e (66,430 values) crosses the limit
      const at = positionOf(text, '*e', text.indexOf('  f: '));
      oneError(file('bomb.yaml', text), {
        ...at,
        path: 'vars.f[0]',
        message: `the alias *e (the value &e, at line ${at.line - 1}) stands for 66,430 values, and with the aliases before it the file would expand past 100,000; aliases may repeat a value, not multiply it (a "billion laughs" file?)`,
      });
    });

    it('a wide bomb: one big list aliased thirty times thirty', () => {
      const text = withVars(
        `  a: &a [${Array.from({ length: 20_000 }, (_, i) => i).join(',')}]\n  b: &b [${Array(30).fill('*a').join(', ')}]\n  c: [${Array(30).fill('*b').join(', ')}]\n`,
      );
      // each *a stands for 20,001 values: the fifth crosses 100,000
      let from = text.indexOf('  b: ');
      for (let i = 0; i < 4; i++) from = text.indexOf('*a', from) + 2;
      oneError(file('wide-bomb.yaml', text), {
        ...positionOf(text, '*a', from),
        path: 'vars.b[4]',
        message: /^the alias \*a .* stands for 20,001 values/,
      });
    });

    it('an alias inside the value it names, and an alias that names no anchor', () => {
      const cycle = withVars('  user: &u\n    name: x\n    self: *u\n');
      oneError(file('cycle.yaml', cycle), {
        ...positionOf(cycle, '*u'),
        path: 'vars.user.self',
        message: `the alias *u is inside the value it names (the value &u, at line ${positionOf(cycle, 'name: x').line}): that value would contain itself without end`,
      });
      const root = `&r\n${LOG_SUITE}vars: *r\n`;
      oneError(file('cycle-root.yaml', root), {
        ...positionOf(root, '*r'),
        path: 'vars',
        message: /^the alias \*r is inside the value it names/,
      });
      const missing = withVars('  a: *nowhere\n');
      oneError(file('no-anchor.yaml', missing), {
        ...positionOf(missing, '*nowhere'),
        path: 'vars.a',
        message: 'the alias *nowhere names no anchor: write &nowhere on a value before it',
      });
    });

    it(`more than ${MAX_ANCHORS_AND_ALIASES} anchors and aliases: stopped at the one too many`, () => {
      const text = withVars(Array.from({ length: 2_000 }, (_, i) => `  a${i}: &a${i} x\n`).join(''));
      oneError(file('anchors.yaml', text), {
        ...positionOf(text, `x`, text.indexOf(`&a${MAX_ANCHORS_AND_ALIASES}`)),
        path: `vars.a${MAX_ANCHORS_AND_ALIASES}`,
        message: /^more than 1000 YAML anchors/,
      });
    });

    it(`lists and maps nested more than ${MAX_NESTING} levels, in flow or block style or through aliases`, () => {
      const deep = `lists and maps nest more than ${MAX_NESTING} levels deep here; a suite needs only a few levels`;
      // vars (1) and deep (2) hold the lists: the 99th "[" is level 101
      const flow = withVars(`  deep: ${'['.repeat(150)}${']'.repeat(150)}\n`);
      oneError(file('deep-flow.yaml', flow), { line: 10, col: 9 + 98, message: deep });
      const block = withVars(Array.from({ length: 150 }, (_, i) => `${'  '.repeat(i + 1)}k:\n`).join(''));
      oneError(file('deep-block.yaml', block), { line: 10 + 99, col: 2 * 100 + 1, message: deep });
      // far past what the YAML parser's recursion survives: the same error
      const deeper = withVars(`  deep: ${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}\n`);
      expect(errorsOf(file('deeper.yaml', deeper)).map((e) => e.message)).to.include(deep);
      // an alias adds its value's levels: 2 maps, 40 lists, then *a of 60 levels is 102
      const aliased = withVars(`  a: &a ${'['.repeat(60)}${']'.repeat(60)}\n  b: ${'['.repeat(40)}*a${']'.repeat(40)}\n`);
      oneError(file('deep-alias.yaml', aliased), {
        ...positionOf(aliased, '*a'),
        message: `through the alias *a (the value &a, at line 10), lists and maps nest 102 levels deep here, more than the 100 allowed`,
      });
    });

    it('50,000 keys in one map decode in linear time; of 100,000 repeated keys the first 100 are reported', function () {
      this.timeout(60_000);
      const keys = withVars(Array.from({ length: 50_000 }, (_, i) => `  k${i}: ${i}\n`).join(''));
      expect(loadSuiteFile(file('keys.yaml', keys))._tag).to.equal('Right');
      const repeated = withVars('  k: 1\n'.repeat(100_000));
      const result = loadSuiteFile(file('repeated.yaml', repeated));
      if (E.isRight(result)) return expect.fail('decoded');
      const errors = result.left;
      expect(errors).to.have.length(MAX_ERRORS);
      expect(errors[0]).to.include({ line: 11, col: 3, path: 'vars.k', message: 'duplicate key "k"; it is already set at line 10' });
      expect(errors[MAX_ERRORS - 1]).to.include({
        line: 110,
        col: 3,
        message: `duplicate key "k"; it is already set at line 10; ${99_999 - MAX_ERRORS} more errors follow, not shown (only the first 100 are)`,
      });
    });
  });

  describe('the CLI: rocketship validate and rocketship run -f, exit 2 with no stack trace', function () {
    this.timeout(120_000);
    // A small heap: a file that made the CLI expand or read it all would crash it, not pass.
    const env = { NODE_OPTIONS: '--max-old-space-size=128' };
    const cases: Array<{ label: string; name: string; content: () => string | Buffer; where: (path: string) => string }> = [
      {
        label: 'not UTF-8',
        name: 'latin1.yaml',
        content: () => Buffer.concat([Buffer.from('name: caf'), Buffer.from([0xe9])]),
        where: (p) => `${p}:1:10: the file is not UTF-8 text`,
      },
      {
        label: 'UTF-16 with a BOM',
        name: 'utf16.yaml',
        content: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LOG_SUITE, 'utf16le')]),
        where: (p) => `${p}:1:1: the file is UTF-16 text`,
      },
      { label: 'empty', name: 'empty.yaml', content: () => '', where: (p) => `${p}:1:1: the file is empty` },
      { label: 'whitespace only', name: 'blank.yaml', content: () => ' \n\t\n', where: (p) => `${p}:1:1: the file is empty` },
      {
        label: '50 MB',
        name: 'big.yaml',
        content: () => `${LOG_SUITE}vars:\n  x: "${'x'.repeat(50 * MB)}"\n`,
        where: (p) => `${p}:1:1: the file is 50 MiB (52428927 bytes); a suite file may be at most ${LIMIT}`,
      },
      {
        label: 'a billion-laughs bomb',
        name: 'laughs.yaml',
        content: billionLaughs,
        where: (p) => `${p}:15:10: the alias *e (the value &e, at line 14) stands for 66,430 values`,
      },
    ];
    it('100 KB of quotes on one line: the first 100 of 51,200 errors, each source line cut short', async () => {
      const path = file('cli-quotes.yaml', `${LOG_SUITE}vars:\n  x: ${'"'.repeat(100 * 1024)}\n`);
      const r = await runCli(['validate', path], { env });
      expect(r.code, r.stderr.slice(0, 2000)).to.equal(2);
      expect(r.stderr).to.contain(`✗ ${path} (100 errors)`);
      expect(r.stderr).to.match(/; \d+ more errors follow, not shown \(only the first 100 are\)/);
      expect(r.stderr.length, 'at most 100 errors of a few lines each').to.be.below(64 * 1024);
    });
    for (const c of cases) {
      it(`${c.label}`, async () => {
        const path = file(`cli-${c.name}`, c.content());
        const [validate, run] = await Promise.all([runCli(['validate', path], { env }), runCli(['run', '-f', path], { env })]);
        for (const r of [validate, run]) {
          expect(r.code, r.stderr).to.equal(2);
          expect(r.stderr).to.contain(c.where(path));
          expect(r.stderr).to.not.match(/^\s+at .+:\d+:\d+\)?$/m);
          expect(r.stderr).to.not.contain('internal error');
        }
        expect(validate.stderr).to.contain(`✗ ${path} (1 error)`);
        rmSync(path);
      });
    }

    it('a named pipe (FIFO) given as a suite, a --var-file or an --env-file: refused at once, naming it', async function () {
      if (process.platform === 'win32') this.skip();
      const fifo = join(dir, 'cli-pipe.yaml');
      execFileSync('mkfifo', [fifo]);
      const suite = file('cli-pipe-ok.yaml', LOG_SUITE);
      // Before: each of these waited for a writer for ever, deaf to SIGINT and SIGTERM.
      const killed: string[] = [];
      const bounded = (args: string[]) =>
        runCli(args, {
          env,
          onSpawn: (child) => {
            const timer = setTimeout(() => (killed.push(args.join(' ')), child.kill('SIGKILL')), 10_000);
            child.once('exit', () => clearTimeout(timer));
          },
        });
      const [validate, run, varFile, envFile] = await Promise.all([
        bounded(['validate', fifo]),
        bounded(['run', '-f', fifo]),
        bounded(['run', '-f', suite, '--var-file', fifo]),
        bounded(['run', '-f', suite, '--env-file', fifo]),
      ]);
      expect(killed, 'blocked until killed').to.deep.equal([]);
      for (const r of [validate, run]) {
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr).to.contain(`${fifo}:1:1: it is a named pipe, not a regular file; a suite is read from a regular file only`);
        expect(r.stderr).to.not.contain('internal error');
      }
      expect(varFile.code).to.equal(2);
      expect(varFile.stderr).to.contain(`--var-file ${fifo}: it is a named pipe, not a regular file`);
      expect(envFile.code).to.equal(2);
      expect(envFile.stderr).to.contain(`--env-file ${fifo}: it is a named pipe, not a regular file`);
    });
  });

  describe('--var, --var-file and --env-file: errors name the flag and the offending line', () => {
    it('parseVarAssignments: a missing "=", empty name parts, a __proto__ name', async () => {
      expect(parseVarAssignments(['api.url'])).to.deep.equal(
        E.left('--var api.url: expected NAME=VALUE, e.g. api.url=http://localhost:8080'),
      );
      for (const bad of ['=x', 'a..b=1', '.a=1', 'a.=1', ' =1']) {
        expect(parseVarAssignments(['ok=1', bad])).to.deep.equal(
          E.left(`--var ${bad}: the name must be a key or dotted keys, e.g. api.url`),
        );
      }
      expect(parseVarAssignments(['__proto__.polluted=1'])).to.deep.equal(
        E.left('--var __proto__.polluted=1: "__proto__" cannot be a var name'),
      );
      expect(parseVarAssignments(['a.__proto__=1'])._tag).to.equal('Left');
      expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
      // values that are not YAML scalars are kept as written, without a warning from the parser
      const warnings: string[] = [];
      const onWarning = (w: Error): void => void warnings.push(w.message);
      process.on('warning', onWarning);
      expect(parseVarAssignments(['a=[1,2', 'b=*x', 'c={{ x }}'])).to.deep.equal(E.right({ a: '[1,2', b: '*x', c: '{{ x }}' }));
      await new Promise((resolve) => setImmediate(resolve));
      process.off('warning', onWarning);
      expect(warnings).to.deep.equal([]);
    });

    it('parseVarFile: YAML syntax errors, duplicate keys and not-a-map at their line and column', () => {
      expect(parseVarFile('a: 1\nb: [1, 2\nc: 3\n', 'v.yaml')).to.deep.equal(
        E.left(
          '--var-file v.yaml:3:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
        ),
      );
      expect(parseVarFile('a: 1\n  b: 2\n', 'v.yaml')).to.deep.equal(
        E.left('--var-file v.yaml:1:4: YAML syntax error: Nested mappings are not allowed in compact mappings'),
      );
      expect(parseVarFile('a: 1\n---\nb: 2\n', 'v.yaml')).to.deep.equal(
        E.left('--var-file v.yaml:2:1: YAML syntax error: a var file holds one YAML document, but a second one starts here'),
      );
      expect(parseVarFile('a: 1\nb:\n  c: 1\n  c: 2\n', 'v.yaml')).to.deep.equal(
        E.left('--var-file v.yaml:4:3: duplicate key "c"; it is already set at line 3'),
      );
      expect(parseVarFile('# vars\n\n- a\n- b\n', 'v.yaml')).to.deep.equal(
        E.left('--var-file v.yaml:3:1: expected a map of vars (key: value), found a list'),
      );
      expect(parseVarFile('\n  hello\n', 'v.yaml')).to.deep.equal(
        E.left('--var-file v.yaml:2:3: expected a map of vars (key: value), found "hello"'),
      );
      expect(parseVarFile('# nothing yet\n', 'v.yaml')).to.deep.equal(E.right({}));
    });

    it('parseVarFile: bombs, cycles, missing anchors and __proto__ keys are errors, not throws', () => {
      expect(parseVarFile(VAR_BOMB, 'v.yaml')).to.satisfy(
        (r: E.Either<string, unknown>) =>
          E.isLeft(r) && r.left.startsWith('--var-file v.yaml:6:10: the alias *e (the value &e, at line 5)'),
      );
      expect(parseVarFile('user: &u\n  self: *u\n', 'v.yaml')).to.deep.equal(
        E.left(
          '--var-file v.yaml:2:9: the alias *u is inside the value it names (the value &u, at line 2): that value would contain itself without end',
        ),
      );
      expect(parseVarFile('a: *nope\n', 'v.yaml')).to.deep.equal(
        E.left('--var-file v.yaml:1:4: the alias *nope names no anchor: write &nope on a value before it'),
      );
      expect(parseVarFile('api:\n  __proto__:\n    admin: true\n', 'v.yaml')).to.deep.equal(
        E.left('--var-file v.yaml:2:3: "__proto__" cannot be a var name'),
      );
      expect(parseVarFile(`x: "${'x'.repeat(MAX_SUITE_FILE_BYTES)}"\n`, 'v.yaml')).to.deep.equal(
        E.left(
          `--var-file v.yaml:1:1: the file is ${MAX_SUITE_FILE_BYTES + 6} bytes; a var file may be at most ${MAX_SUITE_FILE_BYTES} bytes, as a suite file`,
        ),
      );
    });

    it('parseEnvFile: a line that is not KEY=VALUE, an unterminated quote, text after a quote', () => {
      expect(parseEnvFile('A=1\n# ok\n\nthis is not a line\n', '.env')).to.deep.equal(
        E.left('--env-file .env:4: expected KEY=VALUE, found "this is not a line"'),
      );
      expect(parseEnvFile('A=1\nB="abc\nC=2\n', '.env')).to.deep.equal(
        E.left('--env-file .env:2: unterminated quoted value for B (no closing " on this line)'),
      );
      expect(parseEnvFile("A='abc\n", '.env')).to.deep.equal(
        E.left("--env-file .env:1: unterminated quoted value for A (no closing ' on this line)"),
      );
      expect(parseEnvFile('A="x"y\n', '.env')).to.deep.equal(
        E.left('--env-file .env:1: unexpected text after the closing " of A: "y" (only a # comment may follow)'),
      );
      expect(parseEnvFile('=1\n', '.env')).to.deep.equal(E.left('--env-file .env:1: expected KEY=VALUE, found "=1"'));
      expect(parseEnvFile(`${'x'.repeat(10_000)}\n`, '.env')).to.satisfy(
        (r: E.Either<string, unknown>) => E.isLeft(r) && r.left.length < 200,
      );
      // what is fine stays fine
      expect(parseEnvFile('\uFEFFexport A="x y" # note\r\nB=\'$HOME\'\nC = plain # note\n__proto__=kept\n', '.env')).to.deep.equal(
        E.right(
          Object.fromEntries([
            ['A', 'x y'],
            ['B', '$HOME'],
            ['C', 'plain'],
            ['__proto__', 'kept'],
          ]),
        ),
      );
    });

    describe('through the CLI, exit 2', function () {
      this.timeout(60_000);
      let suite: string;
      before(() => {
        suite = file('ok.yaml', LOG_SUITE);
      });
      const expectBadInput = (r: { code: number | null; stderr: string }, message: string): void => {
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr).to.contain(message);
        expect(r.stderr).to.not.match(/^\s+at .+:\d+:\d+\)?$/m);
      };

      it('--var with a bad name, or without "="', async () => {
        const [dots, bare] = await Promise.all([
          runCli(['run', '-f', suite, '--var', 'a..b=1']),
          runCli(['run', '-f', suite, '--var', 'nothing']),
        ]);
        expectBadInput(dots, '--var a..b=1: the name must be a key or dotted keys');
        expectBadInput(bare, 'option --var: expected NAME=VALUE, got "nothing"');
      });

      it('--var-file: a syntax error at line:col, a bomb at its alias, a missing file', async () => {
        const syntax = file('syntax-vars.yaml', 'a: 1\nb: [1, 2\nc: 3\n');
        const bomb = file('bomb-vars.yaml', VAR_BOMB);
        const [r1, r2, r3] = await Promise.all([
          runCli(['run', '-f', suite, '--var-file', syntax]),
          runCli(['run', '-f', suite, '--var-file', bomb]),
          runCli(['run', '-f', suite, '--var-file', join(dir, 'missing-vars.yaml')]),
        ]);
        expectBadInput(r1, `--var-file ${syntax}:3:1: YAML syntax error:`);
        expectBadInput(r2, `--var-file ${bomb}:6:10: the alias *e`);
        expectBadInput(r3, `--var-file ${join(dir, 'missing-vars.yaml')}: no such file`);
      });

      it('--env-file: a bad line, an unterminated quote', async () => {
        const bad = file('bad.env', 'A=1\nnot a line\n');
        const open = file('open.env', 'A=1\nB=2\nC="three\n');
        const [r1, r2] = await Promise.all([
          runCli(['run', '-f', suite, '--env-file', bad]),
          runCli(['run', '-f', suite, '--env-file', open]),
        ]);
        expectBadInput(r1, `--env-file ${bad}:2: expected KEY=VALUE, found "not a line"`);
        expectBadInput(r2, `--env-file ${open}:3: unterminated quoted value for C`);
      });

      // Node 20 reads `--env-file PATH` even after the script name and exits 9 ("node: PATH: not
      // found") when PATH is missing, before the CLI starts (nodejs/node#54232), so a missing
      // env file is checked through runCommand, the function the process runs.
      it('--env-file naming a missing file (runCommand)', async () => {
        let stderr = '';
        const io: CliIO = {
          stdout: () => undefined,
          stderr: (s) => void (stderr += s),
          isTTY: false,
          env: {},
          cwd: dir,
          interrupt$: NEVER,
          interrupted: () => undefined,
        };
        const parsed = parseArgs(['run', '-f', suite, '--env-file', 'missing.env']);
        if (E.isLeft(parsed) || parsed.right._tag !== 'Run') return expect.fail('run arguments expected');
        expect(await runCommand(parsed.right.args, io)).to.equal(2);
        expect(stderr).to.equal('--env-file missing.env: no such file\n');
      });
    });
  });
});
