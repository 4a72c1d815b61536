/**
 * `T` with its `readonly` taken off, for an object built key by key before it is handed out as
 * `T` (optional keys set only when present, rather than spread in).
 *
 * const request: Mutable<HttpRequest> = { method, url, headers };
 * if (body !== undefined) request.body = body;
 */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
