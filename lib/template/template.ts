/**
 * A value given as a template string, to be rendered when the step runs, e.g.
 * `max_attempts: "{{ .vars.n }}"` or `duration: "{{ .vars.timeout }}s"`. The runtime renders
 * `source` and decodes the result with the same codec the field would have used.
 */
export interface Template {
  readonly _tag: 'Template';
  /** The text as written in the file, braces included. */
  readonly source: string;
}

/** A field that is an `A`, or a {@link Template} that renders to one. */
export type Templatable<A> = A | Template;

/** Whether a decoded value is a {@link Template} still to be rendered. */
export function isTemplate(value: unknown): value is Template {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { _tag?: unknown })._tag === 'Template' &&
    typeof (value as { source?: unknown }).source === 'string'
  );
}
