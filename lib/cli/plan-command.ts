import { formatDslWarning } from '../dsl/index.js';
import { planRun } from '../plan/plan-run.js';
import { planSuite } from '../plan/plan-suite.js';
import { formatPlan } from '../plan/format-plan.js';
import type { CliIO } from './cli-io.js';
import type { PlanArgs } from './parse-args.js';
import { checkInputTemplates, choiceIn, readInputs, testFilter } from './read-inputs.js';

/**
 * `rocketship plan`: reads the inputs as `run` does (same files, flags and checks), then prints
 * what the run would do (see `planSuite` and `planRun`): as text, or with `--format json` as the
 * `RunPlan` data. Sends nothing, runs no script. Returns the exit code: 0 planned, 2 bad input
 * (said on stderr, as `run` says it). An unset `{{ .env.X }}` is a warning here, shown as a
 * placeholder in the plan.
 */
export function runPlan(args: PlanArgs, io: CliIO): number {
  const inputs = readInputs(args, io);
  for (const note of inputs.notes) io.stderr(`note: ${note}\n`);
  const only = testFilter(args);
  const checked = checkInputTemplates(inputs, { only, unset: 'warning' });
  const problems = [...inputs.problems, ...checked.problems];
  if (problems.length > 0) {
    for (const problem of problems) io.stderr(`${problem.text}\n`);
    return 2;
  }
  if (only !== undefined && !inputs.suites.some((s) => s.suite.tests.some((t, i) => only(s.file, t.name, i)))) {
    io.stderr(
      `no test matches${args.tests.map((t) => ` --test ${JSON.stringify(t)}`).join('')}${args.grep === undefined ? '' : ` --grep ${JSON.stringify(args.grep)}`}\n`,
    );
    return 2;
  }
  for (const warning of checked.warnings) io.stderr(`${formatDslWarning(warning)}\n`);
  const plan = planRun(
    inputs.suites.map((loaded) =>
      planSuite(loaded, { vars: inputs.vars, env: inputs.env, secrets: inputs.secrets, only: choiceIn(only, loaded.file) }),
    ),
    { concurrency: args.concurrency, sequential: args.sequential },
  );
  io.stdout(args.format === 'json' ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan, { cwd: io.cwd }));
  return 0;
}
