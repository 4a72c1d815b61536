import type { Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import type { LoadedSuite } from '../../lib/dsl/index.js';
import type { HttpRequest, HttpResponse } from '../../lib/http/http-client.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import type { RunEvent } from '../../lib/event/run-event.js';
import { runSuite, type RunSuiteConfig } from '../../lib/run/run-suite.js';
import { fakeHttp } from './fake-http.js';
import { createTestScheduler } from './marbles.js';

/** What the fake server answers to the n-th request; `cold` makes a marble Observable in the run's virtual time. */
export type VirtualRoute = (
  request: HttpRequest,
  n: number,
  cold: (marbles: string, values?: Record<string, HttpResponse>) => Observable<HttpResponse>,
) => Observable<HttpResponse>;

/**
 * Runs a suite to the end in virtual time (a TestScheduler's `run`), with the built-in plugins
 * and a fake HTTP client answering from `route`; returns every event and every request.
 * `setup` may add config that needs the run's `cold` (e.g. an `interrupt$`).
 *
 * const { events, requests } = runVirtual(suite(yaml), (_req, _n, cold) => cold('--r|', { r: fakeResponse(200) }));
 */
export function runVirtual(
  loaded: LoadedSuite,
  route: VirtualRoute,
  config: Partial<RunSuiteConfig> = {},
  setup?: (helpers: { cold: TestScheduler['createColdObservable'] }) => Partial<RunSuiteConfig>,
): { events: RunEvent[]; requests: HttpRequest[] } {
  const scheduler = createTestScheduler();
  const events: RunEvent[] = [];
  let requests: HttpRequest[] = [];
  scheduler.run(({ cold }) => {
    const http = fakeHttp((req, n) => route(req, n, (m, v) => cold(m, v)));
    requests = http.requests;
    const extra = setup?.({ cold: cold as TestScheduler['createColdObservable'] }) ?? {};
    runSuite(loaded, { http, plugins: builtinPlugins(), scheduler, ...config, ...extra }).subscribe((e) => events.push(e));
  });
  return { events, requests };
}
