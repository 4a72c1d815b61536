import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { guardedStream } from '../../lib/cli/guarded-stream.js';

const MODULE = fileURLToPath(new URL('../../lib/cli/guarded-stream.ts', import.meta.url));

/** A Writable that fails every write from the `failAt`-th on (1-based) with `code`. */
function failingWritable(failAt: number, code: string): Writable & { readonly received: string[] } {
  const received: string[] = [];
  let n = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      n++;
      if (n >= failAt) return callback(Object.assign(new Error(`write ${code}`), { code }));
      received.push(chunk.toString('utf8'));
      callback();
    },
  });
  return Object.assign(stream, { received });
}

describe('cli/guarded-stream', () => {
  it('writes through while the stream works', async () => {
    const stream = failingWritable(Infinity, 'EPIPE');
    const out = guardedStream(stream);
    out.write('a\n');
    out.write('');
    out.write('b\n');
    await out.drained();
    expect(stream.received).to.deep.equal(['a\n', 'b\n']);
    expect(out.failure).to.equal(undefined);
  });

  it('after the first failure drops every write, never throws, and says so once', async () => {
    const stream = failingWritable(2, 'ENOSPC');
    const failures: string[] = [];
    const out = guardedStream(stream, { onFailure: (e) => failures.push(e.code ?? '?') });
    out.write('kept\n');
    out.write('fails\n');
    // The 'error' event comes on a later tick: without a listener it was an uncaught exception.
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 100; i++) out.write('dropped\n');
    await out.drained();
    expect(stream.received).to.deep.equal(['kept\n']);
    expect(out.failure?.code).to.equal('ENOSPC');
    expect(failures).to.deep.equal(['ENOSPC']);
  });

  it('a write that throws (a stream already destroyed) counts as a failure', () => {
    const throwing = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), {
      write: () => {
        throw Object.assign(new Error('write EBADF'), { code: 'EBADF' });
      },
    });
    const out = guardedStream(throwing);
    expect(() => out.write('x')).not.to.throw();
    expect(out.failure?.code).to.equal('EBADF');
  });

  it("a process's stdout whose reader went away: EPIPE recorded, the process goes on and exits 0", async function () {
    if (process.platform === 'win32') this.skip();
    this.timeout(20_000);
    // The child writes a line every 5ms through the guard; the spec closes the pipe after the first.
    const code = `
      import { guardedStream } from ${JSON.stringify(MODULE)};
      const out = guardedStream(process.stdout);
      let i = 0;
      const timer = setInterval(() => {
        out.write('line ' + i++ + '\\n');
        if (out.failure !== undefined || i > 1000) {
          clearInterval(timer);
          process.stderr.write(out.failure?.code ?? 'never failed');
        }
      }, 5);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.once('data', () => child.stdout.destroy());
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const exit = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect({ exit, stderr }).to.deep.equal({ exit: 0, stderr: 'EPIPE' });
  });
});
