import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSchema } from '../../lib/cli/schema-command.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

describe('cli/schema-command', function () {
  this.timeout(20_000);
  const shipped = readFileSync(join(ROOT, 'schema/rocketship.schema.json'), 'utf8');

  it('runSchema prints the schema the package ships', () => {
    let out = '';
    expect(runSchema({ stdout: (s) => (out += s) })).to.equal(0);
    expect(out).to.equal(shipped);
  });

  it('rocketship schema (the real bin) prints it on stdout, exit 0, nothing on stderr', async () => {
    const result = await runCli(['schema']);
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(0);
    expect(result.stdout).to.equal(shipped);
    expect((JSON.parse(result.stdout) as { $schema: string }).$schema).to.equal('https://json-schema.org/draft/2020-12/schema');
  });

  it('rocketship --help lists it; rocketship schema --help tells how editors use it; an argument is a usage error (exit 2)', async () => {
    expect((await runCli(['--help'])).stdout).to.match(/rocketship schema +print the JSON Schema of suite files/);
    const help = await runCli(['schema', '--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain('# yaml-language-server: $schema=./node_modules/rocketship-rx/schema/rocketship.schema.json');
    expect(help.stdout).to.contain('"yaml.schemas"');
    const wrong = await runCli(['schema', 'out.json']);
    expect(wrong.code).to.equal(2);
    expect(wrong.stdout).to.equal('');
    expect(wrong.stderr).to.equal('rocketship: schema takes no arguments, got out.json (see rocketship schema --help)\n');
  });
});
