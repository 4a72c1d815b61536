import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { run, type RunSummary } from '../../lib/api/run.js';
import type { RunEvent } from '../../lib/event/run-event.js';
import {
  DB_NAME,
  DB_PASSWORD,
  DB_USER,
  findMariadb,
  findPostgresBin,
  INSTALL_MARIADB,
  INSTALL_POSTGRES,
  SCHEMA_DIR,
  startMariadb,
  startPostgres,
  type DbServer,
} from '../helpers/databases.js';
import { runCli } from '../helpers/run-cli.js';
import { SHARED, SHARED_PRESENT } from '../helpers/shared.js';

// A real MariaDB of this spec file's own (mariadb-install-db + mariadbd in a temp dir), and, for
// Rocketship's own suite, a PostgreSQL too; both with Rocketship's test schema.
describe('plugins/sql on MariaDB (MySQL), and Rocketship’s sql-testing.yaml', function () {
  this.timeout(120_000);
  let maria: DbServer | undefined;
  let postgres: DbServer | undefined;
  let dir: string;
  let goDsn: string;

  before(async function () {
    const found = findMariadb();
    if (found === undefined || !SHARED_PRESENT) {
      console.log(`      skipped: ${found === undefined ? INSTALL_MARIADB : '../shared (the schema) is not beside the checkout'}`);
      this.skip();
    }
    maria = await startMariadb(found);
    goDsn = `${DB_USER}:${DB_PASSWORD}@tcp(127.0.0.1:${maria.port})/${DB_NAME}?parseTime=true`;
    dir = mkdtempSync(join(tmpdir(), 'rsx-sql-spec-'));
  });

  after(async () => {
    await maria?.stop();
    await postgres?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  async function runSteps(steps: string, env: Record<string, string> = {}): Promise<{ summary: RunSummary; text: string }> {
    const file = join(dir, `suite-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, `name: sql spec\ntests:\n  - name: t\n    steps:\n${steps}`);
    const events: RunEvent[] = [];
    const summary = await run(file, {
      env,
      vars: { my: goDsn },
      reporters: [{ next: (e) => events.push(e), error: () => undefined, complete: () => undefined }],
    });
    return { summary, text: JSON.stringify(events) + JSON.stringify(summary) };
  }

  const step = (name: string, body: string): string =>
    `      - name: ${JSON.stringify(name)}\n        plugin: sql\n${body
      .split('\n')
      .map((l) => (l === '' ? l : `        ${l}`))
      .join('\n')}\n`;

  const message = (summary: RunSummary): string => summary.tests[0]?.message ?? '';

  it("passes Rocketship's sql-testing.yaml unchanged but for its DSNs (pointed at throwaway servers), through the CLI", async function () {
    const bin = findPostgresBin();
    if (bin === undefined) {
      console.log(`      skipped: ${INSTALL_POSTGRES}`);
      this.skip();
    }
    postgres = await startPostgres(bin as string);
    const pgPort = postgres.port;
    const myPort = (maria as DbServer).port;
    const original = readFileSync(join(SHARED, 'compat/rocketship/sql-testing.yaml'), 'utf8');
    // As the tryme localize script does for URLs: a textual rewrite of where the servers are.
    const localized = original
      .replaceAll('localhost:5433', `127.0.0.1:${pgPort}`)
      .replaceAll('tcp(localhost:3307)', `tcp(127.0.0.1:${myPort})`)
      .replace('db_host: "localhost"', 'db_host: "127.0.0.1"')
      .replace('db_port: "5433"', `db_port: "${pgPort}"`);
    expect(localized.split('\n').length).to.equal(original.split('\n').length);
    const file = join(dir, 'sql-testing.yaml');
    writeFileSync(file, localized);
    const result = await runCli(['run', '-f', file, '--no-color'], { env: { ...process.env, USER: 'rocketship' } });
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/7 passed, 0 failed, 0 skipped/);
    // The DSN passwords are masked in what the CLI prints.
    expect(result.stdout + result.stderr).not.to.include('testpass');
  });

  describe('DSN forms', () => {
    const forms: [string, (s: DbServer) => string][] = [
      ["Go's tcp(host:port) form", (s) => `${DB_USER}:${DB_PASSWORD}@tcp(127.0.0.1:${s.port})/${DB_NAME}?parseTime=true`],
      ['a mysql:// URL', (s) => `mysql://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${s.port}/${DB_NAME}`],
      ["Go's unix(socket) form", (s) => `${DB_USER}:${DB_PASSWORD}@unix(${join(s.dir, 'mysqld.sock')})/${DB_NAME}`],
    ];
    for (const [form, dsn] of forms) {
      it(`connects with ${form}`, async () => {
        const { summary } = await runSteps(
          step(
            form,
            `config:\n  driver: mysql\n  dsn: ${JSON.stringify(dsn(maria as DbServer))}\n  commands: ["SELECT COUNT(*) AS n FROM users"]\nassertions:\n  - { type: column_value, query_index: 0, row_index: 0, column: n, expected: 4 }`,
          ),
        );
        expect(summary.verdict, message(summary)).to.equal('passed');
      });
    }
  });

  it('maps MySQL types: integers, DECIMAL as text, DATETIME as RFC 3339, NULL; rows_affected', async () => {
    const { summary } = await runSteps(
      step(
        'types',
        `config:
  driver: mysql
  dsn: "{{ .vars.my }}"
  commands:
    - "SELECT CAST(7 AS SIGNED) AS i, 9007199254740993 AS big, CAST(2599.98 AS DECIMAL(10,2)) AS price, NULL AS nothing, CAST('2024-05-01 10:00:00' AS DATETIME) AS at, 1.5e0 AS f"
    - "UPDATE products SET in_stock = in_stock WHERE category = 'Office'"
assertions:
  - { type: column_value, query_index: 0, row_index: 0, column: i, expected: 7 }
  - { type: column_value, query_index: 0, row_index: 0, column: big, expected: "9007199254740993" }
  - { type: column_value, query_index: 0, row_index: 0, column: price, expected: "2599.98" }
  - { type: column_value, query_index: 0, row_index: 0, column: nothing, expected: null }
  - { type: column_value, query_index: 0, row_index: 0, column: at, expected: "2024-05-01T10:00:00Z" }
  - { type: column_value, query_index: 0, row_index: 0, column: f, expected: 1.5 }
  - { type: json_path, path: ".queries[1].rows_affected", value_type: number }`,
      ),
    );
    expect(summary.verdict, message(summary)).to.equal('passed');
  });

  it('bad SQL is recorded and the later statements still run', async () => {
    const { summary } = await runSteps(
      step('bad', `config:\n  driver: mysql\n  dsn: "{{ .vars.my }}"\n  commands: ["SELECT * FROM no_such_table", "SELECT 1"]`),
    );
    expect(message(summary)).to.match(/^1 of 2 SQL statements failed:\n {2}\[0\] Table 'testdb.no_such_table' doesn't exist/);
  });

  it('wrong password: a connection failure, the password masked', async () => {
    const dsn = `${DB_USER}:Bad-Pass-123@tcp(127.0.0.1:${(maria as DbServer).port})/${DB_NAME}`;
    const { summary, text } = await runSteps(step('auth', `config:\n  driver: mysql\n  dsn: "${dsn}"\n  commands: ["SELECT 1"]`));
    const result = summary.tests[0]?.result;
    expect(result?._tag === 'Failed' && result.cause).to.deep.include({ _tag: 'Transport', code: 'ER_ACCESS_DENIED_ERROR' });
    expect(text).not.to.include('Bad-Pass-123');
  });

  it('timeout: SLEEP is killed on the server (KILL QUERY), not left running', async () => {
    const started = Date.now();
    const { summary } = await runSteps(
      step(
        'slow',
        `config:\n  driver: mysql\n  dsn: "{{ .vars.my }}"\n  timeout: 1s\n  commands: ["SELECT SLEEP(30) AS rsx_sleep_marker"]`,
      ),
    );
    expect(Date.now() - started).to.be.below(10_000);
    const result = summary.tests[0]?.result;
    expect(result?._tag === 'Failed' && result.cause).to.deep.equal({ _tag: 'SqlTimedOut', timeoutMs: 1000, statement: 0 });
    const admin = await mysql.createConnection({ host: '127.0.0.1', port: (maria as DbServer).port, user: DB_USER, password: DB_PASSWORD });
    try {
      let running = 1;
      for (let i = 0; i < 50 && running > 0; i += 1) {
        const [rows] = await admin.query(
          "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE '%rsx_sleep_marker%' AND ID <> CONNECTION_ID()",
        );
        running = Number((rows as { n: number }[])[0]?.n);
        if (running > 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(running).to.equal(0);
    } finally {
      await admin.end();
    }
  });

  it('the schema it loads is Rocketship’s', () => {
    expect(readFileSync(join(SCHEMA_DIR, 'mysql/01-init.sql'), 'utf8')).to.include('CREATE TABLE users');
  });
});
