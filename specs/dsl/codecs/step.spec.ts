import { expect } from 'chai';
import * as t from 'io-ts';
import { strictType } from '../../../lib/dsl/codecs/strict-type.js';
import { builtinPluginCodecs } from '../../../lib/dsl/codecs/plugin-codecs.js';
import { decodeSuiteText } from '../../../lib/dsl/decode-suite.js';
import { decodeStep, stepErrors, suiteWithStep } from './decode-helpers.js';

describe('dsl/codecs/step', () => {
  it('chooses the config codec by plugin', () => {
    expect(decodeStep('name: d\nplugin: delay\nconfig:\n  duration: 500ms')).to.deep.equal({
      name: 'd',
      plugin: 'delay',
      config: { duration: 500 },
    });
    expect(decodeStep('name: l\nplugin: log\nconfig:\n  message: "hi {{ x }}"')).to.deep.equal({
      name: 'l',
      plugin: 'log',
      config: { message: 'hi {{ x }}' },
    });
    expect(decodeStep('name: s\nplugin: script\nconfig:\n  language: shell\n  file: run.sh\n  timeout: 10s')).to.deep.equal({
      name: 's',
      plugin: 'script',
      config: { language: 'shell', file: 'run.sh', timeout: 10_000 },
    });
  });

  it('decodes the common keys: assertions, save, retry', () => {
    const step = decodeStep(
      'name: h\nplugin: http\nconfig:\n  method: GET\n  url: https://a.example/x\nassertions:\n  - type: status_code\n    expected: 200\nsave:\n  - header: ETag\n    as: etag\nretry:\n  initial_interval: 1s\n  maximum_interval: 5s\n  maximum_attempts: 3\n  backoff_coefficient: 2.0\n  non_retryable_errors: [ValidationError]',
    );
    expect(step).to.deep.include({
      assertions: [{ type: 'status_code', expected: 200 }],
      save: [{ header: 'ETag', as: 'etag' }],
      retry: {
        initial_interval: 1000,
        maximum_interval: 5000,
        maximum_attempts: 3,
        backoff_coefficient: 2,
        non_retryable_errors: ['ValidationError'],
      },
    });
  });

  it('reports the config errors of the chosen plugin only', () => {
    // A delay config given http keys: the delay codec speaks, not every plugin's.
    const errors = stepErrors('name: d\nplugin: delay\nconfig:\n  url: https://x\n');
    // In source order: the missing key is reported at `config:`, the unknown one at its own line.
    expect(errors.map((e) => [e.line, e.message])).to.deep.equal([
      [7, 'missing required key "duration"'],
      [8, 'unknown key "url"; allowed keys: duration'],
    ]);
  });

  it('gives an unsupported plugin one error at its value, ignoring the rest of the step', () => {
    const errors = stepErrors(
      'name: q\nplugin: graphql\nconfig:\n  driver: postgres\nsave:\n  - sql_result: ".x"\n    as: x\nassertions:\n  - type: row_count\n    expected: 1',
    );
    expect(errors).to.have.length(1);
    expect(errors[0]).to.include({
      line: 6,
      col: 17,
      path: 'tests[0].steps[0].plugin',
      message: 'plugin "graphql" is not supported; supported: delay, http, log, script, sql',
    });
  });

  it('accepts plugins registered with their codec, and rejects their bad configs', () => {
    const SqlConfig = strictType('a sql config map', { driver: t.keyof({ postgres: null, mysql: null }), commands: t.array(t.string) });
    const plugins = { ...builtinPluginCodecs, sql: SqlConfig };
    const good = decodeSuiteText(suiteWithStep('name: q\nplugin: sql\nconfig:\n  driver: postgres\n  commands: ["select 1"]'), 'f.yaml', {
      plugins,
    });
    expect(good._tag).to.equal('Right');
    if (good._tag === 'Right')
      expect(good.right.suite.tests[0]?.steps[0]).to.deep.equal({
        name: 'q',
        plugin: 'sql',
        config: { driver: 'postgres', commands: ['select 1'] },
      });

    const bad = decodeSuiteText(suiteWithStep('name: q\nplugin: sql\nconfig:\n  driver: oracle\n  commands: ["select 1"]'), 'f.yaml', {
      plugins,
    });
    if (bad._tag === 'Right') return expect.fail('decoded a bad sql config');
    expect(bad.left.map((e) => [e.path, e.line])).to.deep.equal([['tests[0].steps[0].config.driver', 8]]);

    const withoutHttp = decodeSuiteText(suiteWithStep('name: h\nplugin: http\nconfig: {}'), 'f.yaml', { plugins: { sql: SqlConfig } });
    if (withoutHttp._tag === 'Right') return expect.fail('decoded an http step without the http plugin');
    expect(withoutHttp.left[0]?.message).to.equal('plugin "http" is not supported; supported: sql');
  });

  it('still checks the other keys of a step without plugin', () => {
    const errors = stepErrors('name: x\nconfig: {}\nsavee: []');
    expect(errors.map((e) => e.message)).to.deep.equal(['missing required key "plugin"', 'unknown key "savee"; did you mean "save"?']);
  });

  it('decodes script steps: inline or file, never both or neither', () => {
    expect(decodeStep('name: s\nplugin: script\nconfig:\n  language: javascript\n  script: |\n    save("a", 1);\n').config).to.deep.equal({
      language: 'javascript',
      script: 'save("a", 1);\n',
    });
    expect(stepErrors('name: s\nplugin: script\nconfig:\n  language: javascript\n').map((e) => e.message)).to.deep.equal([
      'a script step needs its code: add script (inline) or file (a path)',
    ]);
  });
});
