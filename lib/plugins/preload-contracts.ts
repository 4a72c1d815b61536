import * as E from 'fp-ts/lib/Either.js';
import { dirname } from 'node:path';
import type { Json } from '../json.js';
import { maySave } from '../dsl/check-templates.js';
import { formatKeyPath, type DslError, type KeyPath, type LoadedSuite, type OpenApiConfig, type Step } from '../dsl/index.js';
import { DEFAULT_CACHE_TTL_MS, type ContractCache } from '../openapi/contract-cache.js';
import { locateDocument } from '../openapi/locate-document.js';
import type { OpenApiDocumentError } from '../openapi/openapi-document-error.js';
import { parseTemplate } from '../template/parse-template.js';
import { renderString } from '../template/render-string.js';
import { contractSettings, NO_SPEC } from './http-contract.js';

/** Options of {@link preloadContracts}: what the run will give the templates, and where documents go. */
export interface PreloadContractsOptions {
  /** Where the documents are kept: the cache the run's `http` plugin reads (see `createHttpPlugin`). */
  readonly contracts: ContractCache;
  /** The vars the run reads: the file's `vars` with `--var-file` and `--var` merged over them. Default: the file's `vars`. */
  readonly vars?: Readonly<Record<string, Json>> | undefined;
  /** What `{{ .env.X }}` reads. Default: none. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** What `{{ .secrets.X }}` reads. Default: none. */
  readonly secrets?: Readonly<Record<string, string>> | undefined;
  /**
   * What a `spec` whose `{{ .env.X }}` is unset (or whose `{{ .secrets.X }}` is not given) is:
   * an `'error'` (for `run`, which has its environment) or left to the run (`'skip'`, for
   * `validate`). Default `'error'`.
   */
  readonly unset?: 'error' | 'skip' | undefined;
  /** The tests that will run, by name and position in the file's `tests`. Default: all. Suite init and cleanup always count. */
  readonly only?: ((testName: string, testIndex: number) => boolean) | undefined;
  /** What a relative `spec` is tried against first. Default `process.cwd()`, as the plugin does. */
  readonly cwd?: string | undefined;
  /** The wall clock the cache's `cache_ttl` is measured on. Default `Date.now`, as the plugin's `wallClock`. */
  readonly now?: (() => number) | undefined;
}

/**
 * Loads, before anything is sent, every OpenAPI document the `http` steps that will run are
 * held to (the suite's `openapi`, a step's `config.openapi`), into `contracts`: a document that
 * is missing or broken is an input error now, not a step that fails halfway through the run.
 * Each document is loaded once, however many steps use it; the steps then find it in
 * `contracts` (the same location, version and `cache_ttl`).
 *
 * A `spec` is rendered with what is known at start (vars, `--var`, the environment, secrets).
 * One that reads a name a step may save (`{{ spec_url }}` saved by an earlier step) is left to
 * the step, which loads it when it runs (a broken one then errors that step).
 *
 * Resolves to one `DslError` per problem, at the `spec` that names the document (the step's, or
 * the suite's), its message naming the document's file (with line and column when they can be
 * told) and the JSON pointer of the fault; `[]` when every document loaded. Never rejects.
 *
 * await preloadContracts(loaded, { contracts, vars, env: process.env })
 * // [{ file: 'suite.yaml', line: 2, col: 17, path: 'openapi.spec',
 * //    message: 'OpenAPI document /app/api.yaml:12:9 is not valid: #/paths/~1jobs/get: must have required property \'responses\'' }]
 */
