/** How many of a stream's last lines a failure message shows. */
export const MESSAGE_LINES = 20;
/** The most characters of one line a failure message shows. */
const MESSAGE_LINE_CHARS = 300;
/** The most characters of one stream a failure message shows. */
const MESSAGE_STREAM_CHARS = 3000;
/** The most characters of one stream logged, its end kept. */
export const LOGGED_CHARS = 64 * 1024;

/** A failed shell script, as the step reports it (see the `ExitCode` failure). */
export interface ShellFailure {
  /** The last non-empty line of stderr, cut to one line, when there is one. */
  readonly lastError: string | undefined;
  /** The message's lines after its head: the last lines of stdout and of stderr. */
  readonly output: readonly string[];
  /** Log lines with the whole of each stream that the message could not show (its last 64 KiB). */
  readonly logs: readonly string[];
}

/**
 * What a shell script that exited non-zero reports: both streams, bounded. The message (what the
 * console prints under the step, and JUnit's failure) shows the last {@link MESSAGE_LINES} lines
 * of stdout and of stderr; a stream longer than that is also given as a log line, whole up to
 * its last {@link LOGGED_CHARS} characters, which the JSON report keeps in the step's `logs` and
 * JUnit in `<system-out>`.
 *
 * const f = shellFailure('building\nstep 2', 'broken');
 * formatStepProblem({ _tag: 'ExitCode', exitCode: 3, signal: undefined, ...f })
 * // shell script exited with code 3: broken
 * // stdout (2 lines):
 * //   building
 * //   step 2
 * // stderr (1 line):
 * //   broken
 */
export function shellFailure(stdout: string, stderr: string): ShellFailure {
  const lastError = lastLine(stderr);
  const logs = [logged('stdout', stdout), logged('stderr', stderr)].filter((l): l is string => l !== undefined);
  return {
    lastError: lastError === undefined ? undefined : cutLine(lastError),
    output: [...section('stdout', stdout), ...section('stderr', stderr)],
    logs,
  };
}

function lines(text: string): string[] {
  return text === '' ? [] : text.split(/\r?\n/);
}

function lastLine(text: string): string | undefined {
  return lines(text)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .pop();
}

/** The lines the message shows of a stream, and whether that is all of it. */
function shown(text: string): { readonly lines: readonly string[]; readonly all: boolean } {
  const all = lines(text);
  const kept: string[] = [];
  let chars = 0;
  for (let i = all.length - 1; i >= 0 && kept.length < MESSAGE_LINES; i -= 1) {
    const line = cutLine(all[i] as string);
    if (chars + line.length > MESSAGE_STREAM_CHARS && kept.length > 0) break;
    kept.unshift(line);
    chars += line.length;
  }
  return { lines: kept, all: kept.length === all.length && kept.every((l, i) => l === all[i]) };
}

function section(name: string, text: string): string[] {
  const total = lines(text).length;
  if (total === 0) return [`${name}: (empty)`];
  const { lines: kept } = shown(text);
  const count = kept.length === total ? `${total} ${total === 1 ? 'line' : 'lines'}` : `last ${kept.length} of ${total} lines`;
  return [`${name} (${count}):`, ...kept.map((l) => `  ${l}`)];
}

function logged(name: string, text: string): string | undefined {
  if (text === '' || shown(text).all) return undefined;
  const total = lines(text).length;
  if (text.length <= LOGGED_CHARS) return `${name} of the failed script (${total} lines):\n${text}`;
  // The end of the stream, from the first whole line within the last LOGGED_CHARS characters.
  let tail = text.slice(-LOGGED_CHARS);
  const firstBreak = tail.indexOf('\n');
  if (firstBreak >= 0 && firstBreak < tail.length - 1) tail = tail.slice(firstBreak + 1);
  return `${name} of the failed script (${total} lines, ${Math.ceil(text.length / 1024)} KiB; the last ${lines(tail).length} lines):\n${tail}`;
}

function cutLine(line: string): string {
  return line.length > MESSAGE_LINE_CHARS ? `${line.slice(0, MESSAGE_LINE_CHARS)}…` : line;
}
