import { expect } from 'chai';
import * as t from 'io-ts';
import { builtinPluginCodecs } from '../../lib/dsl/codecs/plugin-codecs.js';
import { strictType } from '../../lib/dsl/codecs/strict-type.js';
import { LineCounter, parseDocument } from 'yaml';
import { decodeSuiteText } from '../../lib/dsl/decode-suite.js';
import { findNode, lineCol, spanOf } from '../../lib/dsl/yaml-nodes.js';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/run-cli.js';

const SUITE = `name: "Jobs"
description: "submits and waits"
vars:
  n: 5
  nested:
    a: [1, 2]
init:
  - name: "hello"
    plugin: log
    config:
      message: "start"
tests:
  - name: "job"
    steps:
      - name: "submit"
        plugin: http
        config:
          method: POST
          url: "https://api.example.com/jobs"
      - name: "wait"
        plugin: http
        config:
          method: GET
          url: "https://api.example.com/jobs/{{ job_id }}"
          polling:
            interval: "1s"
            timeout: "{{ .vars.timeout }}s"
            max_attempts: "{{ .vars.n }}"
            conditions:
              - type: status_code
                expected: "{{ code }}"
    cleanup:
      on_failure:
        - name: "dump"
          plugin: log
          config:
            message: "failed"
cleanup:
  always:
    - name: "bye"
      plugin: delay
      config:
        duration: "1ms"
`;

