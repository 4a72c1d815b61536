// Types for server.js, so TypeScript specs can import the example API (the project does not
// compile JavaScript). Keep in step with the JSDoc typedefs in server.js.

/** The port used when the server is started by hand without one, and the suites' default `api_url`. */
export declare const DEFAULT_PORT: 8787;

export interface ExampleApiOptions {
  /** Port to bind on 127.0.0.1. Default 0: any free port. */
  readonly port?: number;
  /**
   * Multiplies every delay the server applies (defaults and requested `duration_ms`/`delete_ms`).
   * Default 1. `Retry-After` values are whole seconds and are not scaled.
   */
  readonly timeScale?: number;
  /** Milliseconds on a monotonic clock. Default `performance.now`. Specs pass a fake clock. */
  readonly clock?: () => number;
}

export interface ExampleApiStats {
  /** Every request received, matched or not. */
  readonly requests: number;
  /** Requests per route, keyed like `GET /jobs/:id` (`unmatched` when no route matched). */
  readonly byRoute: Readonly<Record<string, number>>;
}

export interface ExampleApi {
  /** The bound port. */
  readonly port: number;
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string;
  /** Stops listening and closes every connection. Idempotent. */
  close(): Promise<void>;
  /** A snapshot of the request counters. */
  stats(): ExampleApiStats;
}

/** Starts the example API on 127.0.0.1. Rejects when the port cannot be bound. */
export declare function startExampleApi(options?: ExampleApiOptions): Promise<ExampleApi>;
