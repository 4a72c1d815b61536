import type { Json } from '../json.js';

/**
 * Everything a template can refer to. Rendering is pure: the caller snapshots the process
 * environment and the values saved so far.
 */
export interface TemplateContext {
  /** Values saved by earlier steps (`save: [{ as: name }]`), read by `{{ name }}` first. */
  readonly saved: Readonly<Record<string, Json>>;
  /** The suite's `vars` (after CLI overrides): `{{ .vars.a.b }}`, and `{{ a.b }}` when no step saved `a`. */
  readonly vars: Readonly<Record<string, Json>>;
  /** The environment: `{{ .env.NAME }}`. An unset (undefined) entry is an undefined variable. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Secrets: `{{ .secrets.NAME }}`. Absent means no secrets are configured. */
  readonly secrets?: Readonly<Record<string, string>>;
}