export async function preloadContracts(loaded: LoadedSuite, options: PreloadContractsOptions): Promise<DslError[]> {
  const suite = loaded.suite;
  const vars = options.vars ?? suite.vars ?? {};
  const env = options.env ?? {};
  const secrets = options.secrets ?? {};
  const saves = savedNames(loaded);
  const now = options.now ?? Date.now;
  const errors: DslError[] = [];
  const error = (path: KeyPath, message: string, text?: string): void => {
    const at = (text === undefined ? undefined : loaded.locateText(path, { open: 0, from: 0, to: Math.max(1, text.length) })) ?? {
      ...(loaded.locate(path) ?? { line: 1, col: 1 }),
      length: 1,
      source: undefined,
    };
    errors.push({
      file: loaded.file,
      line: at.line,
      col: at.col,
      path: formatKeyPath(path),
      message,
      ...(at.source === undefined ? {} : { source: at.source, length: at.length }),
    });
  };

  // Each document once, with every place that names it.
  const loads = new Map<string, { location: string; version: string | undefined; ttl: number; places: Map<string, Place> }>();
  for (const { step, path } of stepsThatRun(loaded, options.only ?? (() => true))) {
    if (step.plugin !== 'http') continue;
    const own = step.config.openapi;
    const settings = contractSettings(suite.openapi, own);
    if (settings === undefined) continue;
    if (settings.spec === undefined) {
      error([...path, 'config', 'openapi'], NO_SPEC);
      continue;
    }
    const place: Place = {
      path: own?.spec === undefined ? ['openapi', 'spec'] : [...path, 'config', 'openapi', 'spec'],
      text: settings.spec,
    };
    const rendered = renderSpec(settings, { vars, env, secrets, saves, unset: options.unset ?? 'error' });
    if (rendered._tag === 'Later') continue;
    if (rendered._tag === 'Wrong') {
      error(place.path, `openapi.spec: ${rendered.message}`, place.text);
      continue;
    }
    const location = locateDocument(rendered.spec, { suiteDir: dirname(loaded.file), cwd: options.cwd });
    if (E.isLeft(location)) {
      error(place.path, oneLine(location.left), place.text);
      continue;
    }
    const ttl = settings.cache_ttl ?? DEFAULT_CACHE_TTL_MS;
    const key = JSON.stringify([location.right, settings.version ?? '', ttl]);
    const entry = loads.get(key) ?? { location: location.right, version: settings.version, ttl, places: new Map<string, Place>() };
    entry.places.set(formatKeyPath(place.path), place);
    loads.set(key, entry);
  }
  const results = await Promise.all(
    [...loads.values()].map(async (entry) => ({
      entry,
      result: await options.contracts.get(entry.location, entry.version, entry.ttl, now()),
    })),
  );
  for (const { entry, result } of results) {
    if (E.isRight(result)) continue;
    for (const place of entry.places.values()) error(place.path, oneLine(result.left), place.text);
  }
  return errors.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** Where a `spec` is written, and its text as written. */
interface Place {
  readonly path: KeyPath;
  readonly text: string;
}

type RenderedSpec =
  | { readonly _tag: 'Now'; readonly spec: string }
  /** It reads a name a step may save, or a value the run's environment may have: the step renders it. */
  | { readonly _tag: 'Later' }
  | { readonly _tag: 'Wrong'; readonly message: string };

function renderSpec(
  settings: OpenApiConfig,
  known: {
    readonly vars: Readonly<Record<string, Json>>;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly secrets: Readonly<Record<string, string>>;
    readonly saves: SavedNames;
    readonly unset: 'error' | 'skip';
  },
): RenderedSpec {
  const spec = settings.spec as string;
  const parts = parseTemplate(spec);
  if (E.isLeft(parts)) return { _tag: 'Wrong', message: parts.left.message };
  for (const part of parts.right) {
    if (part._tag !== 'Reference') continue;
    const root = part.path[0] ?? '';
    if (part.scope === 'auto' && (known.saves.any || known.saves.names.has(root))) return { _tag: 'Later' };
    if (known.unset === 'skip') {
      if (part.scope === 'env' && known.env[part.path.join('.')] === undefined) return { _tag: 'Later' };
      if (part.scope === 'secrets' && known.secrets[part.path.join('.')] === undefined) return { _tag: 'Later' };
    }
  }
  const rendered = renderString(spec, { saved: {}, vars: known.vars, env: known.env, secrets: known.secrets });
  return E.isLeft(rendered) ? { _tag: 'Wrong', message: rendered.left.message } : { _tag: 'Now', spec: rendered.right };
}

/** The names any step of the suite may save (whether a `spec` can be rendered before the run). */
interface SavedNames {
  readonly names: ReadonlySet<string>;
  /** A step may save a name no one can tell before the run (a script's computed `save(key, ...)`). */
  readonly any: boolean;
}

function savedNames(loaded: LoadedSuite): SavedNames {
  const names = new Set<string>();
  let any = false;
  for (const { step } of stepsThatRun(loaded, () => true)) {
    const saves = maySave(step);
    for (const name of saves.names) names.add(name);
    any ||= saves.any;
  }
  return { names, any };
}

/** Every step of the suite that runs (suite init, the tests `only` keeps, their init and cleanup, suite cleanup), with its key path. */
function stepsThatRun(loaded: LoadedSuite, only: (testName: string, testIndex: number) => boolean): { step: Step; path: KeyPath }[] {
  const suite = loaded.suite;
  const out: { step: Step; path: KeyPath }[] = [];
  const list = (steps: readonly Step[] | undefined, path: KeyPath): void =>
    (steps ?? []).forEach((step, i) => out.push({ step, path: [...path, i] }));
  list(suite.init, ['init']);
  suite.tests.forEach((test, t) => {
    if (!only(test.name, t)) return;
    list(test.init, ['tests', t, 'init']);
    list(test.steps, ['tests', t, 'steps']);
    list(test.cleanup?.on_failure, ['tests', t, 'cleanup', 'on_failure']);
    list(test.cleanup?.always, ['tests', t, 'cleanup', 'always']);
  });
  list(suite.cleanup?.on_failure, ['cleanup', 'on_failure']);
  list(suite.cleanup?.always, ['cleanup', 'always']);
  return out;
}

/** A document error on one line: its first line, the other problems after `; `. */
function oneLine(error: OpenApiDocumentError): string {
  return error.message
    .split('\n')
    .map((line) => line.trim())
    .join('; ');
}
