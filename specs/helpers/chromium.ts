import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/**
 * Headless Chromium driven through the DevTools protocol over a pipe (`--remote-debugging-pipe`:
 * the browser reads commands on fd 3 and writes replies and events on fd 4, each a JSON text
 * ended by a NUL byte; puppeteer's default transport). The system's browser, no port, nothing
 * downloaded, no dependency: the few commands the specs need (open a page, evaluate, click,
 * type, screenshot) are a page of code.
 *
 * const browser = await launchChromium();
 * const page = await browser.open('file:///tmp/report.html', { width: 1400, height: 1000 });
 * await page.evaluate<number>('document.querySelectorAll(".mark").length');  // 12
 * writeFileSync('shot.png', await page.screenshot());
 * await browser.close();
 */
export interface Chromium {
  open(url: string, viewport: { width: number; height: number }): Promise<ChromiumPage>;
  close(): Promise<void>;
}

export interface ChromiumPage {
  /** The value of a JavaScript expression in the page (awaited if a promise), as JSON. */
  evaluate<T>(expression: string): Promise<T>;
  /** Resolves once `expression` is truthy in the page; rejects after `timeoutMs`. */
  waitFor(expression: string, timeoutMs?: number): Promise<void>;
  /** A PNG of the viewport (or of the whole page with `fullPage`). */
  screenshot(options?: { fullPage?: boolean }): Promise<Buffer>;
}

/** How to get the browser, for the line a skipped spec prints. */
export const CHROMIUM_INSTALL = 'apt-get install -y chromium';

/** The browser's path: `$CHROMIUM` or the first of chromium, chromium-browser, google-chrome on PATH; undefined when none. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome'].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    const found = spawnSync('sh', ['-c', `command -v "$0"`, candidate], { encoding: 'utf8' });
    if (found.status === 0 && found.stdout.trim() !== '') return found.stdout.trim();
  }
  return undefined;
}

/**
 * For a `before` hook: skips the enclosing `describe` with one line saying how to install the
 * browser when there is none; returns its path otherwise.
 */
export function skipWithoutChromium(context: Mocha.Context): string {
  const path = findChromium();
  if (path !== undefined) return path;
  console.log(`      skipped: no chromium on PATH; install it with: ${CHROMIUM_INSTALL} (.ci/run does)`);
  context.skip();
}

/** Starts a headless browser with its own profile, deleted on `close`. */
export async function launchChromium(path = findChromium()): Promise<Chromium> {
  if (path === undefined) throw new Error(`no chromium on PATH (${CHROMIUM_INSTALL})`);
  const profile = mkdtempSync(join(tmpdir(), 'rocketship-chromium-'));
  const child = spawn(
    path,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--hide-scrollbars',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-extensions',
      '--disable-background-networking',
      '--disable-component-update',
      '--mute-audio',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const connection = connect(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async open(url, viewport) {
      const { targetId } = await connection.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await connection.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
      const send = <T>(method: string, params: object = {}) => connection.send<T>(method, params, sessionId);
      await send('Page.enable');
      await send('Runtime.enable');
      await send('Emulation.setDeviceMetricsOverride', {
        width: viewport.width,
        height: viewport.height,
        deviceScaleFactor: 1,
        mobile: false,
      });
      const loaded = connection.once('Page.loadEventFired', sessionId);
      const navigated = await send<{ errorText?: string }>('Page.navigate', { url });
      if (navigated.errorText !== undefined) throw new Error(`cannot open ${url}: ${navigated.errorText}`);
      await loaded;
      const evaluate = async <T>(expression: string): Promise<T> => {
        const reply = await send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
          'Runtime.evaluate',
          { expression, returnByValue: true, awaitPromise: true },
        );
        if (reply.exceptionDetails !== undefined)
          throw new Error(`in the page: ${reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text}`);
        return reply.result.value as T;
      };
      return {
        evaluate,
        async waitFor(expression, timeoutMs = 10_000) {
          const until = Date.now() + timeoutMs;
          while (!(await evaluate<boolean>(`Boolean(${expression})`))) {
            if (Date.now() > until) throw new Error(`timed out waiting for ${expression}`);
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        },
        async screenshot(options = {}) {
          const shot = await send<{ data: string }>('Page.captureScreenshot', {
            format: 'png',
            captureBeyondViewport: options.fullPage === true,
          });
          return Buffer.from(shot.data, 'base64');
        },
      };
    },
    async close() {
      try {
        await Promise.race([connection.send('Browser.close'), exited]);
      } catch {
        // Gone already.
      }
      const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
      if (!stopped) child.kill('SIGKILL');
      connection.dispose();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

interface Connection {
  send<T>(method: string, params?: object, sessionId?: string): Promise<T>;
  once(method: string, sessionId?: string): Promise<unknown>;
  dispose(): void;
}

function connect(child: ChildProcess): Connection {
  const input = child.stdio[3] as Writable;
  const output = child.stdio[4] as Readable;
  let nextId = 1;
  const replies = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void; method: string }>();
  const waiters: Array<{ method: string; sessionId: string | undefined; resolve: (params: unknown) => void }> = [];
  let buffered = '';
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString('utf8')).slice(-4000)));
  const failAll = (why: string) => {
    for (const { reject, method } of replies.values()) reject(new Error(`chromium: ${method}: ${why}\n${stderr}`));
    replies.clear();
  };
  child.once('exit', (code, signal) => failAll(`the browser exited (${code ?? signal})`));
  input.on('error', () => {});
  output.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let end: number;
    while ((end = buffered.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffered.slice(0, end)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
        method?: string;
        params?: unknown;
        sessionId?: string;
      };
      buffered = buffered.slice(end + 1);
      if (message.id !== undefined) {
        const pending = replies.get(message.id);
        replies.delete(message.id);
        if (message.error !== undefined) pending?.reject(new Error(`chromium: ${pending.method}: ${message.error.message}`));
        else pending?.resolve(message.result as never);
      } else if (message.method !== undefined) {
        for (let i = waiters.length - 1; i >= 0; i--) {
          const w = waiters[i] as (typeof waiters)[number];
          if (w.method === message.method && w.sessionId === message.sessionId) {
            waiters.splice(i, 1);
            w.resolve(message.params);
          }
        }
      }
    }
  });
  return {
    send<T>(method: string, params: object = {}, sessionId?: string): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        replies.set(id, { resolve: resolve as (value: never) => void, reject, method });
        input.write(`${JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) })}\0`);
      });
    },
    once(method, sessionId) {
      return new Promise((resolve) => waiters.push({ method, sessionId, resolve }));
    },
    dispose() {
      input.destroy();
      output.destroy();
    },
  };
}
