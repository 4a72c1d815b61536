import * as E from 'fp-ts/lib/Either.js';
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** Why {@link readRegularFile} read nothing. */
export type ReadProblem =
  /** A named pipe, a device, a socket or a directory: `kind` names it ("a named pipe", "a directory"). */
  | { readonly _tag: 'NotRegular'; readonly kind: FileKind }
  /** Larger than the limit: `size` in bytes. */
  | { readonly _tag: 'TooLarge'; readonly size: number }
  /** Missing, no permission, an I/O error: `message` says which ("no such file"). */
  | { readonly _tag: 'Unreadable'; readonly message: string };

/**
 * Reads a regular file of at most `limit` bytes, synchronously, and never blocks on what is not
 * a regular file. Never throws.
 *
 * Anything else is refused before a byte is read: opening a named pipe (FIFO) for reading
 * waits for a writer, for ever if none comes, and a blocked `open(2)` holds the event loop, so
 * not even a signal handler runs; a device such as `/dev/zero` or `/dev/stdin` never ends or
 * waits for a terminal. The type is checked with `stat` before opening, and again with `fstat`
 * on a descriptor opened with `O_NONBLOCK` (which makes opening a FIFO return at once), so a
 * file swapped for a pipe between the two is refused too. A file bigger than `limit` is
 * refused from its size, without reading it; one that grows while it is read is cut off just
 * past `limit`.
 *
 * readRegularFile('suite.yaml', 1024 * 1024)   // Right(<Buffer ...>)
 * readRegularFile('/tmp/fifo', 1024 * 1024)    // Left({ _tag: 'NotRegular', kind: 'a named pipe' })
 * readRegularFile('/dev/zero', 1024 * 1024)    // Left({ _tag: 'NotRegular', kind: 'a character device' })
 */
export function readRegularFile(path: string, limit: number): E.Either<ReadProblem, Buffer> {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (e) {
    return E.left({ _tag: 'Unreadable', message: readProblem(e) });
  }
  if (!stat.isFile()) return E.left({ _tag: 'NotRegular', kind: fileKind(stat) });
  if (stat.size > limit) return E.left({ _tag: 'TooLarge', size: stat.size });
  let fd: number;
  try {
    // O_NONBLOCK: should the path have become a FIFO since `stat`, this open does not wait for a
    // writer. It changes nothing for a regular file. (Windows has no such flag, and no FIFOs.)
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return E.left({ _tag: 'Unreadable', message: readProblem(e) });
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return E.left({ _tag: 'NotRegular', kind: fileKind(opened) });
    if (opened.size > limit) return E.left({ _tag: 'TooLarge', size: opened.size });
    const chunks: Buffer[] = [];
    const chunk = Buffer.allocUnsafe(64 * 1024);
    let total = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      // The file grew since fstat.
      if (total > limit) return E.left({ _tag: 'TooLarge', size: total });
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return E.right(Buffer.concat(chunks, total));
  } catch (e) {
    return E.left({ _tag: 'Unreadable', message: readProblem(e) });
  } finally {
    closeSync(fd);
  }
}

/** What a file that is not a regular file is, in words. */
export type FileKind = 'a directory' | 'a named pipe' | 'a character device' | 'a block device' | 'a socket' | 'a special file';

function fileKind(stat: Stats): FileKind {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'a special file';
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
