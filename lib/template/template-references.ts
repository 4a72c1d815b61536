import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import { parseTemplate, type TemplateReference } from './parse-template.js';
import type { TemplateError } from './template-error.js';

/**
 * Lists the references a value's templates make, deeply (strings, list items, map keys and
 * values), in order of appearance, without resolving them. Used to know which variables and
 * secrets a step reads, e.g. to mask secret values in reports.
 *
 * templateReferences('{{ .vars.base_url }}/x?token={{ .secrets.TOKEN }}')
 * // Right([{ scope: 'vars', path: ['base_url'], name: '.vars.base_url' },
 * //        { scope: 'secrets', path: ['TOKEN'], name: '.secrets.TOKEN' }])
 */
export function templateReferences(value: Json): E.Either<TemplateError, readonly TemplateReference[]> {
  const out: TemplateReference[] = [];
  const visit = (v: Json): TemplateError | undefined => {
    if (typeof v === 'string') {
      const parsed = parseTemplate(v);
      if (E.isLeft(parsed)) return parsed.left;
      for (const part of parsed.right) {
        if (part._tag === 'Reference') out.push({ scope: part.scope, path: part.path, name: part.name });
      }
      return undefined;
    }
    if (v === null || typeof v !== 'object') return undefined;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i += 1) {
        const error = visit(v[i] as Json);
        if (error !== undefined) return error.within(i);
      }
      return undefined;
    }
    for (const [key, item] of Object.entries(v as { readonly [k: string]: Json })) {
      const error = visit(key) ?? visit(item);
      if (error !== undefined) return error.within(key);
    }
    return undefined;
  };
  const error = visit(value);
  return error === undefined ? E.right(out) : E.left(error);
}
