import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import type { TemplateReference } from './parse-template.js';
import type { TemplateContext } from './template-context.js';
import { TemplateError } from './template-error.js';
import { writeJson } from '../json-text.js';

/**
 * Looks a reference up in the context.
 *
 * - `{{ name }}` / `{{ a.b }}`: if a step saved `a` (or the dotted name `a.b` itself), the saved
 *   value is used, else the suite's `vars`. The fallback is by name: once `a` is saved, `a.b` is
 *   looked up in the saved value only.
 * - `{{ .vars.a.b }}`: the suite's `vars` only.
 * - `{{ .env.NAME }}`, `{{ .secrets.NAME }}`: flat string maps; unset is undefined.
 *
 * Dotted names walk into objects (own keys) and arrays (`items.0`). Any miss is an
 * `UndefinedVariable` error listing the names available where the walk stopped.
 *
 * resolveReference({ scope: 'auto', path: ['user', 'id'], name: 'user.id' }, ctx)  // Right(42)
 */
export function resolveReference(ref: TemplateReference, ctx: TemplateContext): E.Either<TemplateError, Json> {
  switch (ref.scope) {
    case 'auto': {
      const saved = lookIn(ctx.saved, ref.path, '');
      if (saved._tag !== 'NoRoot') return toEither(ref, saved);
      const vars = lookIn(ctx.vars, ref.path, '');
      if (vars._tag !== 'NoRoot') return toEither(ref, vars);
      return undefinedVariable(ref, [...sortedKeys(ctx.saved), ...sortedKeys(ctx.vars).map((k) => `.vars.${k}`)]);
    }
    case 'vars': {
      const vars = lookIn(ctx.vars, ref.path, '.vars.');
      if (vars._tag !== 'NoRoot') return toEither(ref, vars);
      return undefinedVariable(
        ref,
        sortedKeys(ctx.vars).map((k) => `.vars.${k}`),
      );
    }
    case 'env': {
      const name = ref.path.join('.');
      const value = Object.prototype.hasOwnProperty.call(ctx.env, name) ? ctx.env[name] : undefined;
      if (value !== undefined) return E.right(value);
      // the environment can be large and is not ours to print: no list, just the fact
      return E.left(
        new TemplateError({
          _tag: 'UndefinedVariable',
          variable: ref.name,
          available: [],
          detail: `the environment variable ${name} is not set`,
        }),
      );
    }
    case 'secrets': {
      const secrets = ctx.secrets ?? {};
      const name = ref.path.join('.');
      const value = Object.prototype.hasOwnProperty.call(secrets, name) ? secrets[name] : undefined;
      if (value !== undefined) return E.right(value);
      return undefinedVariable(
        ref,
        sortedKeys(secrets).map((k) => `.secrets.${k}`),
      );
    }
  }
}

type Walk =
  | { readonly _tag: 'NoRoot' }
  | { readonly _tag: 'Found'; readonly value: Json }
  | { readonly _tag: 'Stopped'; readonly available: readonly string[]; readonly detail?: string };

/**
 * Finds the longest dotted prefix of `path` that is a key of `root` (so a saved name containing
 * dots still works), then walks the rest of the path inside its value.
 */
function lookIn(root: Readonly<Record<string, Json>>, path: readonly string[], prefix: string): Walk {
  const k = longestKeyPrefix(root, path);
  if (k > 0) {
    const key = path.slice(0, k).join('.');
    let cur = root[key] as Json;
    let walked = prefix + key;
    for (const seg of path.slice(k)) {
      if (Array.isArray(cur)) {
        const index = /^(0|[1-9][0-9]*)$/.test(seg) ? Number(seg) : -1;
        if (index < 0 || index >= cur.length) {
          return { _tag: 'Stopped', available: cur.length === 0 ? [] : [`${walked}.0 .. ${walked}.${cur.length - 1}`] };
        }
        cur = cur[index] as Json;
      } else if (cur !== null && typeof cur === 'object') {
        if (!Object.prototype.hasOwnProperty.call(cur, seg)) {
          return {
            _tag: 'Stopped',
            available: Object.keys(cur)
              .sort()
              .map((c) => `${walked}.${c}`),
          };
        }
        cur = (cur as { readonly [k: string]: Json })[seg] as Json;
      } else {
        return { _tag: 'Stopped', available: [], detail: `${walked} is ${describe(cur)}, which has no field ${JSON.stringify(seg)}` };
      }
      walked += `.${seg}`;
    }
    return { _tag: 'Found', value: cur };
  }
  return { _tag: 'NoRoot' };
}

/** How many names the longest dotted prefix of `path` that is a key of `root` has; 0 for none. */
function longestKeyPrefix(root: Readonly<Record<string, Json>>, path: readonly string[]): number {
  if (path.length <= 16) {
    for (let k = path.length; k >= 1; k -= 1) if (Object.prototype.hasOwnProperty.call(root, path.slice(0, k).join('.'))) return k;
    return 0;
  }
  // Joining every prefix of a long name costs the square of its length (seconds for a 100 KB
  // `{{ a.a.a... }}`): match the root's keys against the joined name instead. Names hold no
  // dots, so a key matches a prefix exactly when the name continues with a dot after it.
  const full = path.join('.');
  let best = 0;
  for (const key of Object.keys(root)) {
    if (key !== '' && full.startsWith(key) && (key.length === full.length || full[key.length] === '.'))
      best = Math.max(best, key.split('.').length);
  }
  return best;
}

function toEither(ref: TemplateReference, walk: Exclude<Walk, { _tag: 'NoRoot' }>): E.Either<TemplateError, Json> {
  if (walk._tag === 'Found') return E.right(walk.value);
  return E.left(
    new TemplateError(
      walk.detail === undefined
        ? { _tag: 'UndefinedVariable', variable: ref.name, available: walk.available }
        : { _tag: 'UndefinedVariable', variable: ref.name, available: walk.available, detail: walk.detail },
    ),
  );
}

function undefinedVariable(ref: TemplateReference, available: readonly string[]): E.Either<TemplateError, Json> {
  return E.left(new TemplateError({ _tag: 'UndefinedVariable', variable: ref.name, available }));
}

function sortedKeys(o: object): string[] {
  return Object.keys(o).sort();
}

function describe(v: Json): string {
  if (v === null) return 'null';
  const { text, complete } = writeJson(v, { maxChars: 40 });
  return `a ${typeof v} (${complete ? text : `${text.slice(0, 37)}...`})`;
}
