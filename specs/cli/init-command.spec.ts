import { expect } from 'chai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runInit } from '../../lib/cli/init-command.js';
import { checkTemplates } from '../../lib/dsl/check-templates.js';
import { decodeSuiteText } from '../../lib/dsl/decode-suite.js';
import { formatDslError } from '../../lib/dsl/format-dsl-error.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

const SCHEMA_LINE = '# yaml-language-server: $schema=./node_modules/rocketship-rx/schema/rocketship.schema.json';

function capture(cwd: string): {
  io: { stdout(s: string): void; stderr(s: string): void; cwd: string };
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return { io: { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd }, out: () => out, err: () => err };
}

describe('cli/init-command', function () {
  this.timeout(30_000);
  let dir: string;
  let server: LocalServer;
  const seen: string[] = [];
  let submitted: unknown;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rocketship-init-'));
    // The API the starter suite expects: a health check, and a job that runs for one poll.
    const polls = new Map<string, number>();
    server = await startLocalServer(async (req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method === 'GET' && req.url === '/health') return json(200, { status: 'ok' });
      if (req.method === 'POST' && req.url === '/jobs') {
        let text = '';
        for await (const chunk of req) text += String(chunk);
        submitted = { type: req.headers['content-type'], body: JSON.parse(text) };
        return json(202, { job_id: 'job-1' });
      }
      const job = /^\/jobs\/([^/]+)$/.exec(req.url ?? '');
      if (req.method === 'GET' && job !== null) {
        const n = (polls.get(job[1] as string) ?? 0) + 1;
        polls.set(job[1] as string, n);
        return json(200, n < 2 ? { status: 'running' } : { status: 'completed', result: { rows: 3 } });
      }
      return json(404, { error: 'not found' });
    });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rocketship init writes a commented rocketship.yaml with the schema line, and says how to run it', async () => {
    const result = await runCli(['init'], { cwd: dir });
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(0);
    expect(result.stdout).to.contain('wrote rocketship.yaml: a health check, and a job submitted then polled until it completes');
    expect(result.stdout).to.contain('run it:  rocketship run rocketship.yaml --var base_url=');
    // No node_modules here: the line says where npm will put the schema, and a note says it is not there yet.
    expect(result.stdout).to.contain(
      'note: its $schema line points to ./node_modules/rocketship-rx/schema/rocketship.schema.json, which is not there yet',
    );
    const text = readFileSync(join(dir, 'rocketship.yaml'), 'utf8');
    expect(text.split('\n')[0]).to.equal(SCHEMA_LINE);
    expect(text.split('\n').filter((l) => /#/.test(l)).length, 'comment lines').to.be.at.least(15);
  });

  it('the written file decodes, its templates check, and the shipped JSON Schema accepts it', () => {
    const text = readFileSync(join(dir, 'rocketship.yaml'), 'utf8');
    const loaded = decodeSuiteText(text, 'rocketship.yaml');
    if (loaded._tag === 'Left') return expect.fail(loaded.left.map(formatDslError).join('\n'));
    expect(checkTemplates(loaded.right).errors.map(formatDslError)).to.deep.equal([]);
    expect(loaded.right.suite.tests.map((t) => t.name)).to.deep.equal(['Health check', 'Submit a job, then wait for it']);
    const [submit, wait] = loaded.right.suite.tests[1]?.steps ?? [];
    expect(submit?.save).to.deep.equal([{ json_path: '.job_id', as: 'job_id' }]);
    expect(wait?.plugin === 'http' && wait.config.polling !== undefined).to.equal(true);
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema/rocketship.schema.json'), 'utf8')) as object;
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate(parse(text)), JSON.stringify(validate.errors)).to.equal(true);
  });

  it('run against a server with the two endpoints, it passes: health, submit, then a poll until completed', async () => {
    const result = await runCli(['run', 'rocketship.yaml', '--var', `base_url=${server.url}`], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.contain('2 passed, 0 failed');
    expect([...seen].sort()).to.deep.equal(['GET /health', 'GET /jobs/job-1', 'GET /jobs/job-1', 'POST /jobs']);
    expect(submitted).to.deep.equal({ type: 'application/json', body: { data: 'process this' } });
  });

  it('refuses to overwrite: exit 2, a clear message, the file left as it was', async () => {
    const file = join(dir, 'rocketship.yaml');
    writeFileSync(file, 'name: mine\n');
    const result = await runCli(['init'], { cwd: dir });
    expect(result.code).to.equal(2);
    expect(result.stdout).to.equal('');
    expect(result.stderr).to.equal(
      'rocketship init: rocketship.yaml already exists; not overwriting it (remove it first, or write another file: rocketship init api.yaml)\n',
    );
    expect(readFileSync(file, 'utf8')).to.equal('name: mine\n');
  });

  it('points the schema line at the nearest installed package, relative to the file; --schema as given', () => {
    const project = join(dir, 'project');
    mkdirSync(join(project, 'node_modules/rocketship-rx/schema'), { recursive: true });
    writeFileSync(join(project, 'node_modules/rocketship-rx/schema/rocketship.schema.json'), '{}');
    mkdirSync(join(project, 'tests/api'), { recursive: true });
    const c = capture(project);
    expect(runInit({ file: 'tests/api/rocketship.yaml', schema: undefined }, c.io)).to.equal(0);
    expect(c.out()).to.not.contain('note:');
    expect(readFileSync(join(project, 'tests/api/rocketship.yaml'), 'utf8').split('\n')[0]).to.equal(
      '# yaml-language-server: $schema=../../node_modules/rocketship-rx/schema/rocketship.schema.json',
    );
    const url = capture(project);
    expect(runInit({ file: 'other.yaml', schema: 'https://example.com/rocketship.schema.json' }, url.io)).to.equal(0);
    expect(readFileSync(join(project, 'other.yaml'), 'utf8').split('\n')[0]).to.equal(
      '# yaml-language-server: $schema=https://example.com/rocketship.schema.json',
    );
  });

  it('without an installed package, points where npm installs it: beside the nearest package.json', () => {
    const app = join(dir, 'app');
    mkdirSync(join(app, 'suites'), { recursive: true });
    writeFileSync(join(app, 'package.json'), '{}');
    const c = capture(join(app, 'suites'));
    expect(runInit({ file: 'rocketship.yaml', schema: undefined }, c.io)).to.equal(0);
    expect(c.out()).to.contain(
      'note: its $schema line points to ../node_modules/rocketship-rx/schema/rocketship.schema.json, which is not there yet',
    );
    expect(readFileSync(join(app, 'suites/rocketship.yaml'), 'utf8').split('\n')[0]).to.equal(
      '# yaml-language-server: $schema=../node_modules/rocketship-rx/schema/rocketship.schema.json',
    );
  });

  it('a folder that does not exist is exit 2, nothing written', () => {
    const c = capture(dir);
    expect(runInit({ file: 'nope/rocketship.yaml', schema: undefined }, c.io)).to.equal(2);
    expect(c.err()).to.equal('rocketship init: cannot write nope/rocketship.yaml: no such directory nope\n');
    expect(c.out()).to.equal('');
  });

  it('rocketship --help lists init, and init --help says what it writes', async () => {
    expect((await runCli(['--help'])).stdout).to.match(/rocketship init \[FILE\] \[--schema PATH\|URL\] +write a commented starter suite/);
    const help = await runCli(['init', '--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain('Never overwrites a file');
    expect(help.stdout).to.contain(SCHEMA_LINE);
  });
});
