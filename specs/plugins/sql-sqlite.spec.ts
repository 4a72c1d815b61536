import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type RunSummary } from '../../lib/api/run.js';

// SQLite needs no server: better-sqlite3 (an optional dependency, built on install) opens files.
describe('plugins/sql on SQLite', function () {
  this.timeout(30_000);
  let dir: string;

  before(async function () {
    try {
      await import('better-sqlite3');
    } catch {
      console.log('      skipped: better-sqlite3 is not installed (npm install better-sqlite3; it needs g++, make and python3 to build)');
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'rsx-sqlite-'));
  });

  after(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  async function runSuite(steps: string): Promise<RunSummary> {
    const file = join(dir, `suite-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, `name: sqlite\ntests:\n  - name: t\n    steps:\n${steps}`);
    return run(file, { env: {}, vars: { db: join(dir, 'app.db') } });
  }

  const step = (name: string, dsn: string, commands: string[], extra = ''): string =>
    `      - name: ${name}\n        plugin: sql\n        config:\n          driver: sqlite\n          dsn: ${JSON.stringify(dsn)}\n          commands:\n${commands
      .map((c) => `            - ${JSON.stringify(c)}\n`)
      .join('')}${extra}`;

  it('creates a database file from a path, and reads it back through a file: URI, types mapped', async () => {
    const summary = await runSuite(
      step('create', '{{ .vars.db }}', [
        'CREATE TABLE jobs (id INTEGER PRIMARY KEY, status TEXT, score REAL, big INTEGER, blob BLOB, gone TEXT)',
        "INSERT INTO jobs (status, score, big, blob, gone) VALUES ('done', 1.5, 9007199254740993, x'6869', NULL)",
      ]) +
        step(
          'read',
          'file:{{ .vars.db }}?mode=ro',
          ['SELECT id, status, score, big, blob, gone FROM jobs'],
          `        assertions:
          - { type: row_count, query_index: 0, expected: 1 }
          - { type: column_value, query_index: 0, row_index: 0, column: id, expected: 1 }
          - { type: column_value, query_index: 0, row_index: 0, column: score, expected: 1.5 }
          - { type: column_value, query_index: 0, row_index: 0, column: big, expected: "9007199254740993" }
          - { type: column_value, query_index: 0, row_index: 0, column: blob, expected: "aGk=" }
          - { type: column_value, query_index: 0, row_index: 0, column: gone, expected: null }
        save:
          - { sql_result: ".queries[0].rows[0].status", as: status }
`,
        ),
    );
    expect(summary.verdict, summary.tests[0]?.message).to.equal('passed');
  });

  it('a read-only database refuses writes: the statement fails and the step with it', async () => {
    const summary = await runSuite(
      step('write', 'file:{{ .vars.db }}?mode=ro', ["INSERT INTO jobs (status) VALUES ('x')", 'SELECT COUNT(*) AS n FROM jobs']),
    );
    expect(summary.tests[0]?.message).to.match(/^1 of 2 SQL statements failed:\n {2}\[0\] attempt to write a readonly database/);
  });

  it('a database that must exist (mode=rw) and does not is a connection failure', async () => {
    const summary = await runSuite(step('missing', `file:${join(dir, 'none.db')}?mode=rw`, ['SELECT 1']));
    const result = summary.tests[0]?.result;
    expect(result?._tag === 'Failed' && result.cause._tag).to.equal('Transport');
    expect(summary.tests[0]?.message).to.include('cannot open sqlite database');
  });
});
