import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { loadContract } from '../../lib/openapi/load-contract.js';
import { OpenApiDocumentError } from '../../lib/openapi/openapi-document-error.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { FIXTURES, fixtureContract } from './contract-fixtures.js';

describe('loadContract', function () {
  this.timeout(20_000);

  it('reads an OpenAPI 3.0 document: its operations, and the base path of its servers', async () => {
    const c = await fixtureContract('jobs-3.0.yaml');
    expect(c.version).to.equal('3.0');
    expect(c.basePaths).to.deep.equal(['/v1', '']);
    expect(c.operations.map((o) => `${o.method} ${o.path} ${o.operationId}`)).to.deep.equal([
      'GET /jobs listJobs',
      'POST /jobs createJob',
      'GET /jobs/{id} getJob',
      'GET /jobs/latest latestJob',
    ]);
  });

  it('reads an OpenAPI 3.1 document and a Swagger 2.0 one (basePath)', async () => {
    expect((await fixtureContract('jobs-3.1.yaml')).version).to.equal('3.1');
    const swagger = await fixtureContract('petstore-2.0.yaml');
    expect(swagger.version).to.equal('2.0');
    expect(swagger.basePaths).to.deep.equal(['/api', '']);
  });

  it('follows $refs into other files (a parameter, a schema, a schema that refers to a third file)', async () => {
    const c = await fixtureContract('multi/api.yaml');
    const op = c.operations[0]!;
    expect(op.parameters.map((p) => p.name)).to.deep.equal(['id']);
    const schema = op.responses['200']!.content[0]!.schema!;
    expect(schema.validate({ id: 'j-1', owner: { login: 'ann' } })).to.deep.equal([]);
    expect(schema.validate({ id: 'j-1', owner: {} }).map((p) => p.dataPath)).to.deep.equal(['/owner']);
  });

  it('reads a document served over HTTP', async () => {
    const text = readFileSync(`${FIXTURES}jobs-3.1.yaml`, 'utf8');
    const server: LocalServer = await startLocalServer((_req, res) => res.writeHead(200, { 'content-type': 'application/yaml' }).end(text));
    try {
      const r = await loadContract(`${server.url}/openapi.yaml`);
      expect(r._tag).to.equal('Right');
      expect(server.requests).to.equal(1);
    } finally {
      await server.close();
    }
  });

  it('says which document is broken, and the JSON pointer of the fault', async () => {
    const r = await loadContract(`${FIXTURES}broken.yaml`);
    if (r._tag === 'Right') throw new Error('loaded a broken document');
    expect(r.left).to.be.instanceOf(OpenApiDocumentError);
    expect(r.left.info.source).to.equal(`${FIXTURES}broken.yaml`);
    // The deepest fault first: the misspelt `in: querry` (line 7, column 30), not its parameter's.
    expect(r.left.info.pointer).to.equal('#/paths/~1jobs/get/parameters/0/in');
    expect(r.left.info).to.include({ line: 7, col: 30 });
    expect(r.left.message.split('\n')[0]).to.match(
      /^OpenAPI document .*broken\.yaml:7:30 is not valid: #\/paths\/~1jobs\/get\/parameters\/0\/in: must be equal to one of the allowed values \("path", "query", "header", "cookie"\)$/,
    );
  });

  it('names where a $ref that points nowhere is written', async () => {
    const r = await loadContract(`${FIXTURES}dangling-ref.yaml`);
    if (r._tag === 'Right') throw new Error('loaded a broken document');
    expect(r.left.info.pointer).to.equal('#/paths/~1jobs/get/responses/200/content/application~1json/schema');
    expect(r.left.message).to.include('#/components/schemas/Missing');
    expect(r.left.info).to.include({ line: 11, col: 23 });
  });

  it('names the schema ajv cannot compile, with its place in the file', async () => {
    const r = await loadContract(`${FIXTURES}uncompilable.yaml`);
    if (r._tag === 'Right') throw new Error('loaded a schema ajv refuses');
    expect(r.left.info).to.deep.include({
      pointer: '#/paths/~1jobs/get/responses/200/content/application~1json/schema',
      line: 12,
      col: 17,
    });
    expect(r.left.message).to.match(
      /uncompilable\.yaml:12:17 is not valid: #\/paths\/.*: a schema cannot be compiled: "nullable" cannot be used without "type"$/,
    );
  });

  it('says a missing file cannot be read', async () => {
    const r = await loadContract(`${FIXTURES}nope.yaml`);
    if (r._tag === 'Right') throw new Error('loaded nothing');
    expect(r.left.message).to.match(/nope\.yaml cannot be read: .*ENOENT/);
  });
});
