import { expect } from 'chai';
import { LOGGED_CHARS, MESSAGE_LINES, shellFailure as shellOutput } from '../../lib/plugins/shell-output.js';
import { formatStepProblem } from '../../lib/step/format-step-problem.js';

/** What the step reports for a script that exited with 1: the failure's message and the logs. */
function shellFailure(stdout: string, stderr: string): { message: string; logs: readonly string[] } {
  const f = shellOutput(stdout, stderr);
  return {
    message: formatStepProblem({ _tag: 'ExitCode', exitCode: 1, signal: undefined, lastError: f.lastError, output: f.output }),
    logs: f.logs,
  };
}

describe('plugins/shell-output', () => {
  it('shows both streams, whole when short, and logs nothing more', () => {
    expect(shellFailure('a\nb', '')).to.deep.equal({
      message: 'shell script exited with code 1\nstdout (2 lines):\n  a\n  b\nstderr: (empty)',
      logs: [],
    });
    expect(shellFailure('', 'x\n\n')).to.deep.equal({
      message: 'shell script exited with code 1: x\nstdout: (empty)\nstderr (3 lines):\n  x\n  \n  ',
      logs: [],
    });
  });

  it(`shows the last ${MESSAGE_LINES} lines of a long stream and logs the whole of it`, () => {
    const out = Array.from({ length: 30 }, (_, i) => `o${i + 1}`).join('\n');
    const r = shellFailure(out, 'e');
    expect(r.message.split('\n').slice(0, 3)).to.deep.equal([
      'shell script exited with code 1: e',
      'stdout (last 20 of 30 lines):',
      '  o11',
    ]);
    expect(r.logs).to.deep.equal([`stdout of the failed script (30 lines):\n${out}`]);
  });

  it('cuts long lines and keeps each stream under 3,000 characters in the message', () => {
    const line = 'x'.repeat(1000);
    const r = shellFailure(`${line}\n${line}`, `${'y'.repeat(50)}\n`.repeat(100));
    const lines = r.message.split('\n');
    expect(lines[1]).to.equal('stdout (2 lines):');
    expect(lines[2]).to.equal(`  ${'x'.repeat(300)}…`);
    expect(r.message.length).to.be.below(3000 + 3000 + 200);
    // The lines were cut, so the whole stream is logged.
    expect(r.logs[0]?.startsWith('stdout of the failed script (2 lines):\n')).to.equal(true);
  });

  it(`logs at most the last ${LOGGED_CHARS} characters, from a whole line`, () => {
    const out = Array.from({ length: 20_000 }, (_, i) => `line ${i + 1}`).join('\n');
    const [log] = shellFailure(out, '').logs;
    const body = log?.slice(log.indexOf('\n') + 1) ?? '';
    expect(body.length).to.be.at.most(LOGGED_CHARS);
    expect(body.startsWith('line ')).to.equal(true);
    expect(out.endsWith(body)).to.equal(true);
    expect(out[out.length - body.length - 1]).to.equal('\n');
  });
});
