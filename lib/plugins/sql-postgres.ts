import pg from 'pg';
import type { Dsn } from '../dsl/index.js';
import type { Json } from '../json.js';
import { MAX_CONNECTIONS, type SqlPool, type StatementResult } from './sql-pool.js';
import { rfc3339, toJsonValue } from './sql-value.js';

type PgDsn = Exclude<Dsn, { driver: 'sqlite' }>;

/** PostgreSQL type OIDs read differently from `pg`'s defaults (see `toJsonValue` for the mapping). */
const INT8 = 20;
const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;
const INTERVAL = 1186;

const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) => {
    switch (oid) {
      case INT8:
        return (v) => toJsonValue(BigInt(v));
      case TIMESTAMP:
      case TIMESTAMPTZ:
        return rfc3339;
      case DATE:
      case INTERVAL:
        return (v) => v;
      default:
        return pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown;
    }
  },
};

/** A `pg` pool for a postgres DSN; sessions run in UTC. */
export function postgresPool(dsn: PgDsn): SqlPool {
  const config: pg.ClientConfig = {
    host: dsn.socket ?? dsn.host,
    port: dsn.port,
    user: dsn.user,
    password: dsn.password,
    database: dsn.database === '' ? dsn.user : dsn.database,
    ssl: sslOf(dsn.params['sslmode']),
    options: '-c TimeZone=UTC',
    types,
    ...(dsn.params['application_name'] === undefined ? {} : { application_name: dsn.params['application_name'] }),
  };
  const pool = new pg.Pool({ ...config, max: MAX_CONNECTIONS, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
  // An idle connection the server drops (a restart) errors the pool: the next step reconnects.
  pool.on('error', () => undefined);
  let closed: Promise<void> | undefined;
  return {
    connect: async () => {
      const client = await pool.connect();
      let done = false;
      return {
        run: async (statement) => {
          const result = (await client.query(statement)) as pg.QueryResult | pg.QueryResult[];
          // Several statements in one string (PostgreSQL's simple protocol runs them all): the last one's result.
          return statementResult(Array.isArray(result) ? (result[result.length - 1] as pg.QueryResult) : result);
        },
        abort: () => {
          if (done) return;
          done = true;
          const pid = (client as unknown as { processID?: number }).processID;
          // A cancel request on a connection of its own (the pooled one is busy), then the busy one is dropped.
          if (typeof pid === 'number') {
            const canceller = new pg.Client(config);
            canceller
              .connect()
              .then(() => canceller.query('SELECT pg_cancel_backend($1)', [pid]))
              .catch(() => undefined)
              .finally(() => void canceller.end().catch(() => undefined));
          }
          client.release(true);
        },
        release: () => {
          if (done) return;
          done = true;
          client.release();
        },
      };
    },
    close: () => (closed ??= pool.end().catch(() => undefined)),
  };
}

function statementResult(result: pg.QueryResult): StatementResult {
  const rows = (result.rows as Record<string, unknown>[]).map((row) => {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(row)) out[k] = toJsonValue(v);
    return out;
  });
  const changes = result.command === 'INSERT' || result.command === 'UPDATE' || result.command === 'DELETE' || result.command === 'MERGE';
  return { rows, rowsAffected: changes ? (result.rowCount ?? 0) : 0 };
}

/** libpq's `sslmode`: `disable` (and absent) -> plain; `require`, `prefer`, `allow` -> TLS without verification; `verify-*` -> verified. */
function sslOf(mode: string | undefined): pg.ClientConfig['ssl'] {
  if (mode === undefined || mode === 'disable') return false;
  if (mode === 'verify-ca' || mode === 'verify-full') return true;
  return { rejectUnauthorized: false };
}
