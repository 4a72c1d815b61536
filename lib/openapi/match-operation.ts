import type { Contract, Operation } from './contract.js';

/** The operation a request is for, with the values of its path's templates (still encoded). */
export type OperationMatch =
  | { readonly _tag: 'Matched'; readonly operation: Operation; readonly pathParams: Readonly<Record<string, string>> }
  | { readonly _tag: 'NoMatch'; readonly message: string };

/**
 * Finds the operation of a request by its method and URL path, after stripping the path of a
 * `servers` URL (any host: a production document is used against a local or staging server).
 * Literal segments win over templated ones, segment by segment from the left, so
 * `/jobs/latest` is matched before `/jobs/{id}` whatever their order in the document.
 * No match says why and lists the closest paths of the document.
 *
 * matchOperation(contract, 'GET', 'http://127.0.0.1:8080/v1/jobs/latest')
 * // { _tag: 'Matched', operation: <GET /jobs/latest>, pathParams: {} }
 * matchOperation(contract, 'GET', 'http://127.0.0.1:8080/v1/jobz')
 * // { _tag: 'NoMatch', message: 'no path of the document matches /v1/jobz (closest: /jobs, /jobs/{id})' }
 */
export function matchOperation(contract: Contract, method: string, url: string): OperationMatch {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return { _tag: 'NoMatch', message: `the URL ${url} has no path to match` };
  }
  const upper = method.toUpperCase();
  let best: { operation: Operation; params: Record<string, string>; rank: number[] } | undefined;
  const pathOnly: Operation[] = [];
  for (const base of contract.basePaths) {
    if (base !== '' && pathname !== base && !pathname.startsWith(`${base}/`)) continue;
    const rest = pathname.slice(base.length) || '/';
    for (const operation of contract.operations) {
      const m = matchPath(operation.path, rest);
      if (m === undefined) continue;
      if (operation.method !== upper) {
        pathOnly.push(operation);
        continue;
      }
      if (best === undefined || compareRanks(m.rank, best.rank) < 0) best = { operation, params: m.params, rank: m.rank };
    }
    if (best !== undefined) return { _tag: 'Matched', operation: best.operation, pathParams: best.params };
  }
  if (pathOnly.length > 0) {
    const methods = [...new Set(pathOnly.map((o) => o.method))].join(', ');
    return { _tag: 'NoMatch', message: `${pathOnly[0]!.path} has no ${upper} operation in the document (it has ${methods})` };
  }
  const closest = closestPaths(contract, pathname);
  return {
    _tag: 'NoMatch',
    message: `no path of the document matches ${upper} ${pathname}${closest.length > 0 ? ` (closest: ${closest.join(', ')})` : ''}`,
  };
}

/**
 * Whether `actual` is an instance of the templated `path`; the values of its templates, and its
 * rank: per segment 0 for a literal, 1 for one mixing text and templates, 2 for a whole template.
 */
function matchPath(path: string, actual: string): { params: Record<string, string>; rank: number[] } | undefined {
  const want = path.split('/');
  const got = actual.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  const rank: number[] = [];
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (!w.includes('{')) {
      if (safeDecode(w) !== safeDecode(g)) return undefined;
      rank.push(0);
      continue;
    }
    const names: string[] = [];
    const source = w.replace(/\{([^}]+)\}|([^{]+)/g, (_, name: string | undefined, text: string | undefined) => {
      if (name !== undefined) {
        names.push(name);
        return '([^/]+)';
      }
      return escapeRegExp(text ?? '');
    });
    const m = new RegExp(`^${source}$`).exec(g);
    if (m === null) return undefined;
    names.forEach((name, j) => (params[name] = m[j + 1] as string));
    rank.push(/^\{[^}]+\}$/.test(w) ? 2 : 1);
  }
  return { params, rank };
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

/** Up to three paths of the document nearest to `pathname` (edit distance, templates as their names). */
function closestPaths(contract: Contract, pathname: string): string[] {
  const candidates = [...new Set(contract.operations.map((o) => o.path))];
  const scored = candidates.map((p) => {
    const distances = contract.basePaths.map((b) => distance(`${b}${p}`, pathname));
    return { p, d: Math.min(...distances) };
  });
  return scored
    .sort((x, y) => x.d - y.d || x.p.localeCompare(y.p))
    .slice(0, 3)
    .map((s) => s.p);
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] as number;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
