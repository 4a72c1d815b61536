/**
 * The suite files our CLI runs in each workload, as YAML text. `base` is the bench server's URL.
 * Each workload's floor (bench/floor/*.mjs) sends the same requests and checks the same things.
 */

/** One GET with a status assertion. */
export function startupSuite(base: string): string {
  return `name: startup
tests:
  - name: get
    steps:
      - name: get
        plugin: http
        config: { method: GET, url: "${base}/ok/1" }
        assertions:
          - { type: status_code, expected: 200 }
`;
}

/**
 * The start-up suite with the check most suites have besides the status: a `json_path` assertion
 * on the body (`.n` of `/ok/1`, which is 1).
 */
export function startupJsonSuite(base: string): string {
  return `${startupSuite(base)}          - { type: json_path, path: .n, expected: 1 }
`;
}

/** One test of `steps` GETs of /ok/<i>, each with a status and a json_path assertion. */
export function sequentialSuite(base: string, steps: number): string {
  const lines = ['name: sequential', 'tests:', '  - name: sequential', '    steps:'];
  for (let i = 0; i < steps; i++) {
    lines.push(
      `      - name: get ${i}`,
      '        plugin: http',
      `        config: { method: GET, url: "${base}/ok/${i}" }`,
      '        assertions:',
      '          - { type: status_code, expected: 200 }',
      `          - { type: json_path, path: .n, expected: ${i} }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One poll of /poll/<key> that the server completes on attempt `attempts`. */
export function pollSuite(base: string, key: string, options: { intervalMs: number; coefficient: number; attempts: number }): string {
  return `name: poll
tests:
  - name: poll
    steps:
      - name: poll
        plugin: http
        config:
          method: GET
          url: "${base}/poll/${key}?done=${options.attempts}"
          polling:
            interval: ${options.intervalMs}ms
            timeout: 120s
            max_attempts: ${options.attempts + 5}
${options.coefficient === 1 ? '' : `            backoff_coefficient: ${options.coefficient}\n`}            conditions:
              - { type: json_path, path: .status, expected: done }
`;
}

/**
 * Tests of the fan-out workload: `tests` tests, each one poll of /poll/fan-<i> completing on
 * attempt `attempts`, as several suite files of at most `perFile` tests (a suite file may be at
 * most 2 MiB; the CLI runs the files of one run concurrently). With `prefix` `big/big-`, the
 * large-bodies workload's polls of /big/big-<i> (9.9 MiB bodies).
 */
export function fanOutSuites(
  base: string,
  tests: number,
  options: { intervalMs: number; attempts: number; perFile: number; prefix?: string },
): string[] {
  const files: string[] = [];
  for (let start = 0; start < tests; start += options.perFile) {
    const lines = [`name: fan-out ${files.length + 1}`, 'tests:'];
    for (let i = start; i < Math.min(tests, start + options.perFile); i++) {
      lines.push(
        `  - name: poll ${i}`,
        '    steps:',
        '      - name: poll',
        '        plugin: http',
        '        config:',
        '          method: GET',
        `          url: "${base}/${options.prefix ?? 'poll/fan-'}${i}?done=${options.attempts}"`,
        '          polling:',
        `            interval: ${options.intervalMs}ms`,
        '            timeout: 120s',
        `            max_attempts: ${options.attempts * 2}`,
        '            conditions:',
        '              - { type: json_path, path: .status, expected: done }',
      );
    }
    files.push(`${lines.join('\n')}\n`);
  }
  return files;
}
