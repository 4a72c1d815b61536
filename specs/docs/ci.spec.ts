import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseArgs, RUN_HELP } from '../../lib/cli/parse-args.js';
import { ROOT } from '../helpers/run-cli.js';

/**
 * docs/ci.md: the GitHub Actions and GitLab CI jobs in it are YAML that parses, run `rocketship run`
 * with options that exist, and publish the files that command writes.
 */
const DOC = readFileSync(join(ROOT, 'docs/ci.md'), 'utf8');

/** The ```yaml block of the doc whose first line is `# <file>`, parsed. */
function job(file: string): Record<string, unknown> {
  const blocks = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  const block = blocks.find((b) => b.startsWith(`# ${file}\n`));
  if (block === undefined) return expect.fail(`docs/ci.md has no yaml block starting "# ${file}"`);
  return parse(block) as Record<string, unknown>;
}

/**
 * The argv of the `rocketship` command in a shell line, after `npx rocketship`; GitHub's
 * `${{ ... }}` expressions (substituted before the shell runs) stand as one word.
 */
function rocketshipArgv(line: string): string[] {
  const words = line
    .replace(/\$\{\{[^}]*\}\}/g, 'EXPR')
    .trim()
    .split(/\s+/);
  expect(line, 'quotes would need a real shell parser here').to.not.match(/["']/);
  expect(words.slice(0, 2)).to.deep.equal(['npx', 'rocketship']);
  return words.slice(2);
}

/** `--report FORMAT=PATH` of an argv, by format. */
function reports(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  argv.forEach((word, i) => {
    if (word !== '--report') return;
    const [format, path] = (argv[i + 1] as string).split('=') as [string, string];
    out[format] = path;
  });
  return out;
}

/** The argv parses as a `rocketship run` of every suite below `.`, with a `base_url` var, a JUnit and an HTML report. */
function expectRunLine(argv: readonly string[], expected: { junit: string; html: string }): void {
  const parsed = parseArgs(argv);
  if (E.isLeft(parsed)) return expect.fail(parsed.left.message);
  if (parsed.right._tag !== 'Run') return expect.fail(`not a run: ${parsed.right._tag}`);
  expect(parsed.right.args).to.deep.include({
    dirs: ['.'],
    reports: [
      { format: 'junit', path: expected.junit },
      { format: 'html', path: expected.html },
    ],
  });
  expect(parsed.right.args.vars.map((v) => v.split('=')[0])).to.deep.equal(['base_url']);
  for (const option of argv.filter((w) => w.startsWith('-'))) expect(RUN_HELP, `${option} in run --help`).to.contain(option);
}

describe('docs/ci.md', () => {
  it('GitHub Actions: runs the suites with a JUnit and an HTML report, publishes the JUnit file and keeps both', () => {
    const workflow = job('.github/workflows/api-tests.yml');
    expect(workflow).to.have.keys('name', 'on', 'jobs');
    expect(workflow['on']).to.have.keys('push', 'pull_request');
    const jobs = workflow['jobs'] as Record<
      string,
      { 'runs-on': string; permissions: Record<string, string>; steps: Record<string, any>[] }
    >;
    const { 'runs-on': runsOn, permissions, steps } = jobs['api-tests'] ?? expect.fail('no api-tests job');
    expect(runsOn).to.equal('ubuntu-latest');
    expect(permissions).to.deep.include({ checks: 'write' });

    const at = (predicate: (s: Record<string, any>) => boolean) => steps.findIndex(predicate);
    const setup = steps[at((s) => String(s['uses']).startsWith('actions/setup-node@'))];
    expect(Number(setup?.['with']['node-version'])).to.be.at.least(20);
    const install = at((s) => s['run'] === 'npm ci');
    const run = at((s) => /rocketship run/.test(String(s['run'])));
    expect(install).to.be.within(0, run - 1);
    const argv = rocketshipArgv(steps[run]?.['run'] as string);
    const { junit, html } = reports(argv);
    expect(junit).to.equal('reports/junit.xml');
    expect(html).to.equal('reports/rocketship.html');
    expectRunLine(argv, { junit: junit as string, html: html as string });
    expect(steps[run]?.['env']).to.deep.equal({ API_TOKEN: '${{ secrets.API_TOKEN }}' });

    // Both publishing steps come after the run and run when it failed.
    const publish = at((s) => String(s['uses']).startsWith('mikepenz/action-junit-report@'));
    const upload = at((s) => String(s['uses']).startsWith('actions/upload-artifact@'));
    for (const i of [publish, upload]) {
      expect(i).to.be.above(run);
      expect(steps[i]?.['if']).to.equal('${{ !cancelled() }}');
    }
    expect(steps[publish]?.['with']['report_paths']).to.equal(junit);
    expect((steps[upload]?.['with']['path'] as string).trim().split('\n')).to.have.members([junit, html]);
  });

  it('GitLab CI: runs the suites with a JUnit and an HTML report, the JUnit file as the junit report, both as artifacts always', () => {
    const pipeline = job('.gitlab-ci.yml');
    const apiTests = pipeline['api-tests'] as { image: string; stage: string; script: string[]; artifacts: Record<string, any> };
    expect(apiTests.stage).to.equal('test');
    expect(Number(/^node:(\d+)/.exec(apiTests.image)?.[1])).to.be.at.least(20);
    expect(apiTests.script[0]).to.equal('npm ci');
    const line = apiTests.script.find((s) => /rocketship run/.test(s)) ?? expect.fail('no rocketship run line');
    const argv = rocketshipArgv(line);
    const { junit, html } = reports(argv);
    expect(html).to.match(/\.html$/);
    expectRunLine(argv, { junit: junit as string, html: html as string });
    expect(apiTests.artifacts['when']).to.equal('always');
    expect(apiTests.artifacts['reports']).to.deep.equal({ junit });
    expect(apiTests.artifacts['paths']).to.have.members([junit, html]);
    expect(apiTests.artifacts['expose_as']).to.be.a('string');
  });

  it('says that reports are written however the run ends, and how secrets stay masked', () => {
    expect(DOC).to.contain('--report html=PATH');
    expect(DOC).to.contain('written however the run ends');
    expect(DOC).to.contain('{{ .env.API_TOKEN }}');
  });
});
