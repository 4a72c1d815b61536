import * as E from 'fp-ts/lib/Either.js';
import { readFileSync } from 'node:fs';
import { type DecodeSuiteOptions, decodeSuiteText, type LoadedSuite } from './decode-suite.js';
import type { DslError } from './dsl-error.js';

/**
 * Reads a suite file and decodes it: the only place the DSL touches the file system. Never
 * throws: a file that cannot be read (missing, a directory, no permission) and a file that is
 * not UTF-8 text are errors like any other, located at the file's first line (for bad bytes,
 * at the first invalid byte).
 *
 * loadSuiteFile('examples/rocketship.yaml')   // Right(LoadedSuite) or Left(DslError[])
 */
export function loadSuiteFile(path: string, options: DecodeSuiteOptions = {}): E.Either<DslError[], LoadedSuite> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return E.left([{ file: path, line: 1, col: 1, path: '', message: `cannot read the file: ${readProblem(e)}` }]);
  }
  const text = decodeUtf8(bytes);
  if (E.isLeft(text)) {
    const { line, col } = text.left;
    return E.left([{ file: path, line, col, path: '', message: `the file is not UTF-8 text (invalid byte at line ${line}, column ${col}); save it as UTF-8` }]);
  }
  return decodeSuiteText(text.right, path, options);
}

function readProblem(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

/** Strict UTF-8 decoding (a leading BOM is dropped); Left gives where the first bad byte is. */
function decodeUtf8(bytes: Buffer): E.Either<{ line: number; col: number }, string> {
  try {
    return E.right(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    const offset = firstInvalidByte(bytes);
    const valid = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
    const lines = valid.split('\n');
    const last = lines[lines.length - 1] ?? '';
    return E.left({ line: lines.length, col: [...last].length + 1 });
  }
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const size = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (size === 0 || i + size > bytes.length) return i;
    for (let k = 1; k < size; k++) {
      const next = bytes[i + k] as number;
      if ((next & 0xc0) !== 0x80) return i;
    }
    // Overlong 3-byte forms, UTF-16 surrogates, and code points above U+10FFFF.
    const second = bytes[i + 1] as number;
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f) || (b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f)) return i;
    i += size;
  }
  return bytes.length;
}
