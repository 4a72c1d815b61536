import type * as t from 'io-ts';
import { DelayConfig } from './delay-config.js';
import { HttpConfig } from './http-config.js';
import { LogConfig } from './log-config.js';
import { ScriptConfig } from './script-config.js';
import { SqlConfig } from './sql-config.js';

/**
 * Which plugins a suite may use, and the codec that decodes each one's `config`. Decoding takes
 * this map as a parameter, so a program that registers its own plugin also registers how its
 * config is decoded:
 *
 * decodeSuiteText(text, file, { plugins: { ...builtinPluginCodecs, graphql: GraphqlConfig } })
 */
export type PluginCodecs = Readonly<Record<string, t.Type<any, any, unknown>>>;

/** The plugins rocketship-rx ships: `delay`, `http`, `log`, `script`, `sql`. */
export const builtinPluginCodecs = {
  delay: DelayConfig,
  http: HttpConfig,
  log: LogConfig,
  script: ScriptConfig,
  sql: SqlConfig,
} as const satisfies PluginCodecs;
