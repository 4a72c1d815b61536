import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { CliIO } from './cli-io.js';
import { STARTER_BASE_URL, starterSuite } from './starter-suite.js';

/** What `rocketship init` was asked to do. */
export interface InitArgs {
  /** The file to write, relative to the working directory (default `rocketship.yaml`). */
  readonly file: string;
  /**
   * `--schema PATH|URL`: what the file's `$schema` line points to, written as given. Undefined:
   * the schema of the installed package (see {@link runInit}).
   */
  readonly schema: string | undefined;
}

/** Where an installed rocketship-rx keeps the suite's JSON Schema, below a `node_modules`. */
const INSTALLED_SCHEMA = ['node_modules', 'rocketship-rx', 'schema', 'rocketship.schema.json'];

/**
 * `rocketship init`: writes a commented starter suite (see `starterSuite`) and says how to run
 * it. Never overwrites: when the file exists (or anything else keeps it from being created), it
 * says so and returns 2, having written nothing.
 *
 * The `$schema` line points to the package's schema in the nearest `node_modules` at or above
 * the file's folder, as a relative path (so it works on every machine that installs the
 * project); when there is none yet, to where `npm install --save-dev rocketship-rx` puts it
 * (beside the nearest package.json), with a note saying so.
 */
export function runInit(args: InitArgs, io: Pick<CliIO, 'stdout' | 'stderr' | 'cwd'>): number {
  const target = resolve(io.cwd, args.file);
  const schema = args.schema === undefined ? installedSchema(dirname(target)) : { path: args.schema, present: true };
  try {
    // 'wx': created here or not at all, even when another process makes the file meanwhile.
    writeFileSync(target, starterSuite(schema.path), { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.stderr(
      code === 'EEXIST'
        ? `rocketship init: ${args.file} already exists; not overwriting it (remove it first, or write another file: rocketship init api.yaml)\n`
        : `rocketship init: cannot write ${args.file}: ${code === 'ENOENT' ? `no such directory ${dirname(args.file)}` : (error as Error).message}\n`,
    );
    return 2;
  }
  io.stdout(
    `wrote ${args.file}: a health check, and a job submitted then polled until it completes, against {{ .vars.base_url }} (${STARTER_BASE_URL})\n` +
      `run it:  rocketship run ${args.file} --var base_url=<your API's URL>\n`,
  );
  if (!schema.present)
    io.stdout(
      `note: its $schema line points to ${schema.path}, which is not there yet: npm install --save-dev rocketship-rx puts it there (or: rocketship init --schema PATH|URL)\n`,
    );
  return 0;
}

/** The relative path from `dir` to the installed schema, and whether it is there. */
function installedSchema(dir: string): { path: string; present: boolean } {
  let project: string | undefined;
  for (let at = dir; ; at = dirname(at)) {
    const candidate = join(at, ...INSTALLED_SCHEMA);
    if (existsSync(candidate)) return { path: relativeUrl(dir, candidate), present: true };
    if (project === undefined && existsSync(join(at, 'package.json'))) project = at;
    if (dirname(at) === at) break;
  }
  return { path: relativeUrl(dir, join(project ?? dir, ...INSTALLED_SCHEMA)), present: false };
}

/** `./node_modules/...` or `../node_modules/...`: forward slashes, as the YAML language server reads it. */
function relativeUrl(from: string, to: string): string {
  const path = relative(from, to).split(sep).join('/');
  return path.startsWith('../') ? path : `./${path}`;
}
