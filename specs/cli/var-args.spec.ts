import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseVarAssignments, parseVarFile, varValue } from '../../lib/cli/var-args.js';
import { RUN_HELP } from '../../lib/cli/parse-args.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { runCli } from '../helpers/run-cli.js';

describe('cli/var-args', () => {
  describe('varValue: a --var VALUE keeps its text', () => {
    it('is a number, boolean or null only when it is that JSON literal written canonically', () => {
      const typed: Array<[string, unknown]> = [
        ['200', 200],
        ['-3', -3],
        ['0', 0],
        ['2.5', 2.5],
        ['-0.25', -0.25],
        ['1e+21', 1e21], // JavaScript's own text for 10^21
        ['true', true],
        ['false', false],
        ['null', null],
      ];
      for (const [text, value] of typed) expect(varValue(text), text).to.equal(value);
    });

    it('keeps every other text as the string given, byte for byte', () => {
      const kept = [
        '1.10', // not 1.1
        '01234', // not 1234
        '0x1F', // not 31
        '1e3', // not 1000
        '1E3',
        '-0', // not 0
        '+5',
        '.5',
        '5.',
        '1_000',
        '9007199254740993', // not rounded to ...992
        '~', // not null
        'a #b', // not "a"
        'True',
        'FALSE',
        'Null',
        'yes',
        'on',
        '',
        ' ',
        ' 200',
        '200 ',
        "'200'", // quotes are part of the value
        '"200"',
        '[1, 2]',
        '{a: 1}',
        '*x',
        '&a b',
        '!!int 5',
        '.inf',
        'NaN',
        'Infinity',
        '2024-01-02',
        '12:30',
        'a: b',
        '{{ .vars.x }}',
        'line\nbreak',
        'ünïcödé ✓',
      ];
      for (const text of kept) expect(varValue(text), JSON.stringify(text)).to.equal(text);
    });

    it('gives the issue examples their text back', () => {
      expect(parseVarAssignments(['version=1.10', 'zip=01234', 'note=a #b', 'hex=0x1F', 'big=1e3', 'nothing=~'])).to.deep.equal(
        E.right({ version: '1.10', zip: '01234', note: 'a #b', hex: '0x1F', big: '1e3', nothing: '~' }),
      );
      expect(parseVarAssignments(['code=200', 'delta=-3', 'ratio=2.5', 'on=true', 'off=false', 'none=null'])).to.deep.equal(
        E.right({ code: 200, delta: -3, ratio: 2.5, on: true, off: false, none: null }),
      );
    });

    it('splits at the first "=" only, and keeps an empty value as the empty string', () => {
      expect(parseVarAssignments(['q=a=b&c=d', 'empty='])).to.deep.equal(E.right({ q: 'a=b&c=d', empty: '' }));
    });

    it('nests dotted names; a later assignment wins', () => {
      expect(parseVarAssignments(['api.url=http://x', 'api.version=1.10', 'api.url=http://y'])).to.deep.equal(
        E.right({ api: { url: 'http://y', version: '1.10' } }),
      );
    });

    it('leaves --var-file as YAML (typed values of every kind)', () => {
      expect(parseVarFile('version: 1.10\nzip: "01234"\nlist: [1, 2]\n', 'v.yaml')).to.deep.equal(
        E.right({ version: 1.1, zip: '01234', list: [1, 2] }),
      );
    });

    it('points a --var-file quote that is never closed at the line where it opens, not at the end of the file', () => {
      expect(parseVarFile('a: 1\nb: "unclosed\nc: 3\nd: 4\n', 'v.yaml')).to.deep.equal(
        E.left('--var-file v.yaml:2:4: YAML syntax error: this " is never closed: the string runs from here to the end of the file'),
      );
      expect(parseVarFile("a: 'x\n", 'v.yaml')).to.deep.equal(
        E.left("--var-file v.yaml:1:4: YAML syntax error: this ' is never closed: the string runs from here to the end of the file"),
      );
    });

    it('is documented in --help with examples', () => {
      expect(RUN_HELP).to.contain('1.10').and.contain('01234').and.contain('--var-file');
    });
  });

  describe('the CLI sends a --var value as given (process)', function () {
    this.timeout(20_000);
    let server: LocalServer;
    let dir: string;
    const hits: string[] = [];
    before(async () => {
      server = await startLocalServer((req, res) => {
        hits.push(`${req.url ?? ''} ${String(req.headers['x-note'])}`);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":200,"version":"1.10"}');
      });
      dir = mkdtempSync(join(tmpdir(), 'rocketship-var-args-'));
    });
    after(async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('in a URL and a header, and typed where a single template keeps the JSON type', async () => {
      const file = join(dir, 'vars.yaml');
      writeFileSync(
        file,
        [
          'name: vars',
          'vars: { base: "", version: "0", zip: "", note: "", code: 0 }',
          'tests:',
          '  - name: t',
          '    steps:',
          '      - name: get',
          '        plugin: http',
          '        config: { method: GET, url: "{{ .vars.base }}/v?version={{ .vars.version }}&zip={{ .vars.zip }}", headers: { X-Note: "{{ .vars.note }}" } }',
          '        assertions:',
          '          - { type: json_path, path: .code, expected: "{{ .vars.code }}" }',
          '          - { type: json_path, path: .version, expected: "{{ .vars.version }}" }',
          '',
        ].join('\n'),
      );
      const r = await runCli([
        'run',
        '-f',
        file,
        '--var',
        `base=${server.url}`,
        '--var',
        'version=1.10',
        '--var',
        'zip=01234',
        '--var',
        'note=a #b',
        '--var',
        'code=200',
      ]);
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      expect(hits).to.deep.equal(['/v?version=1.10&zip=01234 a #b']);
    });
  });
});
