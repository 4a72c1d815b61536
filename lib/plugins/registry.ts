import type { Plugin } from '../step/plugin.js';

/**
 * Step kinds by name. The runner looks a step's `plugin` up here; programs that embed the engine
 * add their own kinds with {@link withPlugin} (and give the decoder a codec for its config).
 */
export type PluginRegistry = ReadonlyMap<string, Plugin<never>>;

/** A registry holding `plugins`, e.g. `pluginRegistry({ http: httpPlugin, delay: delayPlugin })`. */
export function pluginRegistry(plugins: Readonly<Record<string, Plugin<never>>>): PluginRegistry {
  return new Map(Object.entries(plugins));
}

/** A copy of `registry` with `name` bound to `plugin` (replacing a built-in of that name). */
export function withPlugin<C>(registry: PluginRegistry, name: string, plugin: Plugin<C>): PluginRegistry {
  const next = new Map(registry);
  next.set(name, plugin as Plugin<never>);
  return next;
}
