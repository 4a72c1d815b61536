import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { hasTemplate } from '../../template/has-template.js';
import { hasOwn } from '../describe-value.js';
import { parseDsn, type SqlDriverName } from '../parse-dsn.js';
import { Duration } from './duration.js';
import { unsupportedMessage } from './keyword.js';
import { list } from './list.js';
import { NonEmptyString } from './non-empty-string.js';
import { pollingCodec, type Polling } from './polling.js';
import { SECRET_VALUE } from './secret-value.js';
import { SqlCheck } from './sql-check.js';
import { strictType } from './strict-type.js';
import { type Templatable, templatable } from './templatable.js';
import { withCheck } from './with-check.js';
import { withJsonSchema } from './with-json-schema.js';

const DRIVERS = ['postgres', 'mysql', 'sqlite'] as const;

/**
 * A `sql` step's `driver`: `postgres`, `mysql` (MySQL and MariaDB) or `sqlite`. Rocketship's
 * `sqlserver` is rejected with its own message: it is not supported here (nothing here can test
 * it against a real server).
 */
export const SqlDriver = withJsonSchema(
  new t.Type<SqlDriverName, SqlDriverName, unknown>(
    `one of ${DRIVERS.join(', ')}`,
    (u): u is SqlDriverName => typeof u === 'string' && (DRIVERS as readonly string[]).includes(u),
    (u, c) =>
      typeof u === 'string' && (DRIVERS as readonly string[]).includes(u)
        ? t.success(u as SqlDriverName)
        : t.failure(
            u,
            c,
            u === 'sqlserver'
              ? `driver "sqlserver" is not supported by rocketship-rx (yet); supported: ${DRIVERS.join(', ')}`
              : unsupportedMessage('driver', u, DRIVERS),
          ),
    (a) => a,
  ),
  { schema: () => ({ enum: [...DRIVERS] }) },
);

/**
 * The `config` of a `sql` step (Rocketship's format): statements run in order on one connection.
 *
 * ```yaml
 * config:
 *   driver: postgres                 # postgres, mysql or sqlite
 *   dsn: "{{ .env.DATABASE_URL }}"   # postgres://user:pass@host:5432/db, user:pass@tcp(host:3306)/db, ./test.db
 *   commands:                        # or file: ./queries/check.sql (relative to the suite file)
 *     - "SELECT id, status FROM orders WHERE id = {{ order_id }};"
 *   timeout: "30s"                   # the whole step (connecting included); default 30s
 * ```
 *
 * A literal `dsn` is read when the file is decoded (a bad one is an error there, with its line);
 * one holding a template is read when the step runs. `polling` repeats the statements until its
 * conditions hold, as on an `http` step.
 */
export type SqlConfig = {
  driver: SqlDriverName;
  dsn: string;
  /** Whole step budget in ms (connecting and every statement). Default 30s. */
  timeout?: Templatable<number>;
  polling?: Polling;
} & ({ commands: string[] } | { file: string });

const SqlConfigMap = strictType(
  'a sql config map (driver, dsn, and commands or file)',
  { driver: SqlDriver, dsn: NonEmptyString },
  {
    commands: list(NonEmptyString, 'statement', { min: 1 }),
    file: NonEmptyString,
    timeout: templatable(Duration),
    polling: pollingCodec(SqlCheck, 'SqlPolling'),
  },
);

export const SqlConfig: t.Type<SqlConfig, unknown, unknown> = withJsonSchema(
  withCheck(
    SqlConfigMap,
    (value, input, c) => {
      const commands = hasOwn(value, 'commands');
      const file = hasOwn(value, 'file');
      if (commands && file) {
        return [
          {
            value: value.file,
            context: t.appendContext(c, 'file', NonEmptyString, value.file),
            message: 'a sql step takes commands or file, not both',
          },
        ];
      }
      if (!commands && !file)
        return [{ value: input, context: c, message: 'a sql step needs its statements: add commands (a list) or file (a .sql file)' }];
      if (!hasTemplate(value.dsn)) {
        const dsn = parseDsn(value.driver, value.dsn);
        // The message never holds the DSN itself: it may hold a password.
        if (E.isLeft(dsn))
          return [{ value: SECRET_VALUE, context: t.appendContext(c, 'dsn', NonEmptyString, SECRET_VALUE), message: dsn.left }];
      }
      return [];
    },
    { oneOf: [{ required: ['commands'] }, { required: ['file'] }] },
  ) as t.Type<SqlConfig, unknown, unknown>,
  { id: 'SqlConfig' },
);
