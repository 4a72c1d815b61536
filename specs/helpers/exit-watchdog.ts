/**
 * A root hook (see .mocharc.json): mocha runs without `--exit`, so a spec that leaves a socket,
 * timer or child process open keeps the test run from ending, and CI would wait for its own
 * timeout to say nothing useful. After the last spec, this waits a while for the process to end
 * on its own (what is still closing gets `GRACE_MS`); if it has not, it names what keeps it
 * alive and fails the run.
 */
const GRACE_MS = 30_000;

interface HandleLike {
  readonly constructor?: { readonly name?: string };
  readonly pid?: number;
  readonly spawnfile?: string;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  readonly localPort?: number;
  address?: () => unknown;
}

function describe(handle: HandleLike): string {
  const kind = handle.constructor?.name ?? typeof handle;
  if (handle.pid !== undefined) return `${kind} pid ${handle.pid} (${handle.spawnfile ?? '?'})`;
  if (handle.remotePort !== undefined) return `${kind} to ${handle.remoteAddress}:${handle.remotePort} from port ${handle.localPort}`;
  if (typeof handle.address === 'function') {
    try {
      return `${kind} listening on ${JSON.stringify(handle.address())}`;
    } catch {
      return kind;
    }
  }
  return kind;
}

export const mochaHooks = {
  afterAll(): void {
    setTimeout(() => {
      const handles = (process as unknown as { _getActiveHandles(): HandleLike[] })._getActiveHandles();
      process.stderr.write(
        `\nThe specs passed or failed, but the process did not end ${GRACE_MS / 1000}s after the last one: ` +
          `something a spec opened is still open.\n` +
          `  resources: ${process.getActiveResourcesInfo().join(', ')}\n` +
          handles.map((h) => `  - ${describe(h)}\n`).join(''),
      );
      process.exit(1);
    }, GRACE_MS).unref();
  },
};
