import { delayPlugin } from './delay.js';
import { httpPlugin } from './http.js';
import { logPlugin } from './log.js';
import { pluginRegistry, type PluginRegistry } from './registry.js';
import { scriptPlugin } from './script.js';
import { sqlPlugin } from './sql.js';

/** The step kinds shipped: `http`, `delay`, `log`, `script` and `sql`. */
export function builtinPlugins(): PluginRegistry {
  return pluginRegistry(httpPlugin, delayPlugin, logPlugin, scriptPlugin, sqlPlugin);
}
