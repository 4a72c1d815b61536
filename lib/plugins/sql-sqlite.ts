import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import type { Dsn } from '../dsl/index.js';
import type { Json } from '../json.js';
import type { SqlPool, StatementResult } from './sql-pool.js';
import { toJsonValue } from './sql-value.js';

type SqliteDsn = Extract<Dsn, { driver: 'sqlite' }>;

/**
 * A SQLite database through `better-sqlite3` (an optional peer dependency: users install it for SQLite). One
 * connection per DSN for the run; it waits up to 5s for another writer's lock (`busy_timeout`).
 * `mode=ro` opens read-only, `mode=rw` requires the file to exist; otherwise it is created.
 *
 * better-sqlite3 runs statements synchronously: a long statement holds the run until it ends,
 * and a step's timeout is checked between statements, not during one.
 */
export function sqlitePool(dsn: SqliteDsn): SqlPool {
  let db: BetterSqlite3.Database | undefined;
  const open = (): BetterSqlite3.Database => {
    if (db !== undefined) return db;
    const mode = dsn.params['mode'];
    const opened = new Database(dsn.path, { readonly: mode === 'ro', fileMustExist: mode === 'ro' || mode === 'rw' });
    opened.defaultSafeIntegers(true);
    opened.pragma(`busy_timeout = ${Number(dsn.params['_busy_timeout'] ?? 5000) || 5000}`);
    db = opened;
    return opened;
  };
  return {
    connect: async () => {
      const conn = open();
      return {
        run: async (statement) => statementResult(conn, statement),
        abort: () => undefined,
        release: () => undefined,
      };
    },
    close: async () => {
      db?.close();
      db = undefined;
    },
  };
}

function statementResult(db: BetterSqlite3.Database, statement: string): StatementResult {
  const prepared = db.prepare(statement);
  if (!prepared.reader) return { rows: [], rowsAffected: prepared.run().changes };
  const rows = (prepared.all() as Record<string, unknown>[]).map((row) => {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(row)) out[k] = toJsonValue(v);
    return out;
  });
  // A statement that returns rows changed some only when it is an INSERT, UPDATE or DELETE ... RETURNING.
  const changes = /^\s*(insert|update|delete|replace)\b/i.test(statement)
    ? (db.prepare('SELECT changes() AS n').get() as { n: bigint }).n
    : 0n;
  return { rows, rowsAffected: Number(changes) };
}
