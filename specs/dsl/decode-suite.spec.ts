import { expect } from 'chai';
import * as t from 'io-ts';
import { builtinPluginCodecs } from '../../lib/dsl/codecs/plugin-codecs.js';
import { strictType } from '../../lib/dsl/codecs/strict-type.js';
import { decodeSuiteText } from '../../lib/dsl/decode-suite.js';

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
    expect(result.left.map((e) => [e.line, e.message])).to.deep.equal([[2, 'unknown key "x-base"; allowed keys: name, tests, description, vars, openapi, init, cleanup']]);
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
    const text = 'name: a\ntests:\n  - name: t\n    steps:\n      - name: s\n        plugin: probe\n        config:\n          kind: fetch\n          url: "x"\n          retries: "three"\n';
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
