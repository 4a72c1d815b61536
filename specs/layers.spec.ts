import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The layers of `lib/`, top to bottom (docs/architecture.md draws them). A module may import
 * from its own folder and from the layers below its own, never from above or from a sibling of
 * the same layer: `run` may import `step`, `step` never `run`. The root modules (`json.ts` and
 * the small shared ones above it) are the bottom layers; `index.ts` sits under `cli` only.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['cli'],
  ['index.ts'],
  ['api'],
  ['report', 'plan'],
  ['queue'],
  ['run'],
  ['secrets'],
  ['event'],
  ['plugins'],
  ['step', 'openapi'],
  ['http', 'operators'],
  ['check'],
  ['dsl'],
  ['extract', 'template'],
  ['json-text.ts', 'version.ts'],
  ['json.ts', 'mutable.ts'],
];

/** Folders whose modules import nothing of ours (operators work on any Observable). */
const LEAVES: readonly string[] = ['operators'];

const LIB = normalize(join(dirname(fileURLToPath(import.meta.url)), '..', 'lib'));

interface Import {
  readonly from: string;
  readonly line: number;
  readonly to: string;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every relative `import`/`export ... from` of a file, resolved to a path under lib/. */
function importsOf(file: string): Import[] {
  const out: Import[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  let statement = '';
  let startLine = 0;
  lines.forEach((text, i) => {
    if (statement === '' && !/^\s*(import|export)\b/.test(text)) return;
    if (statement === '') startLine = i + 1;
    statement += `${text}\n`;
    const target = /\bfrom\s+'([^']+)'/.exec(statement) ?? /^\s*import\s+'([^']+)'/.exec(statement);
    if (target === null && !/;\s*$/.test(text)) return;
    if (target !== null && target[1]?.startsWith('.')) {
      out.push({ from: file, line: startLine, to: normalize(join(dirname(file), target[1].replace(/\.js$/, '.ts'))) });
    }
    statement = '';
  });
  return out;
}

/** The top-level folder (or root file) of a path under lib/. */
function unit(path: string): string {
  return relative(LIB, path).split(sep)[0] as string;
}

function rank(u: string): number {
  const i = LAYERS.findIndex((layer) => layer.includes(u));
  if (i < 0) throw new Error(`lib/${u} is in no layer: add it to LAYERS in specs/layers.spec.ts and to docs/architecture.md`);
  return i;
}

const where = (i: Import) => `lib/${relative(LIB, i.from)}:${i.line} imports lib/${relative(LIB, i.to)}`;

describe('layers of lib/', () => {
  const files = tsFiles(LIB);
  const imports = files.flatMap(importsOf);

  it('reads the imports of every module (this check sees something)', () => {
    expect(files.length).to.be.above(50);
    expect(imports.length).to.be.above(200);
  });

  it('puts every folder and root module in a layer', () => {
    for (const f of files) expect(() => rank(unit(f))).not.to.throw();
  });

  it('imports only downwards: never from a layer above, nor from a sibling of the same layer', () => {
    const wrong = imports.filter((i) => unit(i.from) !== unit(i.to) && rank(unit(i.to)) <= rank(unit(i.from)));
    expect(wrong.map(where)).to.deep.equal([]);
  });

  it(`keeps ${LEAVES.join(', ')} free of our other modules (only rxjs)`, () => {
    const wrong = imports.filter((i) => LEAVES.includes(unit(i.from)) && unit(i.to) !== unit(i.from));
    expect(wrong.map(where)).to.deep.equal([]);
  });

  it('has no import cycle between files', () => {
    const graph = new Map<string, string[]>();
    for (const i of imports) graph.set(i.from, [...(graph.get(i.from) ?? []), i.to]);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    // Iterative depth-first search; a file met again while still open closes a cycle.
    for (const start of files) {
      if (state.has(start)) continue;
      const stack: { file: string; next: number }[] = [{ file: start, next: 0 }];
      state.set(start, 'open');
      while (stack.length > 0) {
        const top = stack[stack.length - 1] as { file: string; next: number };
        const targets = graph.get(top.file) ?? [];
        if (top.next >= targets.length) {
          state.set(top.file, 'done');
          stack.pop();
          continue;
        }
        const to = targets[top.next++] as string;
        if (state.get(to) === 'open') {
          const from = stack.findIndex((s) => s.file === to);
          cycles.push([...stack.slice(from).map((s) => relative(LIB, s.file)), relative(LIB, to)].join(' -> '));
        } else if (!state.has(to)) {
          state.set(to, 'open');
          stack.push({ file: to, next: 0 });
        }
      }
    }
    expect(cycles).to.deep.equal([]);
  });
});
