import * as E from 'fp-ts/lib/Either.js';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { OpenApiDocumentError } from './openapi-document-error.js';

/** Where to look for a relative `spec` path. */
export interface LocateDocumentOptions {
  /** The working directory, tried first. Default `process.cwd()`. */
  readonly cwd?: string | undefined;
  /** The suite file's folder, tried second. */
  readonly suiteDir: string;
  /** Whether a file exists. Default `existsSync`. */
  readonly exists?: ((path: string) => boolean) | undefined;
}

/**
 * Where an `openapi.spec` value points: an `http(s)` URL as it is, an absolute path as it is,
 * and a relative path as Rocketship resolves it, against the working directory, then, when no
 * file is there, against the suite file's folder. A relative path found in neither place is an
 * `OpenApiDocumentError` naming both paths tried.
 *
 * locateDocument('./api.yaml', { cwd: '/work', suiteDir: '/work/suites' })
 * // right('/work/api.yaml') when it exists, else right('/work/suites/api.yaml') when that does,
 * // else left(... 'was not found: tried /work/api.yaml, then /work/suites/api.yaml')
 * locateDocument('https://api.test/openapi.json', ...)   // right('https://api.test/openapi.json')
 */
export function locateDocument(spec: string, options: LocateDocumentOptions): E.Either<OpenApiDocumentError, string> {
  if (/^https?:\/\//i.test(spec)) return E.right(spec);
  const exists = options.exists ?? existsSync;
  if (isAbsolute(spec)) {
    return exists(spec)
      ? E.right(spec)
      : E.left(new OpenApiDocumentError({ source: spec, headline: 'was not found', problems: ['no such file'] }));
  }
  const fromCwd = resolve(options.cwd ?? process.cwd(), spec);
  if (exists(fromCwd)) return E.right(fromCwd);
  const fromSuite = resolve(options.suiteDir, spec);
  if (exists(fromSuite)) return E.right(fromSuite);
  return E.left(
    new OpenApiDocumentError({
      source: spec,
      headline: 'was not found',
      problems: [`tried ${fromCwd} (the working directory), then ${fromSuite} (the suite file's folder)`],
    }),
  );
}
