import type { MediaType } from './contract.js';

/** The media type of a Content-Type value, lower-cased, without parameters: `application/json; charset=utf-8` -> `application/json`. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === undefined || type === '' ? undefined : type;
}

/** The declared media type a body of `type` falls under: exact first, then `text/*`, then `*\/*`. */
export function findMediaType(declared: readonly MediaType[], type: string): MediaType | undefined {
  const [major] = type.split('/');
  return declared.find((m) => m.type === type) ?? declared.find((m) => m.type === `${major}/*`) ?? declared.find((m) => m.type === '*/*');
}

/** Whether bodies of a media type are JSON (`application/json`, `application/problem+json`). */
export function isJsonType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json') || type === '*/*';
}
