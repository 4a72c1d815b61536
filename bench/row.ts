/** How a row's two figures are compared, and what passes. */
export type Target =
  /** ours / floor at most `max` */
  | { readonly kind: 'ratio'; readonly max: number }
  /** ours - floor at most `max` (same unit as the figures) */
  | { readonly kind: 'diff'; readonly max: number }
  /** ours below `max`; the floor is shown for reference */
  | { readonly kind: 'below'; readonly max: number }
  /** ours at most `max` (same unit as the figures); the floor, if any, is shown for reference */
  | { readonly kind: 'atMost'; readonly max: number }
  /** ours must be `true` */
  | { readonly kind: 'holds' }
  /** no target: shown for information */
  | { readonly kind: 'none' };

/** One line of the results table. */
export interface Row {
  readonly workload: string;
  readonly metric: string;
  readonly unit: string;
  readonly ours: number | boolean;
  readonly floor: number | boolean | undefined;
  readonly target: Target;
}

/**
 * The row builder of one workload: `row(metric, unit, ours, floor, target?)`, without a target by
 * default.
 *
 * const row = rowsOf('sequential 1,000 GETs');
 * row('wall time', 'ms', 1068, 315, { kind: 'ratio', max: 1.8 });   // { workload: 'sequential 1,000 GETs', metric: 'wall time', ... }
 */
export function rowsOf(workload: string): (metric: string, unit: string, ours: Row['ours'], floor: Row['floor'], target?: Target) => Row {
  return (metric, unit, ours, floor, target = { kind: 'none' }) => ({ workload, metric, unit, ours, floor, target });
}

/** Whether the row meets its target; `undefined` without one (or without figures). */
export function passes(row: Row): boolean | undefined {
  const { ours, floor, target } = row;
  switch (target.kind) {
    case 'ratio':
      return typeof ours === 'number' && typeof floor === 'number' ? ours / floor <= target.max : undefined;
    case 'diff':
      return typeof ours === 'number' && typeof floor === 'number' ? ours - floor <= target.max : undefined;
    case 'below':
      return typeof ours === 'number' && !Number.isNaN(ours) ? ours < target.max : undefined;
    case 'atMost':
      return typeof ours === 'number' && !Number.isNaN(ours) ? ours <= target.max : undefined;
    case 'holds':
      return ours === true;
    case 'none':
      return undefined;
  }
}

/** `1.23x`, `+0.4 ms`, `< 20 ms`, `<= 8 KB`, as the table shows the comparison and the target. */
export function describeComparison(row: Row): { value: string; target: string } {
  const { ours, floor, target, unit } = row;
  const num = typeof ours === 'number' && typeof floor === 'number';
  switch (target.kind) {
    case 'ratio':
      return { value: num ? `${((ours as number) / (floor as number)).toFixed(2)}x` : '', target: `<= ${target.max}x` };
    case 'diff':
      return { value: num ? `${signed((ours as number) - (floor as number))} ${unit}` : '', target: `<= +${target.max} ${unit}` };
    case 'below':
      return { value: num ? `${((ours as number) / (floor as number)).toFixed(2)}x` : '', target: `< ${target.max} ${unit}` };
    case 'atMost':
      return { value: num ? `${((ours as number) / (floor as number)).toFixed(2)}x` : '', target: `<= ${target.max} ${unit}` };
    case 'holds':
      return { value: '', target: 'yes' };
    case 'none':
      return { value: num ? `${((ours as number) / (floor as number)).toFixed(2)}x` : '', target: '' };
  }
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : ''}${n.toFixed(1)}`;
}
