import * as E from 'fp-ts/lib/Either.js';
import { type DecodeSuiteOptions, decodeSuiteText, type LoadedSuite } from './decode-suite.js';
import type { DslError } from './dsl-error.js';
import { readRegularFile } from './read-regular-file.js';

/**
 * The largest suite file read, in bytes: 1 MiB. Real suites are a few KB (a 1 MiB suite is some
 * 30,000 lines). A 1 MiB suite decodes in about a second in 80 MB; the YAML parser's time and
 * memory grow with the size, to seconds and hundreds of MB for 1 MiB of crafted garbage and
 * six seconds and 700 MB for a 10 MiB suite. A bigger file is refused before it is read.
 */
export const MAX_SUITE_FILE_BYTES = 1024 * 1024;

/**
 * Reads a suite file and decodes it: the only place the DSL touches the file system. Never
 * throws: a file that cannot be read (missing, a directory, no permission), anything that is
 * not a regular file (a named pipe, a device such as `/dev/stdin`, a socket: refused without
 * blocking, see `readRegularFile`), a file larger than {@link MAX_SUITE_FILE_BYTES}, and a file
 * that is not UTF-8 text (UTF-16, Latin-1, binary) are errors like any other, located at the
 * file's first line (for bad bytes, at the first invalid byte or NUL character).
 *
 * loadSuiteFile('examples/rocketship.yaml')   // Right(LoadedSuite) or Left(DslError[])
 */
export function loadSuiteFile(path: string, options: DecodeSuiteOptions = {}): E.Either<DslError[], LoadedSuite> {
  const fileError = (message: string, line = 1, col = 1): E.Either<DslError[], LoadedSuite> =>
    E.left([{ file: path, line, col, path: '', message }]);
  const bytes = readRegularFile(path, MAX_SUITE_FILE_BYTES);
  if (E.isLeft(bytes)) {
    const problem = bytes.left;
    switch (problem._tag) {
      case 'Unreadable':
        return fileError(`cannot read the file: ${problem.message}`);
      case 'NotRegular':
        return fileError(
          problem.kind === 'a directory'
            ? 'cannot read the file: it is a directory, not a file'
            : `it is ${problem.kind}, not a regular file; a suite is read from a regular file only (save it to one first)`,
        );
      case 'TooLarge':
        return fileError(
          `the file is ${formatBytes(problem.size)} (${problem.size} bytes); a suite file may be at most ${formatBytes(MAX_SUITE_FILE_BYTES)} (${MAX_SUITE_FILE_BYTES} bytes): split it into several suites`,
        );
    }
  }
  const utf16 = utf16Bom(bytes.right);
  if (utf16 !== undefined) return fileError(`the file is ${utf16} text (it starts with a ${utf16} byte order mark); save it as UTF-8`);
  const text = decodeUtf8(bytes.right);
  if (E.isLeft(text)) {
    const { line, col } = text.left;
    return fileError(`the file is not UTF-8 text (invalid byte at line ${line}, column ${col}); save it as UTF-8`, line, col);
  }
  const nul = text.right.indexOf('\0');
  if (nul >= 0) {
    const before = text.right.slice(0, nul).split('\n');
    const line = before.length;
    const col = [...(before[before.length - 1] ?? '')].length + 1;
    return fileError(
      `the file holds a NUL character (at line ${line}, column ${col}): it is binary, or UTF-16 text without a byte order mark; save it as UTF-8`,
      line,
      col,
    );
  }
  return decodeSuiteText(text.right, path, options);
}

/** The encoding named by a UTF-16 or UTF-32 byte order mark at the start, if any. */
function utf16Bom(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0xff && b === 0xfe && c === 0x00 && d === 0x00) return 'UTF-32';
  if (a === 0xff && b === 0xfe) return 'UTF-16';
  if (a === 0xfe && b === 0xff) return 'UTF-16';
  if (a === 0x00 && b === 0x00 && c === 0xfe && d === 0xff) return 'UTF-32';
  return undefined;
}

/** `2 MiB`, `50.5 MiB`, `900 KiB`, `12 bytes` (one decimal at most). */
function formatBytes(n: number): string {
  const round = (x: number): string => x.toFixed(1).replace(/\.0$/, '');
  if (n >= 1024 * 1024) return `${round(n / (1024 * 1024))} MiB`;
  if (n >= 1024) return `${round(n / 1024)} KiB`;
  return `${n} bytes`;
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
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f) || (b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f))
      return i;
    i += size;
  }
  return bytes.length;
}
