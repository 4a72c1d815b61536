import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { run, type RunSummary } from '../../lib/api/run.js';
import type { RunEvent } from '../../lib/event/run-event.js';
import {
  DB_NAME,
  DB_PASSWORD,
  DB_USER,
  findPostgresBin,
  freePort,
  INSTALL_POSTGRES,
  startPostgres,
  type DbServer,
} from '../helpers/databases.js';
import { SHARED_PRESENT } from '../helpers/shared.js';

// A real PostgreSQL of this spec file's own (initdb + pg_ctl in a temp dir, see helpers/databases.ts),
// with Rocketship's test schema: users (4 rows), products (5), orders (5).
describe('plugins/sql on PostgreSQL', function () {
  this.timeout(60_000);
  let server: DbServer | undefined;
  let dir: string;
  let url: string;

  before(async function () {
    const bin = findPostgresBin();
    if (bin === undefined || !SHARED_PRESENT) {
      console.log(`      skipped: ${bin === undefined ? INSTALL_POSTGRES : '../shared (the schema) is not beside the checkout'}`);
      this.skip();
    }
    server = await startPostgres(bin as string);
    url = `postgres://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${server.port}/${DB_NAME}?sslmode=disable`;
    dir = mkdtempSync(join(tmpdir(), 'rsx-sql-spec-'));
  });

  after(async () => {
    await server?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a suite with one test of `steps` (YAML, indented for `steps:`), collecting its events. */
  async function runSteps(
    steps: string,
    options: { env?: Record<string, string>; vars?: Record<string, string>; signal?: AbortSignal; files?: Record<string, string> } = {},
  ): Promise<{ summary: RunSummary; events: RunEvent[]; text: string }> {
    const file = join(dir, `suite-${Math.random().toString(36).slice(2)}.yaml`);
    for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), text);
    writeFileSync(file, `name: sql spec\ntests:\n  - name: t\n    steps:\n${steps}`);
    const events: RunEvent[] = [];
    const summary = await run(file, {
      env: options.env ?? {},
      vars: { pg: url, ...options.vars },
      signal: options.signal,
      reporters: [{ next: (e) => events.push(e), error: () => undefined, complete: () => undefined }],
    });
    return { summary, events, text: JSON.stringify(events) + JSON.stringify(summary) };
  }

  const step = (name: string, body: string): string =>
    `      - name: ${JSON.stringify(name)}\n        plugin: sql\n${body
      .split('\n')
      .map((l) => (l === '' ? l : `        ${l}`))
      .join('\n')}\n`;

  const query = (sql: string) =>
    new pg.Client({ host: '127.0.0.1', port: (server as DbServer).port, user: DB_USER, password: DB_PASSWORD, database: DB_NAME });

  async function sqlValue<A>(sql: string, params: unknown[] = []): Promise<A> {
    const c = query(sql);
    await c.connect();
    try {
      const r = await c.query(sql, params);
      return r.rows[0] as A;
    } finally {
      await c.end();
    }
  }

  function failureMessage(summary: RunSummary): string {
    return summary.tests[0]?.message ?? '';
  }

  describe('assertions', () => {
    it('row_count, query_count, success_count and column_value pass on the result, typed', async () => {
      const { summary } = await runSteps(
        step(
          'counts',
          `config:
  driver: postgres
  dsn: "{{ .vars.pg }}"
  commands:
    - "SELECT id, name, age FROM users ORDER BY id"
    - "SELECT COUNT(*) AS n FROM orders"
assertions:
  - { type: row_count, query_index: 0, expected: 4 }
  - { type: query_count, expected: 2 }
  - { type: success_count, expected: 2 }
  - { type: column_value, query_index: 0, row_index: 0, column: name, expected: "Alice Johnson" }
  - { type: column_value, query_index: 0, row_index: 1, column: age, greater_than: 30 }
  - { type: column_value, query_index: 1, row_index: 0, column: n, expected: 5 }
  - { type: json_path, path: ".queries[1].rows[0].n", one_of: [5, 6] }`,
        ),
      );
      expect(summary.verdict, failureMessage(summary)).to.equal('passed');
    });

    it('each assertion fails with expected and actual, strictly typed ("5" is not 5)', async () => {
      const { summary } = await runSteps(
        step(
          'wrong',
          `config:
  driver: postgres
  dsn: "{{ .vars.pg }}"
  commands: ["SELECT COUNT(*) AS n FROM orders"]
assertions:
  - { type: row_count, query_index: 0, expected: 2 }
  - { type: query_count, expected: 3 }
  - { type: success_count, expected: 0 }
  - { type: column_value, query_index: 0, row_index: 0, column: n, expected: "5" }
  - { type: column_value, query_index: 0, row_index: 3, column: n, exists: true }
  - { type: row_count, query_index: 4, expected: 0 }`,
        ),
      );
      expect(summary.verdict).to.equal('failed');
      const message = failureMessage(summary);
      expect(message).to.include('6 assertions failed');
      expect(message).to.include('row_count (query 0): expected 2, actual 1');
      expect(message).to.include('query_count: expected 3, actual 1');
      expect(message).to.include('success_count: expected 0, actual 1');
      expect(message).to.include('column_value (query 0, row 0, column n): expected "5", actual 5');
      expect(message).to.include('row_index 3 is out of range: query 0 returned 1 row');
      expect(message).to.include('query_index 4 is out of range: the step ran 1 statement');
    });

    it('maps types to JSON: integers, numerics as text, RFC 3339 timestamps, booleans, NULL, json', async () => {
      const { summary } = await runSteps(
        step(
          'types',
          `config:
  driver: postgres
  dsn: "{{ .vars.pg }}"
  commands:
    - "SELECT 7::int2 AS small, 9007199254740993::int8 AS big, 2599.98::numeric(10,2) AS price, 1.5::float8 AS f, true AS yes, NULL AS nothing, TIMESTAMP '2024-05-01 10:00:00.25' AS at, TIMESTAMPTZ '2024-05-01 12:00:00+02' AS tz, DATE '2024-05-01' AS day, '{\\"a\\":[1]}'::jsonb AS doc, 'x'::bytea AS bin"
assertions:
  - { type: column_value, query_index: 0, row_index: 0, column: small, expected: 7 }
  - { type: column_value, query_index: 0, row_index: 0, column: big, expected: "9007199254740993" }
  - { type: column_value, query_index: 0, row_index: 0, column: price, expected: "2599.98" }
  - { type: column_value, query_index: 0, row_index: 0, column: f, expected: 1.5 }
  - { type: column_value, query_index: 0, row_index: 0, column: yes, expected: true }
  - { type: column_value, query_index: 0, row_index: 0, column: nothing, expected: null }
  - { type: column_value, query_index: 0, row_index: 0, column: at, expected: "2024-05-01T10:00:00.25Z" }
  - { type: column_value, query_index: 0, row_index: 0, column: tz, expected: "2024-05-01T10:00:00Z" }
  - { type: column_value, query_index: 0, row_index: 0, column: day, expected: "2024-05-01" }
  - { type: json_path, path: ".queries[0].rows[0].doc.a[0]", expected: 1 }
  - { type: column_value, query_index: 0, row_index: 0, column: bin, expected: "eA==" }`,
        ),
      );
      expect(summary.verdict, failureMessage(summary)).to.equal('passed');
    });
  });

  describe('save', () => {
    it('sql_result saves a value with its JSON type for later steps; rows_affected of DML; required fails on a missing path', async () => {
      const { summary, events } = await runSteps(
        step(
          'insert',
          `config:
  driver: postgres
  dsn: "{{ .vars.pg }}"
  commands:
    - "INSERT INTO users (name, email, age) VALUES ('Saved', 'saved@example.com', 41) RETURNING id"
    - "UPDATE users SET age = 42 WHERE email = 'saved@example.com'"
save:
  - { sql_result: ".queries[0].rows[0].id", as: new_id }
  - { sql_result: ".queries[1].rows_affected", as: changed }
  - { sql_result: ".stats.success_count", as: ok }`,
        ) +
          step(
            'read back and clean up',
            `config:
  driver: postgres
  dsn: "{{ .vars.pg }}"
  commands:
    - "SELECT age FROM users WHERE id = {{ new_id }}"
    - "DELETE FROM users WHERE id = {{ new_id }}"
assertions:
  - { type: column_value, query_index: 0, row_index: 0, column: age, expected: 42 }
  - { type: json_path, path: ".queries[1].rows_affected", expected: "{{ changed }}" }
save:
  - { sql_result: ".queries[0].rows[5].age", as: nope, required: false }`,
          ) +
          step(
            'required save',
            `config:
  driver: postgres
  dsn: "{{ .vars.pg }}"
  commands: ["SELECT 1 AS one"]
save:
  - { sql_result: ".queries[0].rows[0].two", as: two }`,
          ),
      );
      const ended = events.filter((e): e is Extract<RunEvent, { _tag: 'StepEnded' }> => e._tag === 'StepEnded');
      const first = ended[0]?.result;
      expect(first?._tag).to.equal('Passed');
      const saved = first?._tag === 'Passed' ? first.saved : {};
      expect(saved['new_id']).to.be.a('number');
      expect(saved).to.include({ changed: 1, ok: 2 });
      expect(ended[1]?.result._tag, failureMessage(summary)).to.equal('Passed');
      expect(failureMessage(summary)).to.include('save "two": json_path .queries[0].rows[0].two matched nothing');
    });
  });

  describe('DSN forms', () => {
    for (const [form, dsn] of [
      ['a postgres:// URL', (s: DbServer) => `postgres://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${s.port}/${DB_NAME}?sslmode=disable`],
      ['a postgresql:// URL', (s: DbServer) => `postgresql://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${s.port}/${DB_NAME}`],
      [
        'the key=value form',
        (s: DbServer) => `host=127.0.0.1 port=${s.port} user=${DB_USER} password='${DB_PASSWORD}' dbname=${DB_NAME} sslmode=disable`,
      ],
      ['a Unix socket (?host=/dir)', (s: DbServer) => `postgres://${DB_USER}:${DB_PASSWORD}@/${DB_NAME}?host=${s.dir}&port=${s.port}`],
    ] as const) {
      it(`connects with ${form}`, async function () {
        if (form.includes('Unix') && process.getuid?.() !== 0) this.skip();
        const { summary } = await runSteps(
          step(
            form,
            `config:\n  driver: postgres\n  dsn: ${JSON.stringify(dsn(server as DbServer))}\n  commands: ["SELECT 1 AS one"]\nassertions:\n  - { type: column_value, query_index: 0, row_index: 0, column: one, expected: 1 }`,
          ),
        );
        expect(summary.verdict, failureMessage(summary)).to.equal('passed');
      });
    }

    it('a templated DSN that cannot be read fails the step naming the key, without the DSN', async () => {
      const { summary, text } = await runSteps(
        step('bad', `config:\n  driver: postgres\n  dsn: "{{ .env.DATABASE_URL }}"\n  commands: ["SELECT 1"]`),
        { env: { DATABASE_URL: 'nonsense-with-Secret-99 x' } },
      );
      expect(summary.verdict).to.equal('failed');
      expect(failureMessage(summary)).to.match(/^config\.dsn \(rendered from a template\): not a postgres DSN/);
      expect(text).not.to.include('Secret-99');
    });
  });

  describe('errors', () => {
    it('bad SQL: the error is recorded in queries[i].error, later statements still run, the step fails', async () => {
      const { summary, events } = await runSteps(
        step(
          'mixed',
          `config:
  driver: postgres
  dsn: "{{ .vars.pg }}"
  commands:
    - "SELEC oops"
    - "INSERT INTO products (name, price, category) VALUES ('after-error', 1.00, 'Spec')"
    - "DELETE FROM products WHERE name = 'after-error'"
assertions:
  - { type: success_count, expected: 3 }`,
        ),
      );
      expect(summary.verdict).to.equal('failed');
      const message = failureMessage(summary);
      expect(message).to.match(/^1 of 3 SQL statements failed:\n {2}\[0\] syntax error at or near "SELEC"/);
      const ended = summary.tests[0]?.result;
      expect(ended?._tag === 'Failed' && ended.cause._tag).to.equal('SqlStatements');
      const attempt = events.find((e): e is Extract<RunEvent, { _tag: 'AttemptMade' }> => e._tag === 'AttemptMade')?.attempt;
      const outcome = attempt?.outcome;
      const result = JSON.parse(outcome?._tag === 'Response' ? outcome.bodyExcerpt : '{}') as {
        queries: { rows_affected: number; error?: string }[];
      };
      expect(result.queries.map((q) => q.rows_affected)).to.deep.equal([0, 1, 1]);
      expect(result.queries[0]?.error).to.include('syntax error');
      expect(result.queries[1]).not.to.have.property('error');
    });

    it('wrong password: the step fails as a connection error, the password masked', async () => {
      const dsn = `postgres://${DB_USER}:Wrong-Pass-77@127.0.0.1:${(server as DbServer).port}/${DB_NAME}`;
      const { summary, text } = await runSteps(
        step('auth', `config:\n  driver: postgres\n  dsn: "{{ .env.DB }}"\n  commands: ["SELECT 1"]`),
        {
          env: { DB: dsn },
        },
      );
      expect(summary.verdict).to.equal('failed');
      const result = summary.tests[0]?.result;
      expect(result?._tag === 'Failed' && result.cause).to.deep.include({ _tag: 'Transport', code: '28P01' });
      expect(failureMessage(summary)).to.include(
        `cannot connect to postgres at 127.0.0.1:${(server as DbServer).port}/${DB_NAME}: password authentication failed`,
      );
      expect(text).not.to.include('Wrong-Pass-77');
      expect(text).to.match(/postgres:\/\/[^"]*\*\*\*@127\.0\.0\.1/);
    });

    it('server down: ECONNREFUSED fails the step', async () => {
      const port = await freePort();
      const { summary } = await runSteps(
        step('down', `config:\n  driver: postgres\n  dsn: "postgres://u:p@127.0.0.1:${port}/db"\n  commands: ["SELECT 1"]`),
      );
      const result = summary.tests[0]?.result;
      expect(result?._tag === 'Failed' && result.cause, JSON.stringify(result)).to.deep.include({
        _tag: 'Transport',
        code: 'ECONNREFUSED',
      });
    });

    it('timeout: a long query is cut on the server (pg_sleep is cancelled, not left running)', async () => {
      const started = Date.now();
      const { summary } = await runSteps(
        step(
          'slow',
          `config:\n  driver: postgres\n  dsn: "{{ .vars.pg }}"\n  timeout: 1s\n  commands: ["SELECT 1", "SELECT pg_sleep(30) AS rsx_slow_marker"]`,
        ),
      );
      expect(Date.now() - started).to.be.below(10_000);
      const result = summary.tests[0]?.result;
      expect(result?._tag === 'Failed' && result.cause).to.deep.equal({ _tag: 'SqlTimedOut', timeoutMs: 1000, statement: 1 });
      expect(failureMessage(summary)).to.equal('sql step timed out after 1s: statement 1 was cancelled');
      // The server is no longer running it (the cancel reached it).
      let running = 1;
      for (let i = 0; i < 50 && running > 0; i += 1) {
        const row = await sqlValue<{ n: string }>(
          "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE query LIKE '%rsx_slow_marker%' AND pid <> pg_backend_pid()",
        );
        running = Number(row.n);
        if (running > 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(running).to.equal(0);
    });
  });

  describe('masking', () => {
    it('a literal DSN password never appears in events or the summary, even in a failure', async () => {
      const dsn = `postgres://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${(server as DbServer).port}/${DB_NAME}`;
      const { summary, text } = await runSteps(
        step(
          'literal',
          `config:\n  driver: postgres\n  dsn: "${dsn}"\n  commands: ["SELECT '${DB_PASSWORD}' AS echoed"]\nassertions:\n  - { type: row_count, query_index: 0, expected: 2 }`,
        ),
      );
      expect(summary.verdict).to.equal('failed');
      expect(text).not.to.include(DB_PASSWORD);
      expect(text).to.include('***');
    });
  });

  describe('statements from a file', () => {
    it('runs the statements of a .sql file (relative to the suite), split at ; outside quotes and comments', async () => {
      const { summary } = await runSteps(
        step(
          'file',
          `config:\n  driver: postgres\n  dsn: "{{ .vars.pg }}"\n  file: queries.sql\nassertions:\n  - { type: query_count, expected: 2 }\n  - { type: column_value, query_index: 1, row_index: 0, column: t, expected: "a;b" }`,
        ),
        {
          files: {
            'queries.sql': "-- two statements; the second has a ; in a string\nSELECT 1;\n/* block; comment */ SELECT 'a;b' AS t;\n",
          },
        },
      );
      expect(summary.verdict, failureMessage(summary)).to.equal('passed');
    });
  });

  describe('polling a query', () => {
    it('waits until a row another process inserts is there', async () => {
      const email = `polled-${Date.now()}@example.com`;
      // Another process inserts the row after ~1.5s.
      const child = spawn(
        process.execPath,
        [
          '-e',
          `const pg = require('pg'); setTimeout(async () => { const c = new pg.Client(${JSON.stringify({ host: '127.0.0.1', port: (server as DbServer).port, user: DB_USER, password: DB_PASSWORD, database: DB_NAME })}); await c.connect(); await c.query("INSERT INTO users (name, email, age) VALUES ('Polled', '${email}', 50)"); await c.end(); }, 1500);`,
        ],
        { cwd: process.cwd(), stdio: 'inherit' },
      );
      const exited = new Promise((r) => child.on('exit', r));
      const { summary, events } = await runSteps(
        step(
          'wait for the row',
          `config:
  driver: postgres
  dsn: "{{ .vars.pg }}"
  commands: ["SELECT name, age FROM users WHERE email = '${email}'"]
  polling:
    interval: 200ms
    timeout: 20s
    conditions:
      - { type: row_count, query_index: 0, expected: 1 }
    fail_conditions:
      - { type: column_value, query_index: 0, row_index: 0, column: age, less_than: 0 }
assertions:
  - { type: column_value, query_index: 0, row_index: 0, column: name, expected: Polled }`,
        ),
      );
      await exited;
      expect(summary.verdict, failureMessage(summary)).to.equal('passed');
      const attempts = events.filter((e) => e._tag === 'AttemptMade');
      expect(attempts.length).to.be.greaterThan(2);
      await sqlValue(`DELETE FROM users WHERE email = $1`, [email]);
    });

    it('connection errors are "not yet"; the poll times out showing the last one', async () => {
      const port = await freePort();
      const { summary } = await runSteps(
        step(
          'never up',
          `config:
  driver: postgres
  dsn: "postgres://u:p@127.0.0.1:${port}/db"
  commands: ["SELECT 1"]
  polling:
    interval: 100ms
    timeout: 1s
    conditions:
      - { type: row_count, query_index: 0, expected: 1 }`,
        ),
      );
      const result = summary.tests[0]?.result;
      expect(result?._tag === 'Failed' && result.cause._tag).to.equal('PollTimedOut');
      expect(failureMessage(summary)).to.match(/ECONNREFUSED/);
    });

    it('a fail condition that holds ends the poll at once', async () => {
      const { summary } = await runSteps(
        step(
          'failed order',
          `config:
  driver: postgres
  dsn: "{{ .vars.pg }}"
  commands: ["SELECT status FROM orders WHERE id = 1"]
  polling:
    interval: 100ms
    timeout: 10s
    conditions:
      - { type: column_value, query_index: 0, row_index: 0, column: status, expected: shipped }
    fail_conditions:
      - { type: column_value, query_index: 0, row_index: 0, column: status, expected: completed }`,
        ),
      );
      expect(failureMessage(summary)).to.match(/^polling failed: fail condition holds: column_value \(query 0, row 0, column status\)/);
    });
  });

  describe('pools', () => {
    it('are closed when the run ends: no connection of ours is left on the server', async () => {
      const name = `rsx_pool_${Date.now()}`;
      const dsn = `${url}&application_name=${name}`;
      const { summary } = await runSteps(
        step('one', `config:\n  driver: postgres\n  dsn: "${dsn}"\n  commands: ["SELECT 1"]`) +
          step('two', `config:\n  driver: postgres\n  dsn: "${dsn}"\n  commands: ["SELECT 2"]`),
      );
      expect(summary.verdict, failureMessage(summary)).to.equal('passed');
      let open = -1;
      for (let i = 0; i < 50 && open !== 0; i += 1) {
        open = Number((await sqlValue<{ n: string }>('SELECT COUNT(*) AS n FROM pg_stat_activity WHERE application_name = $1', [name])).n);
        if (open !== 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(open).to.equal(0);
    });

    it('an interrupted run (Ctrl-C) cancels the query in flight and closes the pool', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 800);
      const started = Date.now();
      const { summary } = await runSteps(
        step('slow', `config:\n  driver: postgres\n  dsn: "{{ .vars.pg }}"\n  commands: ["SELECT pg_sleep(30) AS rsx_interrupt_marker"]`),
        { signal: controller.signal },
      );
      expect(summary.verdict).to.equal('interrupted');
      expect(Date.now() - started).to.be.below(10_000);
      let running = 1;
      for (let i = 0; i < 50 && running > 0; i += 1) {
        running = Number(
          (
            await sqlValue<{ n: string }>(
              "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE query LIKE '%rsx_interrupt_marker%' AND pid <> pg_backend_pid()",
            )
          ).n,
        );
        if (running > 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(running).to.equal(0);
    });
  });
});
