import * as t from 'io-ts';
import { hasOwn, isPlainMap } from '../describe-value.js';
import { Check } from './check.js';
import type { DelayConfig } from './delay-config.js';
import type { HttpConfig } from './http-config.js';
import { list } from './list.js';
import type { LogConfig } from './log-config.js';
import { builtinPluginCodecs, type PluginCodecs } from './plugin-codecs.js';
import { NonEmptyString } from './non-empty-string.js';
import { RetryPolicy } from './retry-policy.js';
import { Save, SqlSave } from './save.js';
import { SqlCheck } from './sql-check.js';
import type { SqlConfig } from './sql-config.js';
import type { ScriptConfig } from './script-config.js';
import { unsupportedMessage } from './keyword.js';
import { strictType } from './strict-type.js';
import { withJsonSchema } from './with-json-schema.js';

/** The keys every step has, whatever its plugin. */
export interface StepCommon {
  name: string;
  /** Checked once on the step's result (for a poll: on the winning attempt). */
  assertions?: Check[];
  /** Variables taken from the step's result. */
  save?: Save[];
  /** Running the whole step again when it fails. */
  retry?: RetryPolicy;
}

/**
 * One step of a test: a tagged union chosen by `plugin`, whose `config` is decoded by that
 * plugin's own codec.
 *
 * ```yaml
 * - name: "Wait for job completion"
 *   plugin: "http"
 *   config: { method: GET, url: "https://api.example.com/jobs/{{ job_id }}" }
 *   assertions:
 *     - type: status_code
 *       expected: 200
 * ```
 *
 * Steps of plugins registered programmatically (see {@link PluginCodecs}) carry whatever their
 * codec decodes; this type describes the built-in ones.
 */
export type Step = StepCommon &
  (
    | { plugin: 'http'; config: HttpConfig }
    | { plugin: 'delay'; config: DelayConfig }
    | { plugin: 'log'; config: LogConfig }
    | { plugin: 'script'; config: ScriptConfig }
    | { plugin: 'sql'; config: SqlConfig }
  );

const commonOptional = {
  assertions: list(Check, 'assertion'),
  save: list(Save, 'save'),
  retry: RetryPolicy,
};

/**
 * A `sql` step checks and saves from its result, not from an HTTP response: its assertions are
 * `SqlCheck`s (`row_count`, `column_value`, ...) and its saves `sql_result` paths, as in
 * Rocketship. Every other plugin, built in or not, takes the HTTP ones.
 */
const sqlOptional = {
  assertions: list(SqlCheck, 'assertion'),
  save: list(SqlSave, 'save'),
  retry: RetryPolicy,
};

/**
 * Builds the step codec for a set of plugins. `plugin` selects the config codec; a plugin not
 * in the set is one error on the `plugin:` value, e.g.
 * `plugin "graphql" is not supported; supported: delay, http, log, script, sql`, and the rest of that
 * step (whose meaning depends on the plugin) is not examined.
 */
export function stepCodec(plugins: PluginCodecs = builtinPluginCodecs): t.Type<Step, unknown, unknown> {
  const names = Object.keys(plugins).sort();
  const PluginName = new t.Type<string, string, unknown>(
    `a plugin name (one of ${names.join(', ')})`,
    (u): u is string => typeof u === 'string' && hasOwn(plugins, u),
    (u, c) => (typeof u === 'string' && hasOwn(plugins, u) ? t.success(u) : t.failure(u, c, unsupportedMessage('plugin', u, names))),
    (a) => a,
  );
  const byPlugin = new Map<string, t.Type<any, unknown, unknown>>();
  const memberFor = (plugin: string, config: t.Type<any, any, unknown>): t.Type<any, unknown, unknown> => {
    const cached = byPlugin.get(plugin);
    if (cached !== undefined) return cached;
    const optional = plugin === 'sql' ? sqlOptional : commonOptional;
    const member = strictType('a step map (name, plugin, config)', { name: NonEmptyString, plugin: PluginName, config }, optional);
    byPlugin.set(plugin, member);
    return member;
  };
  const withoutPlugin = strictType(
    'a step map (name, plugin, config)',
    { name: NonEmptyString, plugin: PluginName, config: t.unknown },
    commonOptional,
  );

  const step = new t.Type<Step, unknown, unknown>(
    'a step map (name, plugin, config)',
    (u): u is Step =>
      isPlainMap(u) &&
      typeof u['plugin'] === 'string' &&
      hasOwn(plugins, u['plugin']) &&
      memberFor(u['plugin'], plugins[u['plugin']] as t.Mixed).is(u),
    (u, c) => {
      if (!isPlainMap(u)) return t.failure(u, c);
      const plugin = u['plugin'];
      if (!hasOwn(u, 'plugin')) return withoutPlugin.validate(u, c) as t.Validation<Step>;
      if (typeof plugin !== 'string' || !hasOwn(plugins, plugin))
        return t.failure(plugin, t.appendContext(c, 'plugin', PluginName, plugin), unsupportedMessage('plugin', plugin, names));
      return memberFor(plugin, plugins[plugin] as t.Mixed).validate(u, c) as t.Validation<Step>;
    },
    (a) => a,
  );
  return withJsonSchema(step, {
    id: 'Step',
    // `plugin` picks the schema of `config`; an editor offers the plugins from the enum.
    schema: (walk) => ({
      type: 'object',
      properties: {
        name: walk(NonEmptyString),
        plugin: { enum: names },
        config: {},
        // A sql step's assertions and saves are its own (see `sqlOptional`): each plugin's below.
        assertions: {},
        save: {},
        retry: walk(RetryPolicy),
      },
      required: ['name', 'plugin', 'config'],
      additionalProperties: false,
      allOf: names.map((name) => {
        const optional = name === 'sql' ? sqlOptional : commonOptional;
        return {
          if: { type: 'object', properties: { plugin: { const: name } }, required: ['plugin'] },
          then: {
            type: 'object',
            properties: { config: walk(plugins[name] as t.Mixed), assertions: walk(optional.assertions), save: walk(optional.save) },
          },
        };
      }),
    }),
  });
}

/** The step codec of the built-in plugins. */
export const Step: t.Type<Step, unknown, unknown> = stepCodec();
