import * as E from 'fp-ts/lib/Either.js';

/** The SQL drivers a `sql` step can use. */
export type SqlDriverName = 'postgres' | 'mysql' | 'sqlite';

/**
 * Where a `sql` step connects, as read off its DSN. Server DSNs carry the credentials; a SQLite
 * DSN carries the database file (or `:memory:`). `params` are the DSN's options as written
 * (`sslmode`, `parseTime`, `mode`, ...): the drivers read the few they understand.
 */
export type Dsn =
  | {
      readonly driver: 'postgres' | 'mysql';
      readonly host: string;
      readonly port: number;
      /** A Unix socket (a directory for PostgreSQL, the socket file for MySQL), when the DSN names one. */
      readonly socket?: string;
      readonly database: string;
      readonly user: string;
      /** The password, decoded; '' when the DSN has none. A secret: masked everywhere. */
      readonly password: string;
      readonly params: Readonly<Record<string, string>>;
    }
  | {
      readonly driver: 'sqlite';
      /** The database file as given (relative to the working directory, as SQLite takes it), or `:memory:`. */
      readonly path: string;
      readonly params: Readonly<Record<string, string>>;
    };

/**
 * Reads a DSN as Rocketship's users write it, for `driver`:
 * - postgres: `postgres://user:pass@host:port/db?sslmode=disable` (or `postgresql://`), or libpq's
 *   `host=... port=... user=... password=... dbname=...`;
 * - mysql: Go's form `user:pass@tcp(host:port)/db?parseTime=true` (also `unix(/path.sock)`), or
 *   `mysql://user:pass@host:port/db`;
 * - sqlite: a file path (`./data/test.db`), `:memory:`, or a `file:` URI (`file:test.db?mode=ro`).
 *
 * A DSN that cannot be read is a `Left` saying what was expected. The message never holds the
 * password.
 *
 * parseDsn('mysql', 'app:s3cret@tcp(127.0.0.1:3307)/shop?parseTime=true')
 * // Right({ driver: 'mysql', host: '127.0.0.1', port: 3307, database: 'shop', user: 'app', password: 's3cret', params: { parseTime: 'true' } })
 */
export function parseDsn(driver: SqlDriverName, dsn: string): E.Either<string, Dsn> {
  const text = dsn.trim();
  if (text === '') return E.left('the DSN is empty');
  switch (driver) {
    case 'postgres':
      return /^postgres(ql)?:\/\//i.test(text) ? urlDsn('postgres', text, 5432) : keyValueDsn(text);
    case 'mysql':
      return /^mysql:\/\//i.test(text) ? urlDsn('mysql', text, 3306) : goMysqlDsn(text);
    case 'sqlite':
      return sqliteDsn(text);
  }
}

/** The DSN as a URL for reports: `postgres://user:pass@host:port/db`, `mysql://...`, `sqlite:path`. */
export function dsnUrl(dsn: Dsn): string {
  if (dsn.driver === 'sqlite') return `sqlite:${dsn.path}`;
  const auth =
    dsn.user === '' && dsn.password === ''
      ? ''
      : `${encodeURIComponent(dsn.user)}${dsn.password === '' ? '' : `:${encodeURIComponent(dsn.password)}`}@`;
  const where = dsn.socket === undefined ? `${bracketed(dsn.host)}:${dsn.port}` : `localhost:${dsn.port}`;
  const db = dsn.database === '' ? '' : `/${encodeURIComponent(dsn.database)}`;
  const socket = dsn.socket === undefined ? '' : `?socket=${encodeURIComponent(dsn.socket)}`;
  return `${dsn.driver}://${auth}${where}${db}${socket}`;
}

/** What the user wrote for each driver, for messages. */
export const DSN_FORMS: Readonly<Record<SqlDriverName, string>> = {
  postgres: 'postgres://user:password@host:port/database?sslmode=disable (or host=... user=... dbname=...)',
  mysql: 'user:password@tcp(host:port)/database?parseTime=true (or mysql://user:password@host:port/database)',
  sqlite: 'a file path, :memory: or a file: URI (file:test.db?mode=ro)',
};

