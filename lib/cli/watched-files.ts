import { dirname, isAbsolute, resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import type { LoadedSuite, Step } from '../dsl/index.js';
import { mergeVars } from '../run/merge-vars.js';
import { renderString } from '../template/render-string.js';

/** Every file a run reads that `--watch` watches, with the suite files a change to it concerns. */
export type WatchedFiles = ReadonlyMap<string, WatchedFile>;

/** What a change to one watched file means: run these suite files again, or all of them. */
export type WatchedFile = { readonly _tag: 'All' } | { readonly _tag: 'Suites'; readonly suites: ReadonlySet<string> };

/** What {@link watchedFiles} needs to know of a run. */
export interface WatchInputs {
  /** Every suite file the command line names, loaded or not (one that does not decode is still watched). */
  readonly suiteFiles: readonly string[];
  /** The suites that decoded. */
  readonly suites: readonly LoadedSuite[];
  /** `--var-file`s and `--env-file`s, absolute: a change concerns every suite. */
  readonly valueFiles: readonly string[];
  /** The `--var` values merged over each suite's vars, for a templated `openapi.spec`. */
  readonly vars: Readonly<Record<string, Json>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The working directory: a relative `openapi.spec` is looked for there first. */
  readonly cwd: string;
}

/**
 * The files a run reads, absolute, each with the suites a change to it concerns: every suite
 * file (itself); each script step's `file` (relative to its suite's folder); each `openapi.spec`
 * that is a path, suite level or step level, rendered with the vars and environment when it is a
 * template (both places a relative one may be found, the working directory and the suite's
 * folder, since a file may appear in either); every `--var-file` and `--env-file` (all suites).
 * URLs are not files; a template that cannot be rendered is left out. Documents that an OpenAPI
 * file pulls in with `$ref` are not followed.
 *
 * watchedFiles({ suiteFiles: ['/s/jobs.yaml'], suites: [jobs], valueFiles: ['/s/vars.yaml'], vars: {}, env: {}, cwd: '/s' })
 * // Map { '/s/jobs.yaml' => Suites {'/s/jobs.yaml'}, '/s/tidy.sh' => Suites {'/s/jobs.yaml'}, '/s/vars.yaml' => All }
 */
export function watchedFiles(inputs: WatchInputs): WatchedFiles {
  const out = new Map<string, WatchedFile>();
  const concerns = (path: string, suite: string): void => {
    const known = out.get(path);
    if (known?._tag === 'All') return;
    out.set(path, { _tag: 'Suites', suites: new Set([...(known?.suites ?? []), suite]) });
  };
  for (const file of inputs.suiteFiles) concerns(file, file);
  for (const loaded of inputs.suites) {
    const suite = loaded.suite;
    const dir = dirname(loaded.file);
    const vars = mergeVars(suite.vars ?? {}, inputs.vars);
    const steps: Step[] = [
      ...(suite.init ?? []),
      ...suite.tests.flatMap((t) => [...(t.init ?? []), ...t.steps, ...(t.cleanup?.on_failure ?? []), ...(t.cleanup?.always ?? [])]),
      ...(suite.cleanup?.on_failure ?? []),
      ...(suite.cleanup?.always ?? []),
    ];
    const specs = [suite.openapi?.spec];
    for (const step of steps) {
      if ((step.plugin === 'script' || step.plugin === 'sql') && 'file' in step.config)
        concerns(resolve(dir, step.config.file), loaded.file);
      if (step.plugin === 'http') specs.push(step.config.openapi?.spec);
    }
    for (const spec of specs) {
      if (spec === undefined) continue;
      const rendered = renderString(spec, { saved: {}, vars, env: inputs.env });
      if (E.isLeft(rendered) || /^https?:\/\//i.test(rendered.right)) continue;
      const path = rendered.right;
      if (isAbsolute(path)) concerns(path, loaded.file);
      else for (const base of [inputs.cwd, dir]) concerns(resolve(base, path), loaded.file);
    }
  }
  for (const file of inputs.valueFiles) out.set(file, { _tag: 'All' });
  return out;
}

/**
 * The suite files to run again after `changed` files changed; `undefined` means all of them (a
 * `--var-file` or `--env-file` changed, or a file no suite claims).
 */
export function affectedSuites(watched: WatchedFiles, changed: Iterable<string>): string[] | undefined {
  const suites = new Set<string>();
  for (const path of changed) {
    const what = watched.get(path);
    if (what === undefined || what._tag === 'All') return undefined;
    for (const suite of what.suites) suites.add(suite);
  }
  return [...suites].sort();
}
