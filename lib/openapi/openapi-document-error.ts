/**
 * An OpenAPI document that cannot be used: not found, not YAML or JSON, not a valid OpenAPI
 * document, or with a `$ref` that points nowhere. Says which file (or URL) and, when known, the
 * JSON pointer of the fault in it (`#/paths/~1jobs/get/responses`).
 *
 * new OpenApiDocumentError({ source: '/app/api.yaml', pointer: '#/paths/~1a/get', line: 7, col: 5, problems: ['must have required property responses'] }).message
 * // 'OpenAPI document /app/api.yaml:7:5 is not valid: #/paths/~1a/get: must have required property responses'
 */
export class OpenApiDocumentError extends Error {
  override readonly name = 'OpenApiDocumentError';
  readonly info: OpenApiDocumentErrorInfo;

  constructor(info: OpenApiDocumentErrorInfo) {
    const where = info.pointer === undefined ? '' : `${info.pointer}: `;
    const [first, ...rest] = info.problems;
    const at = info.line === undefined ? '' : `:${info.line}:${info.col ?? 1}`;
    super(
      `OpenAPI document ${info.source}${at} ${info.headline ?? 'is not valid'}: ${where}${first ?? 'unknown problem'}${rest.map((p) => `\n  ${p}`).join('')}`,
    );
    this.info = info;
  }
}

export interface OpenApiDocumentErrorInfo {
  /** The file path or URL tried (or, when a relative path was found nowhere, the paths tried, joined). */
  readonly source: string;
  /** JSON pointer of the first fault, `#/...`, when the fault is inside the document. */
  readonly pointer?: string | undefined;
  /** 1-based line and column of the value at `pointer` in `source`, when it is a file and the value is written in it. */
  readonly line?: number | undefined;
  readonly col?: number | undefined;
  /** What is wrong: the first fault, then the others. */
  readonly problems: readonly string[];
  /** Instead of `is not valid`: `cannot be read`, `was not found`. */
  readonly headline?: string | undefined;
}
