import type { Dsn } from '../dsl/index.js';
import type { Json } from '../json.js';

/** What one statement gave: its rows (each a map of column to JSON value) and the rows it changed. */
export interface StatementResult {
  readonly rows: readonly Readonly<Record<string, Json>>[];
  /** Rows changed by INSERT, UPDATE or DELETE (RETURNING included); 0 for a SELECT. */
  readonly rowsAffected: number;
}

/** One connection taken from a pool, for one step's statements, in order. */
export interface SqlSession {
  /** Runs one statement; rejects with the database's error. */
  run(statement: string): Promise<StatementResult>;
  /**
   * Cuts the statement in flight: cancels it on the server (PostgreSQL's cancel, MySQL's
   * `KILL QUERY`) and drops the connection, so a timeout or a Ctrl-C leaves nothing running.
   */
  abort(): void;
  /** Gives the connection back to its pool. */
  release(): void;
}

/** Connections to one DSN, kept for the run. */
export interface SqlPool {
  /** A connection. `openSqlPool`'s rejects with a {@link SqlConnectError}; a driver's, with its own error. */
  connect(): Promise<SqlSession>;
  /** Closes every connection (idempotent). */
  close(): Promise<void>;
}

/** The database could not be reached, or refused the credentials. */
export class SqlConnectError extends Error {
  override readonly name = 'SqlConnectError';
  constructor(
    message: string,
    /** `ECONNREFUSED`, `ENOTFOUND`, a SQLSTATE such as `28P01`, `ER_ACCESS_DENIED_ERROR`, ... */
    readonly code: string,
  ) {
    super(message);
  }
}

/** The most connections a pool opens to one DSN. */
export const MAX_CONNECTIONS = 5;

/**
 * A pool for `dsn`. Its driver is imported on first use only (`pg`, `mysql2`, `better-sqlite3`),
 * so a run without sql steps never loads one.
 */
export function openSqlPool(dsn: Dsn): SqlPool {
  let pool: Promise<SqlPool> | undefined;
  let closed = false;
  const load = (): Promise<SqlPool> =>
    (pool ??=
      dsn.driver === 'sqlite'
        ? import('./sql-sqlite.js').then(
            (m) => m.sqlitePool(dsn),
            (error: unknown) => {
              throw new SqlConnectError(
                `the sqlite driver needs the better-sqlite3 package, an optional peer dependency: install it beside rocketship-rx (npm install better-sqlite3; it compiles with g++, make and python3): ${errorParts(error).message}`,
                'MODULE_NOT_FOUND',
              );
            },
          )
        : dsn.driver === 'postgres'
          ? import('./sql-postgres.js').then((m) => m.postgresPool(dsn))
          : import('./sql-mysql.js').then((m) => m.mysqlPool(dsn)));
  return {
    connect: async () => {
      if (closed) throw new SqlConnectError('the run has ended: its database connections are closed', 'CLOSED');
      try {
        return await (await load()).connect();
      } catch (error) {
        if (error instanceof SqlConnectError) throw error;
        const { code, message } = errorParts(error);
        const verb = dsn.driver === 'sqlite' ? 'cannot open sqlite database' : `cannot connect to ${dsn.driver} at`;
        throw new SqlConnectError(`${verb} ${dsnPlace(dsn)}: ${message}`, code);
      }
    },
    close: async () => {
      closed = true;
      if (pool !== undefined) await (await pool.catch(() => undefined))?.close();
    },
  };
}

/** `127.0.0.1:5432/shop` or `/run/mysqld/mysqld.sock/shop`: where a server DSN points, for messages. */
export function dsnPlace(dsn: Dsn): string {
  if (dsn.driver === 'sqlite') return dsn.path;
  return `${dsn.socket ?? `${dsn.host}:${dsn.port}`}/${dsn.database}`;
}

/** An error's code and message, whatever threw it. */
export function errorParts(error: unknown): { code: string; message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  // An AggregateError (every address of a host refused) has no message of its own.
  const inner = error instanceof AggregateError && message === '' ? error.errors.map((e) => errorParts(e).message).join('; ') : message;
  return { code: typeof code === 'string' && code !== '' ? code : 'ERROR', message: inner === '' ? String(code ?? 'error') : inner };
}
