import { delayPlugin } from './delay.js';
import type { ContractCache } from '../openapi/contract-cache.js';
import { createHttpPlugin, httpPlugin } from './http.js';
import { logPlugin } from './log.js';
import { pluginRegistry, type PluginRegistry } from './registry.js';
import { scriptPlugin } from './script.js';
import { sqlPlugin } from './sql.js';

/** Options of {@link builtinPlugins}. */
export interface BuiltinPluginsOptions {
  /** Where `http` keeps the OpenAPI documents it loads (see `HttpPluginOptions.contracts`). Default: the process-wide `httpPlugin`'s. */
  readonly contracts?: ContractCache | undefined;
}

/** The step kinds shipped: `http`, `delay`, `log`, `script` and `sql`. */
export function builtinPlugins(options: BuiltinPluginsOptions = {}): PluginRegistry {
  const http = options.contracts === undefined ? httpPlugin : createHttpPlugin({ contracts: options.contracts });
  return pluginRegistry(http, delayPlugin, logPlugin, scriptPlugin, sqlPlugin);
}
