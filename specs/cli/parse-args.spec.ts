import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { parseArgs, RUN_HELP, UsageError } from '../../lib/cli/parse-args.js';

function usage(argv: string[]): UsageError {
  const parsed = parseArgs(argv);
  if (E.isRight(parsed)) return expect.fail(`parsed: ${JSON.stringify(parsed.right)}`);
  return parsed.left;
}

describe('cli/parse-args', () => {
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
    const error = usage(['run', '--report', 'json=a.json', '--concurrency', 'zero', '--bogus', '--report=junit=b.xml', '--report', 'xml=c']);
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
});
