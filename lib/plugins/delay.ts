import { defer, map, throwError, timer } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import { DelayConfig } from '../dsl/index.js';
import { Duration } from '../dsl/codecs/duration.js';
import { resolveTemplatable } from '../template/resolve-templatable.js';
import { definePlugin } from '../step/plugin.js';
import { StepConfigError } from '../step/step-error.js';

/**
 * `plugin: delay`: waits `duration` on the run's scheduler (virtual time in marble specs), then
 * passes. `duration: "{{ .vars.timeout }}s"` is rendered first.
 */
export const delayPlugin = definePlugin<DelayConfig>({
  name: 'delay',
  config: DelayConfig,
  run: (config, context) =>
    defer(() => {
      const duration = resolveTemplatable(config.duration, Duration, context.variables, 'config.duration');
      if (E.isLeft(duration)) return throwError(() => new StepConfigError(duration.left));
      return timer(duration.right, context.scheduler).pipe(
        map(() => ({ _tag: 'Done', saved: {}, subject: undefined, checks: [], attempts: 1 }) as const),
      );
    }),
});
