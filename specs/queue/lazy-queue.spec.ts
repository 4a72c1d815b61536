import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/run-cli.js';

// Run in a fresh node: a resolve hook prints every module of bullmq or ioredis the process loads
// (ES modules and CommonJS alike go through it when imported from an ES module).
const HOOK = `export async function resolve(specifier, context, next) {
  const found = await next(specifier, context);
  if (/\\/node_modules\\/(bullmq|ioredis)\\//.test(found.url)) console.log('LOADED ' + found.url);
  return found;
}`;

function probe(body: string): string {
  const index = pathToFileURL(join(ROOT, 'dist/index.js')).href;
  const script = `
import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK)}`)});
const api = await import(${JSON.stringify(index)});
console.log('IMPORTED');
${body}
console.log('DONE');
`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  expect(child.status, child.stderr).to.equal(0);
  return child.stdout;
}

describe('queue/lazy-queue: the package exports the queue without loading BullMQ', function () {
  this.timeout(60_000);

  it('importing dist/index.js loads neither bullmq nor ioredis; using queueExecutor or startWorker does', () => {
    const out = probe(`
const executor = api.queueExecutor({ redis: 'redis://127.0.0.1:1' });
console.log('RUN_ID ' + executor.runId);
console.log('CREATED');
await executor.ready().catch((e) => console.log('READY ' + e.name));
await executor.close();
`);
    const [imported, rest] = out.split('CREATED') as [string, string];
    expect(imported).to.include('IMPORTED');
    expect(imported).to.match(/RUN_ID [0-9a-f]{12}/);
    // Imported, and an executor made: nothing of BullMQ or ioredis yet.
    expect(imported).not.to.include('LOADED');
    // Used: loaded then (this also proves the hook sees them).
    expect(rest).to.match(/LOADED \S+\/node_modules\/bullmq\//);
    expect(rest).to.match(/LOADED \S+\/node_modules\/ioredis\//);
    expect(rest).to.include('READY RedisUnreachableError');
    expect(rest).to.include('DONE');
  });

  it('startWorker loads BullMQ when called', () => {
    const out = probe(`
// Nothing answers on port 1: the worker would wait for Redis forever; the modules are loaded by then.
void api.startWorker({ redis: 'redis://127.0.0.1:1', plugins: api.builtinPlugins(), http: api.createAxiosClient() }).catch(() => undefined);
await new Promise((r) => setTimeout(r, 1000));
console.log('DONE');
process.exit(0);
`);
    const [imported, rest] = out.split('IMPORTED') as [string, string];
    expect(imported).not.to.include('LOADED');
    expect(rest).to.match(/LOADED \S+\/node_modules\/bullmq\//);
  });
});
