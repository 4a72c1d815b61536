import mysql from 'mysql2/promise';
import type { Dsn } from '../dsl/index.js';
import type { Json } from '../json.js';
import { MAX_CONNECTIONS, type SqlPool, type StatementResult } from './sql-pool.js';
import { rfc3339, toJsonValue } from './sql-value.js';

type MysqlDsn = Exclude<Dsn, { driver: 'sqlite' }>;

/**
 * A `mysql2` pool for a mysql DSN (MySQL or MariaDB); sessions run in UTC. Integers come as
 * numbers (as strings past 2^53 - 1), DECIMAL as strings, DATETIME and TIMESTAMP as RFC 3339
 * (see `toJsonValue`). `multiStatements=true` in the DSN allows several statements in one string.
 */
export function mysqlPool(dsn: MysqlDsn): SqlPool {
  const config: mysql.PoolOptions = {
    ...(dsn.socket === undefined ? { host: dsn.host, port: dsn.port } : { socketPath: dsn.socket }),
    user: dsn.user,
    password: dsn.password,
    ...(dsn.database === '' ? {} : { database: dsn.database }),
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: false,
    dateStrings: true,
    multipleStatements: dsn.params['multiStatements'] === 'true',
    typeCast: (field, next) => {
      if (field.type === 'DATETIME' || field.type === 'TIMESTAMP') {
        const text = field.string();
        return text === null ? null : rfc3339(text);
      }
      return next();
    },
  };
  const pool = mysql.createPool({ ...config, connectionLimit: MAX_CONNECTIONS, maxIdle: 2, idleTimeout: 10_000 });
  let closed: Promise<void> | undefined;
  return {
    connect: async () => {
      const conn = await pool.getConnection();
      try {
        await conn.query("SET time_zone = '+00:00'");
      } catch (error) {
        conn.destroy();
        throw error;
      }
      let done = false;
      return {
        run: async (statement) => {
          const [result] = await conn.query({ sql: statement, rowsAsArray: false });
          return statementResult(Array.isArray(result) && result.length > 0 && !isRowList(result) ? result[result.length - 1] : result);
        },
        abort: () => {
          if (done) return;
          done = true;
          const id = conn.threadId;
          // KILL QUERY on a connection of its own (the pooled one is busy), then the busy one is dropped.
          void mysql
            .createConnection(config as mysql.ConnectionOptions)
            .then((killer) =>
              killer
                .query(`KILL QUERY ${Number(id)}`)
                .catch(() => undefined)
                .finally(() => void killer.end().catch(() => undefined)),
            )
            .catch(() => undefined);
          conn.destroy();
        },
        release: () => {
          if (done) return;
          done = true;
          conn.release();
        },
      };
    },
    close: () => (closed ??= pool.end().catch(() => undefined)),
  };
}

/** Rows (a list of maps), as opposed to the list of results of several statements. */
function isRowList(result: readonly unknown[]): boolean {
  const first = result[0];
  return first !== null && typeof first === 'object' && !Array.isArray(first) && !('affectedRows' in first && 'fieldCount' in first);
}

function statementResult(result: unknown): StatementResult {
  if (Array.isArray(result)) {
    const rows = (result as Record<string, unknown>[]).map((row) => {
      const out: Record<string, Json> = {};
      for (const [k, v] of Object.entries(row)) out[k] = toJsonValue(v);
      return out;
    });
    return { rows, rowsAffected: 0 };
  }
  const header = result as { affectedRows?: number };
  return { rows: [], rowsAffected: header.affectedRows ?? 0 };
}