describe('dsl/decode-suite', () => {
  it('decodes a whole suite, templates included', () => {
    const result = decodeSuiteText(SUITE, 'jobs.yaml');
    if (result._tag === 'Left') return expect.fail(result.left.map((e) => e.message).join('\n'));
    const { suite, file } = result.right;
    expect(file).to.equal('jobs.yaml');
    expect(suite.vars).to.deep.equal({ n: 5, nested: { a: [1, 2] } });
    expect(suite.init).to.deep.equal([{ name: 'hello', plugin: 'log', config: { message: 'start' } }]);
    expect(suite.cleanup).to.deep.equal({ always: [{ name: 'bye', plugin: 'delay', config: { duration: 1 } }] });
    expect(suite.tests[0]?.cleanup?.on_failure?.[0]?.name).to.equal('dump');
    const wait = suite.tests[0]?.steps[1];
    if (wait?.plugin !== 'http') return expect.fail('not an http step');
    expect(wait.config.polling).to.deep.equal({
      interval: 1000,
      timeout: { _tag: 'Template', source: '{{ .vars.timeout }}s' },
      max_attempts: { _tag: 'Template', source: '{{ .vars.n }}' },
      conditions: [{ type: 'status_code', expected: '{{ code }}' }],
    });
  });

  it('locates key paths: a step by its first key, a value at its start', () => {
    const result = decodeSuiteText(SUITE, 'jobs.yaml');
    if (result._tag === 'Left') return expect.fail('did not decode');
    const { locate } = result.right;
    expect(locate(['tests', 0, 'steps', 1])).to.deep.equal({ line: 20, col: 9 });
    expect(locate(['tests', 0, 'steps', 1, 'config', 'polling', 'interval'])).to.deep.equal({ line: 26, col: 23 });
    expect(locate(['init', 0])).to.deep.equal({ line: 8, col: 5 });
    expect(locate(['tests', 0, 'steps'])).to.deep.equal({ line: 14, col: 5 });
    expect(locate(['tests', 0, 'steps', 7])).to.equal(undefined);
    expect(locate(['nope'])).to.equal(undefined);
  });

  it('locates every step (init, steps, cleanup; of the suite and of each test, through aliases) as the parsed document does', () => {
    const text = `name: s
init: [{ name: i0, plugin: log, config: { message: a } }]
tests:
  - name: t0
    init:
      - &probe { name: p, plugin: log, config: { message: b } }
    steps:
      - *probe
      - name: s1
        plugin: delay
        config: { duration: 1ms }
    cleanup:
      always: [*probe]
      on_failure:
        - *probe
  - name: t1
    steps: [*probe, *probe]
cleanup:
  on_failure: [*probe]
  always:
    - name: bye
      plugin: log
      config: { message: c }
`;
    const result = decodeSuiteText(text, 'a.yaml');
    if (result._tag === 'Left') return expect.fail(result.left[0]?.message);
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, merge: true });
    const expected = (path: Array<string | number>) => {
      const span = spanOf(findNode(doc, path), false);
      return span === undefined ? undefined : lineCol(lineCounter, span.offset);
    };
    const paths: Array<Array<string | number>> = [
      ['init', 0],
      ['tests', 0, 'init', 0],
      ['tests', 0, 'steps', 0],
      ['tests', 0, 'steps', 1],
      ['tests', 0, 'cleanup', 'always', 0],
      ['tests', 0, 'cleanup', 'on_failure', 0],
      ['tests', 1, 'steps', 0],
      ['tests', 1, 'steps', 1],
      ['cleanup', 'on_failure', 0],
      ['cleanup', 'always', 0],
    ];
    for (const path of paths)
      expect(result.right.locate(path), JSON.stringify(path)).to.deep.equal(expected(path)).and.not.equal(undefined);
    expect(result.right.locate(['tests', 0, 'steps', 1])).to.deep.equal({ line: 9, col: 9 });
    expect(result.right.locate(['tests', 1, 'steps', 1, 'config', 'message'])).to.deep.equal({ line: 6, col: 59 });
  });

  it('does not keep the parsed YAML document alive (a run holds thousands of decoded tests)', () => {
    // In a fresh process, on the compiled decoder: heap figures in this one move with whatever
    // other specs left behind. With the document kept a test costs about 8.4 KB, without about
    // 1.9 KB (the decoded values, the text, the step positions).
    const script = `
      const { decodeSuiteText } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/dsl/decode-suite.js')).href)});
      const tests = 2000;
      const lines = ['name: big', 'tests:'];
      for (let i = 0; i < tests; i++) {
        lines.push('  - name: t' + i, '    steps:', '      - name: poll', '        plugin: http', '        config:', '          method: GET', '          url: "http://127.0.0.1:1/jobs/' + i + '"');
        lines.push('          polling: { interval: 1s, timeout: 60s, conditions: [{ type: json_path, path: .status, expected: done }] }');
      }
      const text = lines.join('\\n') + '\\n';
      gc();
      const before = process.memoryUsage().heapUsed;
      const result = decodeSuiteText(text, 'big.yaml');
      // After turns of the event loop's timers: until then a handle left from the call still
      // holds the document (measured: about 8.4 KB a test after setImmediate, 1.7 KB after a
      // timer, but about one run in 20 still 8.4 KB after the first 20 ms timer and 1.7 KB after
      // the second: three turns, each followed by full collections).
      for (let turn = 0; turn < 3; turn++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        gc();
        gc();
      }
      const perTest = (process.memoryUsage().heapUsed - before) / tests;
      console.log(JSON.stringify({ perTest, line: result.right.locate(['tests', tests - 1, 'steps', 0]).line }));
    `;
    const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const { perTest, line } = JSON.parse(out) as { perTest: number; line: number };
    expect(line).to.equal(2 + 1999 * 8 + 3);
    expect(perTest).to.be.below(4 * 1024);
  });

  it('reports duplicate keys together with the other errors, in source order', () => {
    const text = 'name: a\ntests:\n  - name: t\n    name: u\n    steps: []\n';
    const result = decodeSuiteText(text, 'd.yaml');
    if (result._tag === 'Right') return expect.fail('decoded');
    expect(result.left.map(({ line, col, message }) => ({ line, col, message }))).to.deep.equal([
      { line: 4, col: 5, message: 'duplicate key "name"; it is already set at line 3' },
      { line: 5, col: 12, message: 'needs at least one step, found an empty list' },
    ]);
  });

  it('reports YAML syntax errors alone, with their position', () => {
    const result = decodeSuiteText('name: [a\ntests: 3\n', 's.yaml');
    if (result._tag === 'Right') return expect.fail('decoded');
    expect(result.left.length).to.be.greaterThan(0);
    for (const e of result.left) expect(e.message).to.match(/^YAML syntax error: /);
  });

  it('reads anchors, aliases and merge keys, pointing errors at the anchored text', () => {
    const text = [
      'name: a',
      'x-base: &base',
      '  method: GET',
      '  url: "https://api.example.com"',
      'tests:',
      '  - name: t',
      '    steps:',
      '      - name: s',
      '        plugin: http',
      '        config:',
      '          <<: *base',
      '          timeout: "5s"',
      '',
    ].join('\n');
    const result = decodeSuiteText(text, 'a.yaml');
    if (result._tag === 'Right') return expect.fail('decoded a suite with an unknown top-level key');
    // The only error is the helper key: the merged config decoded fine.
    expect(result.left.map((e) => [e.line, e.message])).to.deep.equal([
      [2, 'unknown key "x-base"; allowed keys: name, tests, description, vars, openapi, init, cleanup'],
    ]);
  });

  it('counts positions correctly with CRLF line endings', () => {
    const result = decodeSuiteText('name: a\r\ntests:\r\n  - name: 7\r\n    steps: []\r\n', 'crlf.yaml');
    if (result._tag === 'Right') return expect.fail('decoded');
    expect(result.left.map(({ line, col, source }) => ({ line, col, source }))).to.deep.equal([
      { line: 3, col: 11, source: '  - name: 7' },
      { line: 4, col: 12, source: '    steps: []' },
    ]);
  });

  it('gives a plain io-ts union one useful message: the errors of the member that matched most', () => {
    const Ping = strictType('a ping map', { kind: t.literal('ping'), host: t.string });
    const Fetch = strictType('a fetch map', { kind: t.literal('fetch'), url: t.string, retries: t.number });
    const plugins = { ...builtinPluginCodecs, probe: t.union([Ping, Fetch]) };
    const text =
      'name: a\ntests:\n  - name: t\n    steps:\n      - name: s\n        plugin: probe\n        config:\n          kind: fetch\n          url: "x"\n          retries: "three"\n';
    const result = decodeSuiteText(text, 'u.yaml', { plugins });
    if (result._tag === 'Right') return expect.fail('decoded');
    expect(result.left.map(({ line, path, message }) => ({ line, path, message }))).to.deep.equal([
      { line: 10, path: 'tests[0].steps[0].config.retries', message: 'expected a number, found "three"' },
    ]);
  });

  it('never reports the same problem twice', () => {
    const result = decodeSuiteText('name: a\ntests: [1, 1]\n', 'x.yaml');
    if (result._tag === 'Right') return expect.fail('decoded');
    const keys = result.left.map((e) => `${e.line}:${e.col}:${e.path}:${e.message}`);
    expect(new Set(keys).size).to.equal(keys.length);
    expect(result.left.map((e) => e.path)).to.deep.equal(['tests[0]', 'tests[1]']);
  });
});
