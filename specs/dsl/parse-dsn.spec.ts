import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { dsnUrl, parseDsn } from '../../lib/dsl/parse-dsn.js';

describe('dsl/parse-dsn', () => {
  it('reads a postgres URL, decoding user and password, keeping the params', () => {
    expect(parseDsn('postgres', 'postgres://app:p%40ss@db.local:6432/shop?sslmode=disable')).to.deep.equal(
      E.right({
        driver: 'postgres',
        host: 'db.local',
        port: 6432,
        database: 'shop',
        user: 'app',
        password: 'p@ss',
        params: { sslmode: 'disable' },
      }),
    );
  });

  it('defaults the postgres port to 5432 and takes a socket from ?host=/dir', () => {
    const dsn = parseDsn('postgres', 'postgresql://app:pw@/shop?host=/run/postgresql');
    expect(dsn).to.deep.equal(
      E.right({
        driver: 'postgres',
        host: 'localhost',
        port: 5432,
        socket: '/run/postgresql',
        database: 'shop',
        user: 'app',
        password: 'pw',
        params: { host: '/run/postgresql' },
      }),
    );
  });

  it("reads libpq's key=value form, quoted values included", () => {
    expect(parseDsn('postgres', "host=127.0.0.1 port=5433 user=app password='a b\\'c' dbname=shop sslmode=disable")).to.deep.equal(
      E.right({
        driver: 'postgres',
        host: '127.0.0.1',
        port: 5433,
        database: 'shop',
        user: 'app',
        password: "a b'c",
        params: { sslmode: 'disable' },
      }),
    );
  });

  it("reads Go's MySQL form: the password may hold @ and :, the database starts after the last /", () => {
    expect(parseDsn('mysql', 'app:p@ss:w0rd@tcp(10.0.0.5:3307)/shop?parseTime=true&loc=UTC')).to.deep.equal(
      E.right({
        driver: 'mysql',
        host: '10.0.0.5',
        port: 3307,
        database: 'shop',
        user: 'app',
        password: 'p@ss:w0rd',
        params: { parseTime: 'true', loc: 'UTC' },
      }),
    );
    expect(parseDsn('mysql', 'root@/test')).to.deep.equal(
      E.right({ driver: 'mysql', host: '127.0.0.1', port: 3306, database: 'test', user: 'root', password: '', params: {} }),
    );
    expect(parseDsn('mysql', 'u:p@unix(/tmp/my.sock)/db')).to.deep.include({
      right: {
        driver: 'mysql',
        host: 'localhost',
        port: 3306,
        socket: '/tmp/my.sock',
        database: 'db',
        user: 'u',
        password: 'p',
        params: {},
      },
    });
  });

  it('reads a mysql:// URL', () => {
    expect(parseDsn('mysql', 'mysql://u:p@h:3310/db')).to.deep.equal(
      E.right({ driver: 'mysql', host: 'h', port: 3310, database: 'db', user: 'u', password: 'p', params: {} }),
    );
  });

  it('reads sqlite paths, :memory: and file: URIs', () => {
    expect(parseDsn('sqlite', './data/test.db')).to.deep.equal(E.right({ driver: 'sqlite', path: './data/test.db', params: {} }));
    expect(parseDsn('sqlite', ':memory:')).to.deep.equal(E.right({ driver: 'sqlite', path: ':memory:', params: {} }));
    expect(parseDsn('sqlite', 'file:test.db?mode=ro')).to.deep.equal(
      E.right({ driver: 'sqlite', path: 'test.db', params: { mode: 'ro' } }),
    );
    expect(parseDsn('sqlite', 'file:///var/db/app%20x.db')).to.deep.equal(
      E.right({ driver: 'sqlite', path: '/var/db/app x.db', params: {} }),
    );
    expect(parseDsn('sqlite', 'file://remote/x.db')._tag).to.equal('Left');
  });

  it('rejects what it cannot read, never echoing the password', () => {
    for (const [driver, dsn] of [
      ['mysql', 'app:S3cret-pw@tcp(127.0.0.1:3306)'],
      ['mysql', 'app:S3cret-pw@ftp(127.0.0.1)/db'],
      ['postgres', 'postgres://app:S3cret-pw@host:99999/db'],
      ['postgres', 'what is this S3cret-pw'],
      ['postgres', ''],
    ] as const) {
      const r = parseDsn(driver, dsn);
      expect(r._tag, dsn).to.equal('Left');
      expect(E.isLeft(r) ? r.left : '').not.to.include('S3cret-pw');
    }
  });

  it('writes a DSN as a URL for reports, its password where the redactor finds it', () => {
    const dsn = parseDsn('mysql', 'app:pw@tcp(h:1)/db');
    expect(E.isRight(dsn) && dsnUrl(dsn.right)).to.equal('mysql://app:pw@h:1/db');
    const lite = parseDsn('sqlite', 'file:x.db');
    expect(E.isRight(lite) && dsnUrl(lite.right)).to.equal('sqlite:x.db');
  });
});
