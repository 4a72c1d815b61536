import { expect } from 'chai';
import { decodeSuiteText, type LoadedSuite } from '../../lib/dsl/decode-suite.js';
import { affectedSuites, watchedFiles } from '../../lib/cli/watched-files.js';

function load(file: string, yaml: string): LoadedSuite {
  const decoded = decodeSuiteText(yaml, file);
  if (decoded._tag === 'Left') throw new Error(decoded.left.map((e) => e.message).join('\n'));
  return decoded.right;
}

describe('cli/watched-files', () => {
  const jobs = load(
    '/s/suites/jobs.yaml',
    `name: jobs
vars: { doc: api }
openapi: { spec: "./{{ .vars.doc }}.yaml" }
init: [{ name: boot, plugin: script, config: { language: shell, file: ../scripts/boot.sh } }]
tests:
  - name: t
    steps:
      - { name: s, plugin: script, config: { language: javascript, file: check.js } }
      - { name: h, plugin: http, config: { method: GET, url: "http://x", openapi: { spec: "https://example.com/openapi.json" } } }
    cleanup: { always: [{ name: c, plugin: script, config: { language: javascript, file: check.js } }] }
`,
  );
  const other = load('/s/other.yaml', `name: other\ntests: [{ name: t, steps: [{ name: s, plugin: log, config: { message: x } }] }]\n`);

  it('the suite files, the script files and the OpenAPI documents they name (rendered; both places a relative one is looked for), the var and env files', () => {
    const watched = watchedFiles({
      suiteFiles: ['/s/suites/jobs.yaml', '/s/other.yaml', '/s/broken.yaml'],
      suites: [jobs, other],
      valueFiles: ['/s/vars.yaml'],
      vars: {},
      env: {},
      cwd: '/s',
    });
    const shown = [...watched].map(([path, what]) => `${path} ${what._tag === 'All' ? 'all' : [...what.suites].join(',')}`).sort();
    expect(shown).to.deep.equal([
      '/s/api.yaml /s/suites/jobs.yaml', // the working directory first,
      '/s/broken.yaml /s/broken.yaml', // a suite that did not decode is still watched
      '/s/other.yaml /s/other.yaml',
      '/s/scripts/boot.sh /s/suites/jobs.yaml',
      '/s/suites/api.yaml /s/suites/jobs.yaml', // then the suite's folder
      '/s/suites/check.js /s/suites/jobs.yaml',
      '/s/suites/jobs.yaml /s/suites/jobs.yaml',
      '/s/vars.yaml all',
    ]);
    // --var wins over the file's vars in the spec's template.
    expect([
      ...watchedFiles({ suiteFiles: [], suites: [jobs], valueFiles: [], vars: { doc: 'v2' }, env: {}, cwd: '/s' }).keys(),
    ]).to.include('/s/v2.yaml');
  });

  it('what a change concerns: the suites that read the file; every suite for a var or env file', () => {
    const watched = watchedFiles({
      suiteFiles: ['/s/suites/jobs.yaml', '/s/other.yaml'],
      suites: [jobs, other],
      valueFiles: ['/s/.env'],
      vars: {},
      env: {},
      cwd: '/s',
    });
    expect(affectedSuites(watched, ['/s/suites/check.js'])).to.deep.equal(['/s/suites/jobs.yaml']);
    expect(affectedSuites(watched, ['/s/other.yaml', '/s/suites/check.js'])).to.deep.equal(['/s/other.yaml', '/s/suites/jobs.yaml']);
    expect(affectedSuites(watched, ['/s/.env'])).to.equal(undefined);
  });
});
