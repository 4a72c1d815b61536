import type * as t from 'io-ts';
import { DelayConfig } from './delay-config.js';
import { HttpConfig } from './http-config.js';
import { LogConfig } from './log-config.js';
import { ScriptConfig } from './script-config.js';

/**
 * Which plugins a suite may use, and the codec that decodes each one's `config`. Decoding takes
 * this map as a parameter, so a program that registers its own plugin also registers how its
 * config is decoded:
 *
 * decodeSuiteText(text, file, { plugins: { ...builtinPluginCodecs, sql: SqlConfig } })
 */
export type PluginCodecs = Readonly<Record<string, t.Type<any, any, unknown>>>;

/** The plugins rocketship-rx ships: `delay`, `http`, `log`, `script`. */
export const builtinPluginCodecs = {
  delay: DelayConfig,
  http: HttpConfig,
  log: LogConfig,
  script: ScriptConfig,
} as const satisfies PluginCodecs;
