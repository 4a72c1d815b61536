import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import type { LoadedSuite, Test } from '../dsl/index.js';
import type { OpenApiConfig } from '../dsl/codecs/openapi-config.js';
import type { TestJob } from '../run/test-executor.js';
import type { Placement } from '../run/run-test.js';
import { templateReferences } from '../template/template-references.js';
import { sensitiveSaves, suiteSecrets } from '../secrets/suite-secrets.js';

/**
 * Everything a queue worker needs to run one test, as JSON: the decoded test (checked by the
 * run before anything was enqueued), where it sits, the suite init's saves and the run's vars,
 * the environment values its templates read, the `--secret` values, and what to mask. It holds
 * secrets whenever the run has any: it is then encrypted (see `createPayloadCipher`).
 */
export interface TestPayload {
  readonly file: string;
  readonly suite: string;
  /** Directory of the suite file (script `file:` paths are relative to it, on the worker's disk). */
  readonly suiteDir: string;
  readonly test: Test;
  readonly testIndex: number;
  /** Line of each step of the test in the suite file, by key path (`tests/0/steps/2`). */
  readonly lines: Readonly<Record<string, number>>;
  /** The suite init's saves. */
  readonly saved: Readonly<Record<string, Json>>;
  /** The file's vars after `--var-file` and `--var`. */
  readonly vars: Readonly<Record<string, Json>>;
  /** The run's values of the environment variables the test's templates read (`{{ .env.X }}`). */
  readonly env: Readonly<Record<string, string>>;
  /** `--secret` values. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Values to mask in every event (see `suiteSecrets`). */
  readonly masked: readonly string[];
  /** Names of saved variables that hold credentials (see `sensitiveSaves`). */
  readonly sensitiveSaves: readonly string[];
  readonly maxBodyBytes?: number;
  readonly openapi?: OpenApiConfig;
}

/** The payload of one test of a run, made on the run's side (the coordinator). */
export function testPayload(job: TestJob): TestPayload {
  const { loaded, test, testIndex, env, placement } = job;
  const suiteWide = secretsOf(loaded, env.env, env.secrets, env.vars);
  return {
    file: loaded.file,
    suite: loaded.suite.name,
    suiteDir: env.suiteDir,
    test,
    testIndex,
    lines: stepLines(test, testIndex, placement),
    saved: job.saved,
    vars: env.vars,
    env: readEnv(test, env.env),
    secrets: env.secrets,
    masked: suiteWide.masked,
    sensitiveSaves: suiteWide.sensitiveSaves,
    ...(env.maxBodyBytes === undefined ? {} : { maxBodyBytes: env.maxBodyBytes }),
    ...(env.openapi === undefined ? {} : { openapi: env.openapi }),
  };
}

/**
 * Why a payload must not rest in Redis in clear text, or `undefined` when it may: it holds
 * `--secret` values, values to mask, or the run may save credentials (which its checkpoints hold).
 */
export function whySecret(payload: TestPayload): string | undefined {
  if (Object.keys(payload.secrets).length > 0) return 'it is given --secret values';
  if (payload.masked.length > 0)
    return 'its suite reads secret values (secret-named environment variables, credentials in headers or URLs)';
  if (payload.sensitiveSaves.length > 0) return `its suite saves credentials (${payload.sensitiveSaves.join(', ')})`;
  return undefined;
}

/** The placement of a payload's test, as the runner wants it. */
export function payloadPlacement(payload: TestPayload): Placement {
  return { suite: payload.suite, file: payload.file, lineOf: (path) => payload.lines[path.join('/')] };
}

// The secrets of a suite are the same for each of its tests: found once per suite and run.
const suiteSecretCache = new WeakMap<LoadedSuite, { masked: string[]; sensitiveSaves: string[] }>();

function secretsOf(
  loaded: LoadedSuite,
  env: Readonly<Record<string, string | undefined>>,
  secrets: Readonly<Record<string, string>>,
  vars: Readonly<Record<string, Json>>,
): { masked: string[]; sensitiveSaves: string[] } {
  const known = suiteSecretCache.get(loaded);
  if (known !== undefined) return known;
  const found = { masked: suiteSecrets(loaded.suite, { env, secrets, vars }), sensitiveSaves: [...sensitiveSaves(loaded.suite).names] };
  suiteSecretCache.set(loaded, found);
  return found;
}

function stepLines(test: Test, testIndex: number, placement: Placement): Record<string, number> {
  const out: Record<string, number> = {};
  const lists: [string[], readonly unknown[] | undefined][] = [
    [['init'], test.init],
    [['steps'], test.steps],
    [['cleanup', 'on_failure'], test.cleanup?.on_failure],
    [['cleanup', 'always'], test.cleanup?.always],
  ];
  for (const [key, steps] of lists) {
    for (let i = 0; i < (steps?.length ?? 0); i += 1) {
      const path = ['tests', testIndex, ...key, i];
      const line = placement.lineOf(path);
      if (line !== undefined) out[path.join('/')] = line;
    }
  }
  return out;
}

/** The values of the environment variables the test's templates read. */
function readEnv(test: Test, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const refs = templateReferences(test as unknown as Json);
  const out: Record<string, string> = {};
  if (E.isLeft(refs)) return out; // the run checked every template before enqueueing
  for (const ref of refs.right) {
    if (ref.scope !== 'env') continue;
    const name = ref.path.join('.');
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * Why the tests of a suite, run with these values, must be encrypted on the queue, or
 * `undefined` when they need not be (see {@link whySecret}); the run checks it before it
 * enqueues anything.
 */
export function whySuiteSecret(
  loaded: LoadedSuite,
  sources: {
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly secrets: Readonly<Record<string, string>>;
    readonly vars: Readonly<Record<string, Json>>;
  },
): string | undefined {
  const found = secretsOf(loaded, sources.env, sources.secrets, sources.vars);
  if (Object.keys(sources.secrets).length > 0) return 'it is given --secret values';
  if (found.masked.length > 0) return 'it reads secret values (secret-named environment variables, credentials in headers or URLs)';
  if (found.sensitiveSaves.length > 0) return `it saves credentials (${found.sensitiveSaves.join(', ')})`;
  return undefined;
}
