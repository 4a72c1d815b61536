import { describeComparison, passes, type Row } from './row.js';

/**
 * The results as a Markdown table (what docs/benchmarks.md and the README show):
 * | workload | metric | ours | floor | ours vs floor | target | met |
 */
export function formatTable(rows: readonly Row[]): string {
  const header = ['workload', 'metric', 'ours', 'floor', 'ours vs floor', 'target', 'met'];
  const body = rows.map((row) => {
    const { value, target } = describeComparison(row);
    const met = passes(row);
    return [
      row.workload,
      row.metric,
      show(row.ours, row.unit),
      show(row.floor, row.unit),
      value,
      target,
      met === undefined ? '' : met ? 'yes' : '**no**',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

function show(value: number | boolean | undefined, unit: string): string {
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Number.isNaN(value)) return 'n/a';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit === '' ? '' : ` ${unit}`}`;
}
