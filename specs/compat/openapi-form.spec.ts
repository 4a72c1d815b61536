import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { loadSuiteFile } from '../../lib/dsl/index.js';
import { createAxiosClient } from '../../lib/http/axios-client.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { runSuite } from '../../lib/run/run-suite.js';
import { messageOf } from '../helpers/result-message.js';
import { SHARED, skipWithoutShared } from '../helpers/shared.js';

/**
 * Rocketship's OpenAPI example suites (../shared/compat/rocketship/http-openapi-form*.yaml),
 * localized to the postman-echo stand-in (../shared/compat/postman-echo) as its localize.sh does,
 * laid out as in Rocketship's repository: the suite beside `.rocketship/`, which holds the
 * document. Tagged @compat.
 */
describe('@compat Rocketship OpenAPI form suites against the postman-echo stand-in', function () {
  this.timeout(30_000);
  let server: Server;
  let base = '';
  let requests = 0;
  let dir = '';

  before(async function () {
    skipWithoutShared(this, "Rocketship's OpenAPI example suites");
    const { createServer } = (await import(join(SHARED, 'compat/postman-echo/server.mjs'))) as { createServer: () => Server };
    server = createServer();
    server.on('request', () => requests++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'openapi-form-'));
    mkdirSync(join(dir, '.rocketship'));
    const localize = (from: string, to: string) =>
      writeFileSync(
        to,
        readFileSync(join(SHARED, 'compat/rocketship', from), 'utf8').replace(/https?:\/\/postman-echo\.com(:\d+)?/g, base),
      );
    localize('http-openapi-form-spec.openapi', join(dir, '.rocketship/http-openapi-form-spec.openapi'));
    localize('http-openapi-form.yaml', join(dir, 'http-openapi-form.yaml'));
    localize('failure-cases/http-openapi-form-invalid.yaml', join(dir, 'http-openapi-form-invalid.yaml'));
  });
  beforeEach(() => (requests = 0));
  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  });

  async function run(file: string) {
    const loaded = loadSuiteFile(join(dir, file));
    if (loaded._tag === 'Left') throw new Error(JSON.stringify(loaded.left));
    const events = await lastValueFrom(runSuite(loaded.right, { http: createAxiosClient(), plugins: builtinPlugins() }).pipe(toArray()));
    return events.flatMap((e) => (e._tag === 'StepEnded' ? [e.result] : []));
  }

  it('http-openapi-form.yaml passes: a form coerced to the schema (bar=123 is an integer) and a JSON body', async () => {
    const results = await run('http-openapi-form.yaml');
    expect(results.map((r) => [r._tag, messageOf(r)])).to.deep.equal([
      ['Passed', ''],
      ['Passed', ''],
    ]);
    expect(requests).to.equal(2);
  });

  it('http-openapi-form-invalid.yaml fails at request validation naming foo, with nothing sent', async () => {
    const results = await run('http-openapi-form-invalid.yaml');
    expect(results).to.have.length(1);
    expect(results[0]?._tag === 'Failed' && results[0].cause).to.deep.include({ _tag: 'ContractViolation', side: 'request' });
    expect(messageOf(results[0]!)).to.contain("request body: must have required property 'foo'");
    expect(requests).to.equal(0);
  });
});
