import { expect } from 'chai';
import { locatePointer } from '../../lib/openapi/locate-pointer.js';

describe('locatePointer', () => {
  const yaml = [
    'openapi: 3.0.3',
    'paths:',
    '  /jobs/{id}:',
    '    get:',
    '      responses:',
    '        200:',
    '          description: ok',
    '        "404": { description: gone }',
    '      tags: [a, b]',
    '',
  ].join('\n');

  it('finds the value at a pointer (~1 is a slash), numeric keys quoted or not, list items by index', () => {
    expect(locatePointer(yaml, '#/paths/~1jobs~1{id}/get')).to.deep.equal({ line: 5, col: 7 });
    expect(locatePointer(yaml, '#/paths/~1jobs~1{id}/get/responses/200/description')).to.deep.equal({ line: 7, col: 24 });
    expect(locatePointer(yaml, '#/paths/~1jobs~1{id}/get/responses/404')).to.deep.equal({ line: 8, col: 16 });
    expect(locatePointer(yaml, '#/paths/~1jobs~1{id}/get/tags/1')).to.deep.equal({ line: 9, col: 17 });
    expect(locatePointer('{"a": {"b": [1, 2]}}', '#/a/b/1')).to.deep.equal({ line: 1, col: 17 });
  });

  it('is undefined for a pointer the text does not hold, and for text that does not parse', () => {
    expect(locatePointer(yaml, '#/paths/~1nope')).to.equal(undefined);
    expect(locatePointer(yaml, '#/openapi/x')).to.equal(undefined);
    expect(locatePointer('a: [1, 2', '#/a')).to.equal(undefined);
  });
});
