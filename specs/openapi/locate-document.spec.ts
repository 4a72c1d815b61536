import { expect } from 'chai';
import { locateDocument } from '../../lib/openapi/locate-document.js';

describe('locateDocument', () => {
  const only =
    (...paths: string[]) =>
    (p: string) =>
      paths.includes(p);

  it('resolves a relative path against the working directory first', () => {
    const r = locateDocument('./api.yaml', {
      cwd: '/work',
      suiteDir: '/work/suites',
      exists: only('/work/api.yaml', '/work/suites/api.yaml'),
    });
    expect(r).to.deep.equal({ _tag: 'Right', right: '/work/api.yaml' });
  });

  it("then against the suite file's folder", () => {
    const r = locateDocument('./api.yaml', { cwd: '/work', suiteDir: '/work/suites', exists: only('/work/suites/api.yaml') });
    expect(r).to.deep.equal({ _tag: 'Right', right: '/work/suites/api.yaml' });
  });

  it('names both paths tried when neither exists', () => {
    const r = locateDocument('./api.yaml', { cwd: '/work', suiteDir: '/work/suites', exists: only() });
    if (r._tag === 'Right') throw new Error('found a file that is not there');
    expect(r.left.message).to.equal(
      "OpenAPI document ./api.yaml was not found: tried /work/api.yaml (the working directory), then /work/suites/api.yaml (the suite file's folder)",
    );
  });

  it('keeps URLs and absolute paths as they are', () => {
    expect(locateDocument('https://api.test/openapi.json', { suiteDir: '/x', exists: only() })).to.deep.equal({
      _tag: 'Right',
      right: 'https://api.test/openapi.json',
    });
    expect(locateDocument('/abs/api.yaml', { suiteDir: '/x', exists: only('/abs/api.yaml') })).to.deep.equal({
      _tag: 'Right',
      right: '/abs/api.yaml',
    });
  });
});