function urlDsn(driver: 'postgres' | 'mysql', text: string, defaultPort: number): E.Either<string, Dsn> {
  let url: URL;
  try {
    // No host before the path (`postgres://user:pw@/db?host=/run/postgresql`): a socket given in the query.
    url = new URL(text.replace(/^([a-z]+:\/\/(?:[^@/?#]*@)?)(?=[/?#]|$)/i, '$1localhost'));
  } catch {
    return E.left(`not a ${driver} DSN: expected ${DSN_FORMS[driver]}`);
  }
  const params = Object.fromEntries(url.searchParams);
  const portText = url.port === '' ? params['port'] : url.port;
  const port = portText === undefined || portText === '' ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return E.left(`not a ${driver} DSN: port "${portText ?? ''}" is not a port number`);
  const database = decode(url.pathname.replace(/^\//, ''));
  if (database.includes('/')) return E.left(`not a ${driver} DSN: the database name cannot hold "/"; expected ${DSN_FORMS[driver]}`);
  // A socket given as ?host=/run/postgresql (libpq) or ?socket=/tmp/mysql.sock.
  const socketParam = params['socket'] ?? (params['host']?.startsWith('/') === true ? params['host'] : undefined);
  const host =
    url.hostname.replace(/^\[|\]$/g, '') ||
    (params['host'] !== undefined && !params['host'].startsWith('/') ? params['host'] : 'localhost');
  return E.right({
    driver,
    host,
    port,
    ...(socketParam === undefined ? {} : { socket: socketParam }),
    database,
    user: decode(url.username),
    password: decode(url.password),
    params,
  });
}

/** libpq's `key=value` form; values may be single-quoted with `\'` and `\\` escapes. */
function keyValueDsn(text: string): E.Either<string, Dsn> {
  const pairs: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i += 1;
    if (i >= text.length) break;
    const key = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))?.[0];
    if (key === undefined) return E.left(`not a postgres DSN: expected ${DSN_FORMS.postgres}`);
    i += key.length;
    while (text[i] === ' ') i += 1;
    if (text[i] !== '=') return E.left(`not a postgres DSN: "${key}" has no "=value"; expected ${DSN_FORMS.postgres}`);
    i += 1;
    while (text[i] === ' ') i += 1;
    let value = '';
    if (text[i] === "'") {
      i += 1;
      while (i < text.length && text[i] !== "'") {
        if (text[i] === '\\' && i + 1 < text.length) i += 1;
        value += text[i];
        i += 1;
      }
      if (text[i] !== "'") return E.left(`not a postgres DSN: the quoted value of "${key}" is not closed`);
      i += 1;
    } else {
      while (i < text.length && !/\s/.test(text[i] as string)) {
        if (text[i] === '\\' && i + 1 < text.length) i += 1;
        value += text[i];
        i += 1;
      }
    }
    pairs[key] = value;
  }
  if (Object.keys(pairs).length === 0) return E.left(`not a postgres DSN: expected ${DSN_FORMS.postgres}`);
  const { host = 'localhost', port = '5432', user = '', password = '', dbname = '', ...params } = pairs;
  const portNumber = Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535)
    return E.left(`not a postgres DSN: port "${port}" is not a port number`);
  return E.right({
    driver: 'postgres',
    host: host.startsWith('/') ? 'localhost' : host,
    port: portNumber,
    ...(host.startsWith('/') ? { socket: host } : {}),
    database: dbname,
    user,
    password,
    params,
  });
}

/**
 * Go's MySQL driver form, `[user[:password]@][net[(addr)]]/dbname[?params]`, read as that driver
 * reads it: the database starts after the last `/`, the credentials end at the last `@` before
 * it (so a password may hold `@`), and the user ends at the first `:`.
 */
function goMysqlDsn(text: string): E.Either<string, Dsn> {
  const query = text.indexOf('?', text.lastIndexOf(')') + 1);
  const beforeQuery = query < 0 ? text : text.slice(0, query);
  const slash = beforeQuery.lastIndexOf('/');
  const bad = (why: string): E.Either<string, Dsn> => E.left(`not a mysql DSN: ${why}; expected ${DSN_FORMS.mysql}`);
  if (slash < 0) return bad('no "/" before the database name');
  const head = beforeQuery.slice(0, slash);
  const database = beforeQuery.slice(slash + 1);
  const at = head.lastIndexOf('@');
  const userInfo = at < 0 ? '' : head.slice(0, at);
  const address = at < 0 ? head : head.slice(at + 1);
  const colon = userInfo.indexOf(':');
  const user = colon < 0 ? userInfo : userInfo.slice(0, colon);
  const password = colon < 0 ? '' : userInfo.slice(colon + 1);
  const net = /^([a-z]*)(?:\((.*)\))?$/.exec(address);
  if (net === null) return bad(`"${address.length > 40 ? `${address.slice(0, 40)}…` : address}" is not a net(address) part`);
  const protocol = net[1] === '' ? 'tcp' : net[1];
  const addr = net[2] ?? '';
  const params = Object.fromEntries(new URLSearchParams(query < 0 ? '' : text.slice(query + 1)));
  if (protocol === 'unix') {
    if (addr === '') return bad('unix() needs the socket path');
    return E.right({ driver: 'mysql', host: 'localhost', port: 3306, socket: addr, database, user, password, params });
  }
  if (protocol !== 'tcp' && protocol !== 'tcp4' && protocol !== 'tcp6') return bad(`the protocol "${protocol}" is not tcp or unix`);
  const hostPort = /^(?:\[([^\]]*)\]|([^:]*))(?::(\d+))?$/.exec(addr);
  if (hostPort === null) return bad(`"${addr}" is not host:port`);
  const port = hostPort[3] === undefined ? 3306 : Number(hostPort[3]);
  if (port < 1 || port > 65535) return bad(`port ${port} is out of range`);
  const host = hostPort[1] ?? (hostPort[2] === '' || hostPort[2] === undefined ? '127.0.0.1' : hostPort[2]);
  return E.right({ driver: 'mysql', host, port, database, user, password, params });
}

function sqliteDsn(text: string): E.Either<string, Dsn> {
  if (!/^file:/i.test(text)) {
    // A plain path may still carry Go-style options: `test.db?_busy_timeout=5000`.
    const q = text.indexOf('?');
    return E.right({
      driver: 'sqlite',
      path: q < 0 ? text : text.slice(0, q),
      params: Object.fromEntries(new URLSearchParams(q < 0 ? '' : text.slice(q + 1))),
    });
  }
  const rest = text.slice(5);
  const q = rest.indexOf('?');
  const params = Object.fromEntries(new URLSearchParams(q < 0 ? '' : rest.slice(q + 1)));
  let path = decode(q < 0 ? rest : rest.slice(0, q));
  // file:///abs/path and file://localhost/abs/path; file:relative/path stays relative.
  if (path.startsWith('//')) {
    const authority = path.slice(2, path.indexOf('/', 2) < 0 ? undefined : path.indexOf('/', 2));
    if (authority !== '' && authority !== 'localhost')
      return E.left(`not a sqlite DSN: the file: URI names a host ("${authority}"); expected ${DSN_FORMS.sqlite}`);
    path = path.slice(2 + authority.length);
  }
  if (params['mode'] === 'memory' || path === ':memory:') return E.right({ driver: 'sqlite', path: ':memory:', params });
  if (path === '') return E.left(`not a sqlite DSN: the file: URI has no path; expected ${DSN_FORMS.sqlite}`);
  return E.right({ driver: 'sqlite', path, params });
}

function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
