import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import {
  INIT_HELP,
  MAIN_HELP,
  parseArgs,
  PLAN_HELP,
  RUN_HELP,
  SCHEMA_HELP,
  UsageError,
  VALIDATE_HELP,
  type RunArgs,
} from '../../lib/cli/parse-args.js';

function usage(argv: string[]): UsageError {
  const parsed = parseArgs(argv);
  if (E.isRight(parsed)) return expect.fail(`parsed: ${JSON.stringify(parsed.right)}`);
  return parsed.left;
}

/** The arguments of a `run` line, failing the spec if it is not one. */
function run(argv: string[]): RunArgs {
  const parsed = parseArgs(['run', ...argv]);
  if (E.isLeft(parsed) || parsed.right._tag !== 'Run') return expect.fail(`not a run: ${JSON.stringify(parsed)}`);
  return parsed.right.args;
}

describe('cli/parse-args', () => {
  it("help: no arguments, -h, --help and help print the main help; help COMMAND that command's", () => {
    for (const argv of [[], ['-h'], ['--help'], ['help'], ['help', 'bogus']]) {
      expect(parseArgs(argv), JSON.stringify(argv)).to.deep.equal(E.right({ _tag: 'Help', text: MAIN_HELP }));
    }
    expect(parseArgs(['help', 'run'])).to.deep.equal(E.right({ _tag: 'Help', text: RUN_HELP }));
    expect(parseArgs(['help', 'validate'])).to.deep.equal(E.right({ _tag: 'Help', text: VALIDATE_HELP }));
    expect(parseArgs(['help', 'plan'])).to.deep.equal(E.right({ _tag: 'Help', text: PLAN_HELP }));
    expect(parseArgs(['plan', '-h'])).to.deep.equal(E.right({ _tag: 'Help', text: PLAN_HELP }));
    expect(parseArgs(['run', '-h'])).to.deep.equal(E.right({ _tag: 'Help', text: RUN_HELP }));
    expect(parseArgs(['validate', 'a.yaml', '--help'])).to.deep.equal(E.right({ _tag: 'Help', text: VALIDATE_HELP }));
    expect(parseArgs(['help', 'init'])).to.deep.equal(E.right({ _tag: 'Help', text: INIT_HELP }));
    expect(parseArgs(['init', '--help'])).to.deep.equal(E.right({ _tag: 'Help', text: INIT_HELP }));
    expect(parseArgs(['help', 'schema'])).to.deep.equal(E.right({ _tag: 'Help', text: SCHEMA_HELP }));
    expect(parseArgs(['schema', '-h'])).to.deep.equal(E.right({ _tag: 'Help', text: SCHEMA_HELP }));
    expect(MAIN_HELP).to.contain('rocketship init [FILE]').and.to.contain('rocketship schema');
  });

  it('init: one FILE (default rocketship.yaml) and --schema PATH|URL', () => {
    expect(parseArgs(['init'])).to.deep.equal(E.right({ _tag: 'Init', args: { file: 'rocketship.yaml', schema: undefined } }));
    expect(parseArgs(['init', 'api.yaml', '--schema', 'https://example.com/s.json'])).to.deep.equal(
      E.right({ _tag: 'Init', args: { file: 'api.yaml', schema: 'https://example.com/s.json' } }),
    );
    expect(parseArgs(['init', '--schema=s.json', '--', '-odd.yaml'])).to.deep.equal(
      E.right({ _tag: 'Init', args: { file: '-odd.yaml', schema: 's.json' } }),
    );
    expect(usage(['init', 'a.yaml', 'b.yaml']).message).to.equal(
      'init writes one file, got 2: a.yaml, b.yaml (see rocketship init --help)',
    );
    expect(usage(['init', '--schema']).message).to.equal('option --schema needs a PATH or URL (see rocketship init --help)');
    expect(usage(['init', '--shema', 'x']).message).to.equal(
      'unknown option --shema for "init"; did you mean --schema? (see rocketship init --help)',
    );
  });

  it('schema: no arguments', () => {
    expect(parseArgs(['schema'])).to.deep.equal(E.right({ _tag: 'Schema' }));
    expect(usage(['schema', 'out.json']).message).to.equal('schema takes no arguments, got out.json (see rocketship schema --help)');
    expect(usage(['schema', '--json']).message).to.equal('unknown option --json for "schema" (see rocketship schema --help)');
  });

  it('version: --version, -V and version', () => {
    for (const argv of [['--version'], ['-V'], ['version']]) expect(parseArgs(argv)).to.deep.equal(E.right({ _tag: 'Version' }));
  });

  it('an unknown command is a usage error naming the commands', () => {
    expect(usage(['runn', '-f', 'a.yaml']).message).to.equal(
      'unknown command "runn"; commands: run, validate, plan, worker, init, schema (see rocketship --help)',
    );
  });

  it('plan: the inputs of run, --concurrency, --sequential and --format text|json; the defaults', () => {
    expect(parseArgs(['plan'])).to.deep.equal(
      E.right({
        _tag: 'Plan',
        args: {
          files: [],
          dirs: [],
          vars: [],
          varFiles: [],
          envFiles: [],
          secrets: [],
          tests: [],
          grep: undefined,
          concurrency: 8,
          sequential: false,
          format: 'text',
        },
      }),
    );
    const all = ['a.yaml', '-f', 'b.yaml', '-d', 'dir', '--var', 'k=v', '--var-file', 'v.yaml', '--env-file', '.env', '--secret', 'T=x'];
    expect(
      parseArgs(['plan', ...all, '--test', 't', '--grep', '^x', '--concurrency', '2', '--sequential', '--format=json', '--', '-odd.yaml']),
    ).to.deep.equal(
      E.right({
        _tag: 'Plan',
        args: {
          files: ['a.yaml', 'b.yaml', '-odd.yaml'],
          dirs: ['dir'],
          vars: ['k=v'],
          varFiles: ['v.yaml'],
          envFiles: ['.env'],
          secrets: ['T=x'],
          tests: ['t'],
          grep: '^x',
          concurrency: 2,
          sequential: true,
          format: 'json',
        },
      }),
    );
    expect(usage(['plan', '--format', 'yaml']).message).to.equal('option --format: expected text or json, got "yaml"');
    expect(usage(['plan', '--concurency', '2']).message).to.equal(
      'unknown option --concurency for "plan"; did you mean --concurrency? (see rocketship plan --help)',
    );
    expect(usage(['plan', '--grep', '(']).message).to.match(/^option --grep: invalid regular expression "\("/);
    expect(usage(['plan', '--bail']).message).to.match(/^unknown option --bail for "plan"/);
  });

  it('run: the defaults, when no option is given', () => {
    expect(run([])).to.deep.equal({
      files: [],
      dirs: [],
      vars: [],
      varFiles: [],
      envFiles: [],
      secrets: [],
      tests: [],
      grep: undefined,
      bail: false,
      sequential: false,
      concurrency: 8,
      concurrencyGiven: false,
      maxConnections: undefined,
      reports: [],
      verbose: false,
      color: undefined,
      debug: false,
      redis: undefined,
      queue: undefined,
      redisTimeout: undefined,
      retention: undefined,
      attach: undefined,
      maxBodyBytes: undefined,
      maxResponseBytes: undefined,
      quiet: false,
      heartbeat: undefined,
      rerunFailed: false,
      lastRun: undefined,
      watch: false,
    });
  });

  it('run: every option, long and short; repeatable ones keep their order; nothing is read (pure)', () => {
    const args = run([
      ...['-f', 'missing/a.yaml', '--file', 'b.yaml', '-d', 'suites', '--dir', 'more'],
      ...['--var', 'api.url=http://x', '--var', 'n=2', '--var-file', 'v.yaml', '--env-file', '.env', '--secret', 'TOKEN=t0k'],
      ...['--test', 'One', '--test', 'Two', '--grep', '^Job', '--bail', '--concurrency', '3', '--max-connections', '4'],
      ...[
        '--report',
        'json=r.json',
        '--report',
        'junit=r.xml',
        '-v',
        '--no-color',
        '--debug',
        '--max-body-bytes',
        '1024',
        '--max-response-bytes',
        '2048',
      ],
    ]);
    expect(args).to.deep.equal({
      files: ['missing/a.yaml', 'b.yaml'],
      dirs: ['suites', 'more'],
      vars: ['api.url=http://x', 'n=2'],
      varFiles: ['v.yaml'],
      envFiles: ['.env'],
      secrets: ['TOKEN=t0k'],
      tests: ['One', 'Two'],
      grep: '^Job',
      bail: true,
      sequential: false,
      concurrency: 3,
      concurrencyGiven: true,
      maxConnections: 4,
      reports: [
        { format: 'json', path: 'r.json' },
        { format: 'junit', path: 'r.xml' },
      ],
      verbose: true,
      color: false,
      debug: true,
      maxBodyBytes: 1024,
      maxResponseBytes: 2048,
      quiet: false,
      heartbeat: undefined,
      rerunFailed: false,
      lastRun: undefined,
      watch: false,
      redis: undefined,
      queue: undefined,
      redisTimeout: undefined,
      retention: undefined,
      attach: undefined,
    });
  });

  it('run: --rerun-failed, --last-run PATH, --watch', () => {
    expect(run(['--rerun-failed', '--last-run', 'state/last.json', '--watch'])).to.deep.include({
      rerunFailed: true,
      lastRun: 'state/last.json',
      watch: true,
    });
    expect(usage(['run', '--last-run']).message).to.equal('option --last-run needs a value (see rocketship run --help)');
    expect(usage(['run', '--rerun-faild']).message).to.match(/did you mean --rerun-failed\?/);
    expect(RUN_HELP)
      .to.match(/--rerun-failed/)
      .and.match(/--last-run PATH/)
      .and.match(/--watch/);
  });

  it('run: -q/--quiet, and --heartbeat DURATION in ms (0 turns it off)', () => {
    expect(run(['-q'])).to.deep.include({ quiet: true, heartbeat: undefined });
    expect(run(['--quiet', '--heartbeat', '30s'])).to.deep.include({ quiet: true, heartbeat: 30_000 });
    expect(run(['--heartbeat=1m30s']).heartbeat).to.equal(90_000);
    expect(run(['--heartbeat', '500ms']).heartbeat).to.equal(500);
    expect(run(['--heartbeat', '0']).heartbeat).to.equal(0);
  });

  it("run: -af FILE is -a -f FILE (Rocketship's spelling), --opt=value is --opt value, the last --color/--no-color wins", () => {
    expect(run(['-af', 'suite.yaml'])).to.deep.include({ files: ['suite.yaml'] });
    expect(run(['-vf', 'suite.yaml'])).to.deep.include({ files: ['suite.yaml'], verbose: true });
    expect(run(['--file=a=b.yaml', '--report=junit=out/r.xml', '--concurrency=2'])).to.deep.include({
      files: ['a=b.yaml'],
      reports: [{ format: 'junit', path: 'out/r.xml' }],
      concurrency: 2,
    });
    expect(run(['--no-color', '--color']).color).to.equal(true);
    expect(run(['--color', '--no-color']).color).to.equal(false);
  });

  it('run: usage errors name the option and what was wrong', () => {
    const cases: ReadonlyArray<readonly [string[], string]> = [
      [['run', '-f'], 'option -f needs a value (see rocketship run --help)'],
      [['run', '--report'], 'option --report needs a value (see rocketship run --help)'],
      [['run', '--var', 'novalue'], 'option --var: expected NAME=VALUE, got "novalue"'],
      [['run', '--secret', '=x'], 'option --secret: expected NAME=VALUE, got "=x"'],
      [['run', '--report', 'pdf=r.pdf'], 'option --report: expected json=PATH, junit=PATH or html=PATH, got "pdf=r.pdf"'],
      [['run', '--report', 'html='], 'option --report: expected json=PATH, junit=PATH or html=PATH, got "html="'],
      [['run', '--concurrency', '2.5'], 'option --concurrency: expected an integer >= 1, got "2.5"'],
      [['run', '--max-body-bytes', 'lots'], 'option --max-body-bytes: expected an integer >= 1, got "lots"'],
      [['run', '-x'], 'unknown option -x for "run" (see rocketship run --help)'],
      [['run', '--heartbeat', '10'], 'option --heartbeat: expected a duration such as 10s or 1m (0 turns it off), got "10"'],
      [['run', '--heartbeat', '-1s'], 'option --heartbeat: expected a duration such as 10s or 1m (0 turns it off), got "-1s"'],
      [['run', '-q', '-v'], 'options --quiet and --verbose cannot be used together: choose one'],
      [
        ['run', '--report', 'json=-', '--report', 'junit=-'],
        'option --report junit=-: --report json=- writes to stdout already; one report at most can go to stdout',
      ],
    ];
    for (const [argv, message] of cases) {
      const error = usage(argv);
      expect(error, argv.join(' ')).to.be.instanceOf(UsageError);
      expect(error.message, argv.join(' ')).to.equal(message);
    }
    expect(usage(['run', '--grep', '(']).message).to.match(/^option --grep: invalid regular expression "\(": /);
  });

  it('run: suite files without a flag, as a shell glob gives them, in order with -f; after --, anything is a file (issue 12, item 10)', () => {
    expect(run(['a.yaml', 'b.yaml'])).to.deep.include({ files: ['a.yaml', 'b.yaml'] });
    // `-f a.yaml b.yaml`: -f takes one value, the rest are files too, in the order given.
    expect(run(['-f', 'a.yaml', 'b.yaml', '-f', 'c.yaml', 'd.yaml'])).to.deep.include({ files: ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml'] });
    expect(run(['-af', 'a.yaml', 'b.yaml', '--bail'])).to.deep.include({ files: ['a.yaml', 'b.yaml'], bail: true });
    expect(run(['a.yaml', '--', '-odd.yaml', '--bail'])).to.deep.include({ files: ['a.yaml', '-odd.yaml', '--bail'], bail: false });
    // `-` alone is a path (stdin), refused later as not a regular file.
    expect(run(['-'])).to.deep.include({ files: ['-'] });
  });

  it('run: --sequential; the help shows FILE arguments', () => {
    expect(run(['--sequential', 'a.yaml']).sequential).to.equal(true);
    expect(RUN_HELP).to.contain('--sequential');
    expect(RUN_HELP).to.match(/^Usage: rocketship run \[FILE\.\.\.\]/);
    expect(MAIN_HELP).to.contain('rocketship run [FILE...]');
  });

  it('run: --report FORMAT=- is stdout, for one report at most (issue 12, item 12)', () => {
    expect(run(['--report', 'json=-', '--report', 'junit=out.xml']).reports).to.deep.equal([
      { format: 'json', path: '-' },
      { format: 'junit', path: 'out.xml' },
    ]);
    expect(RUN_HELP).to.match(/PATH - is\s+stdout/);
    expect(RUN_HELP).to.contain('docs/json-report.md');
  });

  it('run: --report html=PATH, with the others, in the order given (issue 14, part 2)', () => {
    expect(run(['--report', 'html=out/report.html', '--report=json=r.json', '--report', 'html=-']).reports).to.deep.equal([
      { format: 'html', path: 'out/report.html' },
      { format: 'json', path: 'r.json' },
      { format: 'html', path: '-' },
    ]);
    expect(RUN_HELP).to.match(/--report FORMAT=PATH write a report: json=PATH, junit=PATH or html=PATH/);
    expect(RUN_HELP).to.match(/html: one self-contained page/);
  });

  it('an unknown option gets a did-you-mean when one is close (issue 12, item 11)', () => {
    const cases: ReadonlyArray<readonly [string[], string]> = [
      [['run', '--verbos'], 'unknown option --verbos for "run"; did you mean --verbose? (see rocketship run --help)'],
      [['run', '--concurency', '2'], 'unknown option --concurency for "run"; did you mean --concurrency? (see rocketship run --help)'],
      [['run', '--var_file', 'v.yaml'], 'unknown option --var_file for "run"; did you mean --var-file? (see rocketship run --help)'],
      [['run', '--sequencial'], 'unknown option --sequencial for "run"; did you mean --sequential? (see rocketship run --help)'],
      [['run', '--reports=json=r.json'], 'unknown option --reports for "run"; did you mean --report? (see rocketship run --help)'],
      // One dash for a long option: named as written, not as letters.
      [['run', '-verbose'], 'unknown option -verbose for "run"; did you mean --verbose? (see rocketship run --help)'],
      [['run', '--banana'], 'unknown option --banana for "run" (see rocketship run --help)'],
      [['validate', 'a.yaml', '--jsn'], 'unknown option --jsn for "validate"; did you mean --json? (see rocketship validate --help)'],
    ];
    for (const [argv, message] of cases) expect(usage(argv).message, argv.join(' ')).to.equal(message);
  });

  it('validate: paths (- included) and --json; at least one path; no other option', () => {
    const none = { vars: [], varFiles: [], envFiles: [], secrets: [] };
    expect(parseArgs(['validate', 'a.yaml', 'dir', '-'])).to.deep.equal(
      E.right({ _tag: 'Validate', args: { paths: ['a.yaml', 'dir', '-'], json: false, ...none } }),
    );
    expect(parseArgs(['validate', '--json', 'a.yaml'])).to.deep.equal(
      E.right({ _tag: 'Validate', args: { paths: ['a.yaml'], json: true, ...none } }),
    );
    expect(usage(['validate']).message).to.equal('validate needs at least one FILE or DIR (see rocketship validate --help)');
    expect(usage(['validate', '--json']).message).to.equal('validate needs at least one FILE or DIR (see rocketship validate --help)');
    expect(usage(['validate', 'a.yaml', '--strict']).message).to.equal(
      'unknown option --strict for "validate" (see rocketship validate --help)',
    );
  });

  it('validate: --var, --var-file, --env-file and --secret as run takes them (--secret NAME alone too), for the template check', () => {
    expect(
      parseArgs([
        'validate',
        '--var',
        'api.url=http://x',
        '--var=n=2',
        '--var-file',
        'v.yaml',
        '--env-file',
        '.env',
        '--secret',
        'TOKEN',
        '--secret',
        'PW=x',
        'a.yaml',
      ]),
    ).to.deep.equal(
      E.right({
        _tag: 'Validate',
        args: {
          paths: ['a.yaml'],
          json: false,
          vars: ['api.url=http://x', 'n=2'],
          varFiles: ['v.yaml'],
          envFiles: ['.env'],
          secrets: ['TOKEN', 'PW=x'],
        },
      }),
    );
    expect(usage(['validate', 'a.yaml', '--var', 'novalue']).message).to.equal('option --var: expected NAME=VALUE, got "novalue"');
    expect(usage(['validate', 'a.yaml', '--var-file']).message).to.equal(
      'option --var-file needs a value (see rocketship validate --help)',
    );
    expect(usage(['validate', 'a.yaml', '--secret', '=x']).message).to.equal('option --secret: expected NAME or NAME=VALUE, got "=x"');
    expect(VALIDATE_HELP).to.contain('--var KEY=VALUE').and.contain('--secret NAME[=VALUE]').and.contain('{{ .vars.api_url }/health');
  });

  it('--max-connections N: a positive integer, undefined by default', () => {
    const parsed = parseArgs(['run', '-f', 'a.yaml', '--max-connections', '16']);
    if (E.isLeft(parsed) || parsed.right._tag !== 'Run') return expect.fail(String(parsed));
    expect(parsed.right.args).to.include({ maxConnections: 16, concurrency: 8 });
    const plain = parseArgs(['run']);
    expect(E.isRight(plain) && plain.right._tag === 'Run' && plain.right.args.maxConnections).to.equal(undefined);
    expect(usage(['run', '--max-connections', '0']).message).to.equal('option --max-connections: expected an integer >= 1, got "0"');
  });

  it('--max-response-bytes N: a positive integer, undefined by default (the client then holds at most 50 MiB of bodies at once)', () => {
    const parsed = parseArgs(['run', '--max-response-bytes', '1048576']);
    if (E.isLeft(parsed) || parsed.right._tag !== 'Run') return expect.fail(String(parsed));
    expect(parsed.right.args).to.include({ maxResponseBytes: 1_048_576 });
    const plain = parseArgs(['run']);
    expect(E.isRight(plain) && plain.right._tag === 'Run' && plain.right.args.maxResponseBytes).to.equal(undefined);
    expect(usage(['run', '--max-response-bytes', '-1']).message).to.match(/^option --max-response-bytes: expected an integer >= 1/);
    expect(RUN_HELP).to.contain('--max-response-bytes N');
  });

  it('a usage error carries every well-formed --report of the line, before and after the mistake', () => {
    const error = usage([
      'run',
      '--report',
      'json=a.json',
      '--concurrency',
      'zero',
      '--bogus',
      '--report=junit=b.xml',
      '--report',
      'xml=c',
    ]);
    expect(error).to.be.instanceOf(UsageError);
    // The first mistake is the one reported.
    expect(error.message).to.equal('option --concurrency: expected an integer >= 1, got "zero"');
    expect(error.reports).to.deep.equal([
      { format: 'json', path: 'a.json' },
      { format: 'junit', path: 'b.xml' },
    ]);
    expect(usage(['run', '--bogus']).reports).to.deep.equal([]);
    expect(usage(['bogus', '--report', 'json=a.json']).reports).to.deep.equal([]);
  });

  it('--help after a mistake does not hide it; before one, it wins as before', () => {
    expect(usage(['run', '--bogus', '--help']).message).to.match(/^unknown option --bogus/);
    expect(parseArgs(['run', '--help', '--bogus'])).to.deep.equal(E.right({ _tag: 'Help', text: RUN_HELP }));
  });

  it('the help names the new flags and exit codes', () => {
    expect(RUN_HELP).to.contain('--max-connections N').and.contain('129 hung up (SIGHUP)').and.contain('across all suites');
  });

  describe('distributed runs', () => {
    it('run --redis URL --queue NAME --redis-timeout D --retention D; worker --redis URL --concurrency N', () => {
      const parsed = parseArgs([
        'run',
        '--redis',
        'rediss://u:p@h:6380',
        '--queue',
        'team-a',
        '--redis-timeout',
        '30s',
        '--retention',
        '2h',
      ]);
      expect(parsed._tag === 'Right' && parsed.right._tag === 'Run' && parsed.right.args).to.deep.include({
        redis: 'rediss://u:p@h:6380',
        queue: 'team-a',
        redisTimeout: 30_000,
        retention: 7_200_000,
      });
      const worker = parseArgs(['worker', '--redis', 'redis://127.0.0.1:6379', '--concurrency', '3']);
      expect(worker).to.deep.equal({
        _tag: 'Right',
        right: { _tag: 'Worker', args: { redis: 'redis://127.0.0.1:6379', queue: undefined, concurrency: 3, maxConnections: undefined } },
      });
    });

    it('run --attach RUN_ID: with --redis; alone, with a bad id, with --watch or --rerun-failed it is a usage error', () => {
      const parsed = parseArgs(['run', '-f', 'a.yaml', '--redis', 'redis://h', '--attach', '3f9c0a1b2c4d']);
      expect(parsed._tag === 'Right' && parsed.right._tag === 'Run' && parsed.right.args).to.deep.include({
        files: ['a.yaml'],
        redis: 'redis://h',
        attach: '3f9c0a1b2c4d',
      });
      const message = (argv: string[]) => {
        const result = parseArgs(argv);
        return result._tag === 'Left' ? result.left.message : '';
      };
      expect(message(['run', '--attach', '3f9c0a1b2c4d'])).to.equal('option --attach is for distributed runs: give --redis URL too');
      expect(message(['run', '--redis', 'redis://h', '--attach'])).to.equal('option --attach needs a value (see rocketship run --help)');
      expect(message(['run', '--redis', 'redis://h', '--attach', 'a b'])).to.equal(
        `option --attach: expected a run id (letters, digits, '_' or '-', as RUN_ID printed it), got "a b"`,
      );
      expect(message(['run', '--redis', 'redis://h', '--attach', 'x', '--watch'])).to.equal(
        'option --attach takes over a run as it was started: it cannot be used with --watch',
      );
      expect(message(['run', '--redis', 'redis://h', '--attach', 'x', '--rerun-failed'])).to.match(/cannot be used with --rerun-failed$/);
      expect(RUN_HELP).to.contain('--attach RUN_ID').and.contain('the suite arguments (FILE, -f, -d, --var,');
    });

    it('refuses a URL that is not redis:// or rediss://, queue flags without --redis, and a worker without --redis', () => {
      const message = (argv: string[]) => {
        const parsed = parseArgs(argv);
        return parsed._tag === 'Left' ? parsed.left.message : '';
      };
      expect(message(['run', '--redis', 'http://h'])).to.equal('option --redis: expected a redis:// or rediss:// URL, got one with http:');
      expect(message(['run', '--queue', 'q'])).to.equal('option --queue is for distributed runs: give --redis URL too');
      expect(message(['worker'])).to.equal('rocketship worker needs --redis URL (see rocketship worker --help)');
      expect(message(['worker', '--redis', 'redis://h', '--concurency', '2'])).to.include('did you mean --concurrency?');
    });
  });
});
