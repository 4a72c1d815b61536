import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { runCli } from '../helpers/run-cli.js';
import { skipWithoutRedis, startRedis, type LocalRedis } from '../helpers/redis-server.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { SPEC_QUEUE_KEY, startWorkerProcess, stopWorker, type WorkerProcess } from '../helpers/worker-process.js';

/** Every key of a Redis and everything it holds, whatever its type, as raw bytes (latin1, so any byte survives). */
async function dumpRedis(client: Redis): Promise<Map<string, string[]>> {
  const all = new Map<string, string[]>();
  let cursor = '0';
  do {
    const [next, keys] = await client.scanBuffer(cursor, 'COUNT', 1000);
    cursor = next.toString();
    for (const keyBuffer of keys) {
      const key = keyBuffer.toString('latin1');
      const type = await client.type(keyBuffer);
      const text = (b: Buffer | string) => (typeof b === 'string' ? b : b.toString('latin1'));
      let values: (Buffer | string)[] = [];
      if (type === 'string') values = [(await client.getBuffer(keyBuffer)) ?? ''];
      else if (type === 'hash') values = await client.hgetallBuffer(keyBuffer).then((h) => Object.entries(h).flat());
      else if (type === 'list') values = await client.lrangeBuffer(keyBuffer, 0, -1);
      else if (type === 'set') values = await client.smembersBuffer(keyBuffer);
      else if (type === 'zset') values = await client.zrangeBuffer(keyBuffer, 0, -1, 'WITHSCORES');
      else if (type === 'stream') {
        const entries = (await client.xrangeBuffer(keyBuffer, '-', '+')) as unknown as [Buffer, Buffer[]][];
        values = entries.flatMap(([id, fields]) => [id, ...fields]);
      } else if (type !== 'none') throw new Error(`a key of a type the scan does not read: ${key} (${type})`);
      all.set(key, [key, ...values.map(text)]);
    }
  } while (cursor !== '0');
  return all;
}

/** A value as it may sit in Redis: in clear, and in the encodings a careless payload would use. */
function forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [
    value,
    bytes.toString('base64'),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
  ];
}

/** The keys (and the form) in which any of `values` shows. */
function findIn(dump: Map<string, string[]>, values: readonly string[]): string[] {
  const found: string[] = [];
  for (const [key, texts] of dump)
    for (const value of values)
      for (const form of forms(value)) if (texts.some((t) => t.includes(form))) found.push(`${key}: ${JSON.stringify(form)} (${value})`);
  return found;
}

describe('distributed runs: nothing secret readable in Redis', function () {
  skipWithoutRedis(this);
  this.timeout(60_000);
  let redis: LocalRedis;
  let worker: WorkerProcess;
  let server: LocalServer;
  let client: Redis;
  let dir: string;
  let polls = 0;
  let seen = '';

  const CLI_SECRET = 's3cr3t/cli+value@one';
  const ENV_SECRET = 'env-pa55word/value+two';
  const HEADER_SECRET = 'literal-header-key/three';
  const LEARNED_SECRET = 'learned-t0ken/value+four';
  const SECRETS = [CLI_SECRET, ENV_SECRET, HEADER_SECRET, LEARNED_SECRET];
  // Not secret: shows in clear, which proves the scan reads what the run put in Redis.
  const VISIBLE = 'visible-test-name-7f3a';

  before(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
    dir = mkdtempSync(join(tmpdir(), 'rocketship-secrets-'));
    server = await startLocalServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      // Every answer echoes the request's credentials: events carry them (masked) in response bodies.
      seen += JSON.stringify(req.headers);
      const echo = { authorization: req.headers.authorization, apiKey: req.headers['x-api-key'], password: req.headers['x-password'] };
      if (req.url === '/login') return res.end(JSON.stringify({ access_token: LEARNED_SECRET, ...echo }));
      if (req.url === '/status') {
        polls += 1;
        return res.end(JSON.stringify({ status: polls >= 5 ? 'done' : 'running', ...echo }));
      }
      res.end(JSON.stringify(echo));
    });
    worker = await startWorkerProcess(redis.url, { concurrency: 2 });
  });
  after(async () => {
    await stopWorker(worker);
    client.disconnect();
    await server.close();
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a run with --secret, a secret-named env var, a credential header and a saved token: no key of Redis holds one, in any encoding', async () => {
    const url = server.url;
    const file = join(dir, 'secrets.yaml');
    writeFileSync(
      file,
      'name: secrets\n' +
        'tests:\n' +
        `  - name: ${VISIBLE}\n    steps:\n` +
        `      - name: login\n        plugin: http\n        config: { method: POST, url: "${url}/login", headers: { Authorization: "Bearer {{ .secrets.TOKEN }}", X-Password: "{{ .env.API_PASSWORD }}" } }\n` +
        '        save: [{ json_path: .access_token, as: access_token }]\n' +
        `      - name: wait\n        plugin: http\n        config:\n          method: GET\n          url: "${url}/status"\n` +
        `          headers: { Authorization: "Bearer {{ access_token }}", X-Api-Key: "${HEADER_SECRET}" }\n` +
        '          polling:\n            interval: 300ms\n            timeout: 30s\n            conditions: [{ type: json_path, path: .status, expected: done }]\n' +
        `      - name: echo\n        plugin: log\n        config: { message: "token {{ access_token }} password {{ .env.API_PASSWORD }} secret {{ .secrets.TOKEN }}" }\n`,
    );
    const report = join(dir, 'secrets.json');
    // Once mid-poll too: checkpoints and payloads of a running test are in Redis then.
    let midRun: Promise<Map<string, string[]>> | undefined;
    const watch = setInterval(() => {
      if (midRun === undefined && polls >= 3) midRun = dumpRedis(client);
    }, 5);
    const result = await runCli(
      ['run', '-f', file, '--secret', `TOKEN=${CLI_SECRET}`, '--redis', redis.url, '--report', `json=${report}`],
      {
        env: { ROCKETSHIP_QUEUE_KEY: SPEC_QUEUE_KEY, API_PASSWORD: ENV_SECRET },
      },
    );
    clearInterval(watch);
    expect(result.code, result.stdout + result.stderr + worker.stderr()).to.equal(0);
    expect(midRun, 'Redis was read mid-poll').not.to.equal(undefined);
    const during = await (midRun as Promise<Map<string, string[]>>);
    const after = await dumpRedis(client);

    for (const dump of [during, after]) {
      // The run's job, its events and the queue's bookkeeping are all there, and read...
      expect([...dump.keys()].some((k) => k.startsWith('rocketship-bull:rocketship:'))).to.equal(true);
      expect([...dump.keys()].some((k) => /^rocketship:rocketship:run:[0-9a-f]+:events$/.test(k))).to.equal(true);
      expect(findIn(dump, [VISIBLE])).not.to.deep.equal([]);
      // ...and no secret is readable in any of them.
      expect(findIn(dump, SECRETS)).to.deep.equal([]);
    }
    // The secrets did travel (the server saw every one), and the report masks them.
    for (const secret of SECRETS) expect(seen).to.include(secret);
    const json = readFileSync(report, 'utf8');
    for (const secret of SECRETS) expect(json).not.to.include(secret);
  });
});
