import { expect } from 'chai';
import { lastValueFrom, toArray } from 'rxjs';
import type { RunEvent, StepResult } from '../../lib/event/run-event.js';
import { createAxiosClient } from '../../lib/http/axios-client.js';
import { createContractCache, type ContractCache } from '../../lib/openapi/contract-cache.js';
import { loadContract } from '../../lib/openapi/load-contract.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { preloadContracts } from '../../lib/plugins/preload-contracts.js';
import { runSuite } from '../../lib/run/run-suite.js';
import { suite } from '../helpers/fake-http.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { messageOf } from '../helpers/result-message.js';
import { FIXTURES } from '../openapi/contract-fixtures.js';

/** A cache over the real loader that counts the documents it loaded. */
function countingCache(): { cache: ContractCache; loaded: string[] } {
  const loaded: string[] = [];
  const cache = createContractCache((location) => {
    loaded.push(location.replace(FIXTURES, ''));
    return loadContract(location);
  });
  return { cache, loaded };
}

/** A suite file in the fixtures folder (so `./jobs-3.0.yaml` is found beside it). */
const inFixtures = (text: string) => suite(text, `${FIXTURES}suite.yaml`);

describe('preloadContracts: OpenAPI documents loaded before the run', function () {
  this.timeout(20_000);

  it('loads each document the steps that run use, once, however many steps use it', async () => {
    const { cache, loaded } = countingCache();
    const errors = await preloadContracts(
      inFixtures(`
name: s
openapi: { spec: ./jobs-3.0.yaml }
tests:
  - name: a
    steps:
      - { name: one, plugin: http, config: { method: GET, url: "http://h/v1/jobs" } }
      - { name: two, plugin: http, config: { method: GET, url: "http://h/v1/jobs" } }
      - { name: other, plugin: http, config: { method: GET, url: "http://h/api/pets", openapi: { spec: "{{ .vars.pets }}" } } }
  - name: not run
    steps:
      - { name: three, plugin: http, config: { method: GET, url: "http://h/x", openapi: { spec: ./jobs-3.1.yaml } } }
`),
      { contracts: cache, vars: { pets: './petstore-2.0.yaml' }, only: (name) => name === 'a' },
    );
    expect(errors).to.deep.equal([]);
    expect(loaded).to.deep.equal(['jobs-3.0.yaml', 'petstore-2.0.yaml']);
  });

  it("says where a broken document is named in the suite, and the document's file, line, column and JSON pointer", async () => {
    const errors = await preloadContracts(
      inFixtures(`
name: s
openapi:
  spec: ./broken.yaml
tests:
  - name: a
    steps:
      - { name: one, plugin: http, config: { method: GET, url: "http://h/jobs" } }
      - { name: two, plugin: http, config: { method: GET, url: "http://h/jobs" } }
`),
      { contracts: createContractCache() },
    );
    expect(errors).to.have.length(1);
    expect(errors[0]).to.deep.include({
      file: `${FIXTURES}suite.yaml`,
      line: 4,
      col: 9,
      path: 'openapi.spec',
      source: '  spec: ./broken.yaml',
    });
    expect(errors[0]?.message).to.match(
      /^OpenAPI document .*\/fixtures\/broken\.yaml:7:30 is not valid: #\/paths\/~1jobs\/get\/parameters\/0\/in: must be equal to one of the allowed values \("path", "query", "header", "cookie"\); /,
    );
  });

  it("names both paths tried for a document that is nowhere, at the step's own spec", async () => {
    const errors = await preloadContracts(
      inFixtures(`
name: s
tests:
  - name: a
    steps:
      - { name: one, plugin: http, config: { method: GET, url: "http://h/jobs", openapi: { spec: ./nowhere.yaml } } }
`),
      { contracts: createContractCache() },
    );
    expect(errors.map((e) => [e.path, e.message])).to.deep.equal([
      [
        'tests[0].steps[0].config.openapi.spec',
        `OpenAPI document ./nowhere.yaml was not found: tried ${process.cwd()}/nowhere.yaml (the working directory), then ${FIXTURES}nowhere.yaml (the suite file's folder)`,
      ],
    ]);
  });

  it('leaves a spec that reads a saved name to its step, and says what cannot render (a suite-level .env.X unset)', async () => {
    const { cache, loaded } = countingCache();
    const errors = await preloadContracts(
      inFixtures(`
name: s
openapi: { spec: "{{ .env.SPEC_DIR }}/jobs-3.0.yaml" }
tests:
  - name: a
    steps:
      - { name: find, plugin: http, config: { method: GET, url: "http://h/where" }, save: [{ json_path: .spec, as: spec_url }] }
      - { name: use, plugin: http, config: { method: GET, url: "http://h/jobs", openapi: { spec: "{{ spec_url }}" } } }
`),
      { contracts: cache, env: {} },
    );
    expect(errors.map((e) => [e.path, e.message])).to.deep.equal([
      ['openapi.spec', 'openapi.spec: undefined variable ".env.SPEC_DIR": the environment variable SPEC_DIR is not set'],
    ]);
    expect(loaded).to.deep.equal([]);
    // As validate asks: an env var the run may have is left to the run.
    expect(
      await preloadContracts(
        inFixtures(
          'name: s\nopenapi: { spec: "{{ .env.X }}" }\ntests: [{ name: a, steps: [{ name: s, plugin: http, config: { method: GET, url: "http://h" } }] }]\n',
        ),
        { contracts: cache, unset: 'skip' },
      ),
    ).to.deep.equal([]);
  });

  it('says when a step asks for a contract but no spec is given anywhere', async () => {
    const errors = await preloadContracts(
      inFixtures(`
name: s
tests:
  - name: a
    steps:
      - { name: one, plugin: http, config: { method: GET, url: "http://h/jobs", openapi: { operation_id: listJobs } } }
`),
      { contracts: createContractCache() },
    );
    expect(errors.map((e) => e.path)).to.deep.equal(['tests[0].steps[0].config.openapi']);
    expect(errors[0]?.message).to.contain('no spec');
  });

  it('hands the documents it loaded to the run: its steps load none again', async () => {
    let server: LocalServer | undefined;
    try {
      server = await startLocalServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}'));
      const { cache, loaded } = countingCache();
      const s = inFixtures(`
name: s
openapi: { spec: ./jobs-3.0.yaml }
tests:
  - name: a
    steps:
      - { name: one, plugin: http, config: { method: GET, url: "${server.url}/v1/jobs", headers: { X-Tenant: t } } }
`);
      expect(await preloadContracts(s, { contracts: cache })).to.deep.equal([]);
      const events: RunEvent[] = await lastValueFrom(
        runSuite(s, { http: createAxiosClient(), plugins: builtinPlugins({ contracts: cache }) }).pipe(toArray()),
      );
      const results = events.flatMap((e): StepResult[] => (e._tag === 'StepEnded' ? [e.result] : []));
      // The response lacks the required X-Request-Id header: the document was used.
      expect(results[0]?._tag, messageOf(results[0]!)).to.equal('Failed');
      expect(loaded).to.deep.equal(['jobs-3.0.yaml']);
    } finally {
      await server?.close();
    }
  });
});
