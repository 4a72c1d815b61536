import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';

/**
 * Throwaway database servers for specs: each spec file starts its own PostgreSQL or MariaDB in a
 * temporary directory, on a free port of 127.0.0.1, loads Rocketship's test schema
 * (`../shared/compat/rocketship/db/`), and stops it by pid in `after`.
 *
 * Both have a user `testuser` with password `testpass` and a database `testdb`, as Rocketship's
 * own suite expects.
 *
 * Running as root: `initdb` and `postgres` refuse to run as root, so they run as the `postgres`
 * user (or `nobody` when there is none) through `runuser -u USER --`, in a temporary directory
 * chowned to that user. `mariadbd` runs as root with `--user=root`.
 */
export const DB_USER = 'testuser';
export const DB_PASSWORD = 'testpass';
export const DB_NAME = 'testdb';

/** Where Rocketship's schemas are, beside the checkout. */
export const SCHEMA_DIR = new URL('../../../shared/compat/rocketship/db/', import.meta.url).pathname;

/** A running throwaway server. */
export interface DbServer {
  readonly port: number;
  readonly pid: number;
  /** Its temporary directory (data, socket, log). */
  readonly dir: string;
  /** Stops the server by its pid and removes its directory. */
  stop(): Promise<void>;
}

/** The directory holding `initdb`, `pg_ctl` and `postgres`, or undefined: /usr/local/bin, Debian's /usr/lib/postgresql/N/bin, the PATH. */
export function findPostgresBin(): string | undefined {
  const candidates = ['/usr/local/bin', ...debianPgBins(), ...(process.env['PATH'] ?? '').split(':')];
  return candidates.find((d) => d !== '' && ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(d, b))));
}

/** `mariadbd` and `mariadb-install-db`, or undefined. */
export function findMariadb(): { readonly server: string; readonly installDb: string } | undefined {
  const server = ['/usr/sbin/mariadbd', '/usr/bin/mariadbd', '/usr/local/bin/mariadbd'].find((p) => existsSync(p));
  const installDb = ['/usr/bin/mariadb-install-db', '/usr/local/bin/mariadb-install-db', '/usr/sbin/mariadb-install-db'].find((p) =>
    existsSync(p),
  );
  return server === undefined || installDb === undefined ? undefined : { server, installDb };
}

/** The line a spec prints when it skips for want of a server. */
export const INSTALL_POSTGRES = 'PostgreSQL not found (initdb, pg_ctl, postgres): install it with `apt-get install -y postgresql`';
export const INSTALL_MARIADB = 'MariaDB not found (mariadbd, mariadb-install-db): install it with `apt-get install -y mariadb-server`';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts PostgreSQL: `initdb` (user testuser, password testpass, scram-sha-256 over TCP), then
 * `pg_ctl start` on a free port listening on 127.0.0.1 only (its socket in the temp dir), creates
 * `testdb` and loads `db/postgres/*.sql`.
 */
export async function startPostgres(bin: string): Promise<DbServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rsx-pg-'));
  const asUser = ownDirForPostgres(dir);
  const run = (cmd: string, args: string[]): void => {
    const [file, argv] = asUser === undefined ? [cmd, args] : ['runuser', ['-u', asUser, '--', cmd, ...args]];
    execFileSync(file, argv, { stdio: 'pipe', cwd: dir });
  };
  const data = join(dir, 'data');
  writeFileSync(join(dir, 'pw'), `${DB_PASSWORD}\n`);
  if (asUser !== undefined) chownTo(join(dir, 'pw'), asUser);
  run(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    DB_USER,
    `--pwfile=${join(dir, 'pw')}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  const port = await freePort();
  run(join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const server: DbServer = { port, pid, dir, stop: () => stopByPid(pid, 'SIGINT', dir) };
  try {
    const admin = new pg.Client({ host: '127.0.0.1', port, user: DB_USER, password: DB_PASSWORD, database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
    await admin.end();
    await loadSchema(server, 'postgres');
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/**
 * Starts MariaDB: `mariadb-install-db` into the temp dir, then `mariadbd` on a free port of
 * 127.0.0.1 (`--skip-networking=0`, its socket in the temp dir); creates `testdb` and
 * `testuser`@`%` and loads `db/mysql/*.sql`.
 */
export async function startMariadb(found: { readonly server: string; readonly installDb: string }): Promise<DbServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rsx-maria-'));
  const data = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const root = process.getuid?.() === 0;
  const user = root ? ['--user=root'] : [];
  execFileSync(
    found.installDb,
    ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...user],
    {
      stdio: 'pipe',
    },
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    found.server,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-networking=0',
      `--pid-file=${join(dir, 'mariadbd.pid')}`,
      `--log-error=${join(dir, 'error.log')}`,
      '--innodb-buffer-pool-size=16M',
      '--skip-log-bin',
      ...user,
    ],
    { stdio: 'ignore', detached: true },
  );
  child.unref();
  const pid = child.pid as number;
  const server: DbServer = { port, pid, dir, stop: () => stopByPid(pid, 'SIGTERM', dir) };
  try {
    const admin = await until(() => mysql.createConnection({ socketPath: socket, user: 'root', password: '' }), 60_000);
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
    await admin.query(`CREATE USER '${DB_USER}'@'%' IDENTIFIED BY '${DB_PASSWORD}'`);
    await admin.query(`CREATE USER '${DB_USER}'@'localhost' IDENTIFIED BY '${DB_PASSWORD}'`);
    await admin.query(`GRANT ALL ON *.* TO '${DB_USER}'@'%' WITH GRANT OPTION`);
    await admin.query(`GRANT ALL ON *.* TO '${DB_USER}'@'localhost' WITH GRANT OPTION`);
    await admin.end();
    await loadSchema(server, 'mysql');
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** Runs every `.sql` file of Rocketship's schema folder for `kind` against `testdb`, as testuser. */
async function loadSchema(server: DbServer, kind: 'postgres' | 'mysql'): Promise<void> {
  const folder = join(SCHEMA_DIR, kind);
  for (const file of readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    const text = readFileSync(join(folder, file), 'utf8');
    if (kind === 'postgres') {
      const c = new pg.Client({ host: '127.0.0.1', port: server.port, user: DB_USER, password: DB_PASSWORD, database: DB_NAME });
      await c.connect();
      await c.query(text);
      await c.end();
    } else {
      const c = await mysql.createConnection({
        host: '127.0.0.1',
        port: server.port,
        user: DB_USER,
        password: DB_PASSWORD,
        database: DB_NAME,
        multipleStatements: true,
      });
      await c.query(text);
      await c.end();
    }
  }
}

/** Sends `signal` to `pid`, waits up to 30s for it to exit, then removes `dir`. */
async function stopByPid(pid: number, signal: NodeJS.Signals, dir: string): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && alive(pid)) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<A>(f: () => Promise<A>, timeoutMs: number): Promise<A> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await f();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** As root, the user PostgreSQL runs as (`postgres`, else `nobody`), owning `dir`; undefined otherwise. */
function ownDirForPostgres(dir: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const user = hasUser('postgres') ? 'postgres' : 'nobody';
  chownTo(dir, user);
  return user;
}

function chownTo(path: string, user: string): void {
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  chownSync(path, uid, gid);
}

function hasUser(user: string): boolean {
  try {
    execFileSync('id', ['-u', user], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function debianPgBins(): string[] {
  try {
    return readdirSync('/usr/lib/postgresql')
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => `/usr/lib/postgresql/${v}/bin`);
  } catch {
    return [];
  }
}
