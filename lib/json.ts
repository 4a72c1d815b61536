/** A JSON value as decoded from YAML or an HTTP body. Shared by every module. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };
