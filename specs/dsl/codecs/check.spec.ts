import { expect } from 'chai';
import { Check } from '../../../lib/dsl/codecs/check.js';
import { decodeMessages, decodeOk } from './decode-helpers.js';

describe('dsl/codecs/check', () => {
  it('decodes the three kinds of the spec', () => {
    expect(decodeOk(Check, { type: 'status_code', expected: 200 })).to.deep.equal({ type: 'status_code', expected: 200 });
    expect(decodeOk(Check, { type: 'json_path', path: '.status', expected: 'completed' })).to.deep.equal({
      type: 'json_path',
      path: '.status',
      expected: 'completed',
    });
    expect(decodeOk(Check, { type: 'header', name: 'X-Job-Status', exists: true })).to.deep.equal({
      type: 'header',
      name: 'X-Job-Status',
      exists: true,
    });
  });

  it('keeps the YAML type of expected', () => {
    for (const expected of [true, 200, '200', 'completed', null, [1, 'a'], { a: { b: 1 } }, 1.5]) {
      expect(decodeOk(Check, { type: 'json_path', path: '.x', expected })).to.deep.equal({ type: 'json_path', path: '.x', expected });
    }
  });

  it('keeps a templated expected as the raw string', () => {
    expect(decodeOk(Check, { type: 'status_code', expected: '{{ code }}' })).to.deep.equal({ type: 'status_code', expected: '{{ code }}' });
    expect(decodeOk(Check, { type: 'json_path', path: '.s', expected: '{{ .vars.s }}' })).to.deep.equal({
      type: 'json_path',
      path: '.s',
      expected: '{{ .vars.s }}',
    });
  });

  it('accepts the path forms suites use, and JSONPath', () => {
    for (const path of [
      '.',
      '.status',
      '.deployment.status',
      '.items[0].id',
      '.headers["X-Custom"]',
      '.["key.with.dots"]',
      '.items | length',
      '$.a.b',
      '$..x',
      '.products_0.name',
    ]) {
      expect(decodeOk(Check, { type: 'json_path', path, exists: true })).to.deep.include({ path });
    }
  });

  it('rejects a path that cannot be parsed, naming the accepted forms', () => {
    const [message] = decodeMessages(Check, { type: 'json_path', path: 'status', expected: 1 });
    expect(message).to.match(/^invalid path "status": /);
    expect(message).to.include('accepted:');
  });

  it('does not validate a templated path at decode time', () => {
    expect(decodeOk(Check, { type: 'json_path', path: '.{{ field }}', exists: true })).to.deep.include({ path: '.{{ field }}' });
  });

  it('decodes the matchers beyond the spec', () => {
    const all = {
      type: 'json_path',
      path: '.n',
      expected: 1,
      exists: true,
      not_equals: 2,
      contains: 'a',
      matches: '^a+$',
      one_of: [1, 2],
      greater_than: 0,
      greater_than_or_equal: '{{ min }}',
      less_than: 10,
      less_than_or_equal: 10.5,
      value_type: 'number',
      length: 3,
      schema: { type: 'object', required: ['id'] },
    };
    expect(decodeOk(Check, all)).to.deep.equal(all);
  });

  it('rejects a check without matcher, a bad regex, a bad value_type, a non-number comparison', () => {
    expect(decodeMessages(Check, { type: 'header', name: 'X' })).to.deep.equal([
      'a header check needs at least one matcher: expected, exists, not_equals, contains, matches, one_of, greater_than, greater_than_or_equal, less_than, less_than_or_equal, value_type, length, schema',
    ]);
    expect(decodeMessages(Check, { type: 'json_path', path: '.a', matches: '(' })[0]).to.match(/^invalid regular expression "\(": /);
    expect(decodeMessages(Check, { type: 'json_path', path: '.a', value_type: 'int' })).to.deep.equal([
      'value_type "int" is not supported; supported: string, number, boolean, null, array, object',
    ]);
    expect(Check.decode({ type: 'json_path', path: '.a', greater_than: 'ten' })._tag).to.equal('Left');
    expect(Check.decode({ type: 'json_path', path: '.a', length: -1 })._tag).to.equal('Left');
    expect(Check.decode({ type: 'json_path', path: '.a', one_of: [] })._tag).to.equal('Left');
  });

  it('holds status codes to whole numbers, and has no exists for them', () => {
    expect(Check.decode({ type: 'status_code', expected: '200' })._tag).to.equal('Left');
    expect(Check.decode({ type: 'status_code', expected: 2000 })._tag).to.equal('Left');
    expect(decodeMessages(Check, { type: 'status_code', exists: true })[0]).to.match(/^unknown key "exists"/);
  });

  it('rejects an unknown or missing type with one message, suggesting near misses', () => {
    expect(decodeMessages(Check, { type: 'status', expected: 200 })).to.deep.equal([
      'check type "status" is not supported; supported: status_code, json_path, header; did you mean "status_code"?',
    ]);
    expect(decodeMessages(Check, { expected: 200 })).to.deep.equal(['missing required key "type" (one of status_code, json_path, header)']);
  });
});
