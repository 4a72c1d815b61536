import * as t from 'io-ts';
import { hasOwn } from '../describe-value.js';
import { Duration } from './duration.js';
import { keyword } from './keyword.js';
import { NonEmptyString } from './non-empty-string.js';
import { strictType } from './strict-type.js';
import { type Templatable, templatable } from './templatable.js';
import { withCheck } from './with-check.js';
import { withJsonSchema } from './with-json-schema.js';

/** The languages a `script` step runs. */
export const ScriptLanguage = keyword('language', ['javascript', 'shell'] as const);
export type ScriptLanguage = t.TypeOf<typeof ScriptLanguage>;

/**
 * The `config` of a `script` step: inline code (`script`) or a file (`file`, relative to the
 * suite file), exactly one of them.
 *
 * ```yaml
 * config:
 *   language: javascript
 *   script: |
 *     save("id", "42");
 *   timeout: "10s"
 * ```
 */
export type ScriptConfig = { language: ScriptLanguage; timeout?: Templatable<number> } & ({ script: string } | { file: string });

const ScriptConfigMap = strictType(
  'a script config map (language, and script or file)',
  { language: ScriptLanguage },
  { script: t.string, file: NonEmptyString, timeout: templatable(Duration) },
);

export const ScriptConfig: t.Type<ScriptConfig, unknown, unknown> = withJsonSchema(
  withCheck(
    ScriptConfigMap,
    (value, input, c) => {
      const inline = hasOwn(value, 'script');
      const file = hasOwn(value, 'file');
      if (inline && file) {
        return [
          {
            value: value.file,
            context: t.appendContext(c, 'file', NonEmptyString, value.file),
            message: 'a script step takes script or file, not both',
          },
        ];
      }
      if (!inline && !file)
        return [{ value: input, context: c, message: 'a script step needs its code: add script (inline) or file (a path)' }];
      return [];
    },
    { oneOf: [{ required: ['script'] }, { required: ['file'] }] },
  ) as t.Type<ScriptConfig, unknown, unknown>,
  { id: 'ScriptConfig' },
);
