import { defer, from, throwError } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import { LogConfig } from '../dsl/index.js';
import { renderString } from '../template/render-string.js';
import { definePlugin, type PluginEvent } from '../step/plugin.js';
import { StepConfigError } from '../step/step-error.js';

/** `plugin: log`: renders `message` with the step's variables and emits it as a log line. */
export const logPlugin = definePlugin<LogConfig>({
  name: 'log',
  config: LogConfig,
  run: (config, context) =>
    defer(() => {
      const message = renderString(config.message, context.variables);
      if (E.isLeft(message)) return throwError(() => new StepConfigError(`config.message: ${message.left.message}`));
      return from<PluginEvent[]>([
        { _tag: 'Log', message: message.right },
        { _tag: 'Done', saved: {}, subject: undefined, checks: [], attempts: 1 },
      ]);
    }),
});
