import { throwError, type Observable } from 'rxjs';
import type * as t from 'io-ts';
import type { Plugin, PluginContext, PluginEvent } from '../step/plugin.js';
import { StepConfigError } from '../step/step-error.js';

/** A plugin as the registry holds it: whatever its config type, it takes the config it decoded. */
export interface RegisteredPlugin {
  readonly name: string;
  /** The plugin's config codec (for the decoder: see {@link pluginCodecs}). */
  readonly config: t.Mixed;
  /** Runs the step when `config` is what the plugin's codec decodes; a config error otherwise. */
  readonly run: (config: unknown, context: PluginContext) => Observable<PluginEvent>;
}

/**
 * Step kinds by name. The runner looks a step's `plugin` up here, and the decoder takes its
 * config codecs from the same place ({@link pluginCodecs}), so the two cannot drift. Programs that
 * embed the engine add their own kinds with {@link withPlugin}.
 */
export type PluginRegistry = ReadonlyMap<string, RegisteredPlugin>;

/** A registry holding `plugins`, e.g. `pluginRegistry(httpPlugin, delayPlugin)`. A later plugin of the same name wins. */
export function pluginRegistry<Cs extends unknown[]>(...plugins: { [K in keyof Cs]: Plugin<Cs[K]> }): PluginRegistry {
  return plugins.reduce<PluginRegistry>((registry, plugin) => withPlugin(registry, plugin), new Map());
}

/** A copy of `registry` with `plugin` added under its name (replacing a plugin of that name). */
export function withPlugin<C>(registry: PluginRegistry, plugin: Plugin<C>): PluginRegistry {
  const next = new Map(registry);
  next.set(plugin.name, registered(plugin));
  return next;
}

/**
 * What the decoder needs of a registry: each plugin's config codec by name.
 *
 * decodeSuiteText(text, file, { plugins: pluginCodecs(withPlugin(builtinPlugins(), greet)) })
 */
export function pluginCodecs(registry: PluginRegistry): Readonly<Record<string, t.Mixed>> {
  // One map per registry: the decoder compiles (and caches) its suite codec per map it is given.
  const known = codecMaps.get(registry);
  if (known !== undefined) return known;
  const codecs = Object.fromEntries([...registry.values()].map((p) => [p.name, p.config]));
  codecMaps.set(registry, codecs);
  return codecs;
}

const codecMaps = new WeakMap<PluginRegistry, Readonly<Record<string, t.Mixed>>>();

function registered<C>(plugin: Plugin<C>): RegisteredPlugin {
  return {
    name: plugin.name,
    config: plugin.config,
    // A suite decoded with another registry's codecs (or built by hand) may hold a config this
    // plugin cannot take: the step errors instead of the plugin running on what it does not expect.
    run: (config, context) =>
      plugin.config.is(config)
        ? plugin.run(config, context)
        : throwError(
            () => new StepConfigError(`config: not a config of the ${plugin.name} plugin (was the suite decoded with this run's plugins?)`),
          ),
  };
}
