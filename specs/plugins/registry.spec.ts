import { expect } from 'chai';
import * as t from 'io-ts';
import { lastValueFrom, of, throwError, toArray } from 'rxjs';
import { decodeSuiteText, builtinPluginCodecs } from '../../lib/dsl/index.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { pluginCodecs, withPlugin } from '../../lib/plugins/registry.js';
import { definePlugin, type PluginEvent } from '../../lib/step/plugin.js';
import { StepConfigError } from '../../lib/step/step-error.js';
import { renderString } from '../../lib/template/render-string.js';
import { runSuite } from '../../lib/run/run-suite.js';
import { strictType } from '../../lib/dsl/codecs/strict-type.js';
import { fakeHttp } from '../helpers/fake-http.js';

/** A step kind added by a program: its config codec for the decoder, its plugin for the runner. */
const GreetConfig = strictType('a greet config (who)', { who: t.string }, {});
type GreetConfig = t.TypeOf<typeof GreetConfig>;
const greet = definePlugin<GreetConfig>({
  name: 'greet',
  config: GreetConfig,
  run: (config, context) => {
    const who = renderString(config.who, context.variables);
    if (who._tag === 'Left') return throwError(() => new StepConfigError(who.left.message));
    return of<PluginEvent[]>(
      { _tag: 'Log', message: `hello ${who.right}` },
      { _tag: 'Done', saved: { greeted: who.right }, subject: undefined, checks: [], attempts: 1 },
    );
  },
});

describe('plugin registry', () => {
  it('runs a step kind added programmatically, decoded by its own codec, saving for later steps', async () => {
    const text = `
name: custom
vars: { name: world }
tests:
  - name: t
    steps:
      - { name: hi, plugin: greet, config: { who: "{{ .vars.name }}" } }
      - { name: after, plugin: log, config: { message: "greeted {{ greeted }}" } }
`;
    const plugins = withPlugin(builtinPlugins(), greet);
    const decoded = decodeSuiteText(text, 'custom.yaml', { plugins: pluginCodecs(plugins) });
    if (decoded._tag === 'Left') expect.fail(decoded.left.map((e) => e.message).join('\n'));
    const events = await lastValueFrom(runSuite(decoded.right, { http: fakeHttp(() => of()), plugins }).pipe(toArray()));
    expect(events.flatMap((e) => (e._tag === 'LogEmitted' ? [e.message] : []))).to.deep.equal(['hello world', 'greeted world']);
    expect(events.at(-1)?._tag === 'SuiteEnded' && events.at(-1)).to.deep.include({ _tag: 'SuiteEnded' });
  });

  it("decodes with the codecs of the registry it runs with: the built-in codec map is the built-in registry's", () => {
    const fromRegistry = pluginCodecs(builtinPlugins());
    expect(Object.keys(fromRegistry).sort()).to.deep.equal(Object.keys(builtinPluginCodecs).sort());
    for (const [name, codec] of Object.entries(builtinPluginCodecs)) expect(fromRegistry[name], name).to.equal(codec);
  });

  it('errors a step whose config is not one its plugin decodes (a suite decoded with other codecs), without running the plugin', async () => {
    let runs = 0;
    const counting = definePlugin<GreetConfig>({
      name: 'greet',
      config: GreetConfig,
      run: (config, context) => (runs++, greet.run(config, context)),
    });
    const text = 'name: s\ntests:\n  - name: t\n    steps:\n      - { name: hi, plugin: greet, config: { whom: x } }\n';
    // Decoded as if `greet` took anything: the registry's plugin must not be handed `{ whom: x }`.
    const decoded = decodeSuiteText(text, 's.yaml', { plugins: { ...builtinPluginCodecs, greet: t.unknown } });
    if (decoded._tag === 'Left') return expect.fail(decoded.left.map((e) => e.message).join('\n'));
    const events = await lastValueFrom(
      runSuite(decoded.right, { http: fakeHttp(() => of()), plugins: withPlugin(builtinPlugins(), counting) }).pipe(toArray()),
    );
    const ended = events.find((e) => e._tag === 'StepEnded');
    expect(runs).to.equal(0);
    expect(ended?._tag === 'StepEnded' && ended.result).to.deep.include({
      _tag: 'Errored',
      cause: { _tag: 'Config', message: "config: not a config of the greet plugin (was the suite decoded with this run's plugins?)" },
    });
  });

  it('rejects the custom step kind with the list of known plugins when the decoder is not told about it', () => {
    const decoded = decodeSuiteText(
      'name: s\ntests:\n  - name: t\n    steps:\n      - { name: hi, plugin: greet, config: { who: x } }\n',
      's.yaml',
    );
    expect(decoded._tag).to.equal('Left');
    expect(decoded._tag === 'Left' && decoded.left[0]?.message).to.equal(
      'plugin "greet" is not supported; supported: delay, http, log, script, sql',
    );
  });
});
