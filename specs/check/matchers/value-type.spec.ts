import { expect } from 'chai';
import { compileValueType } from '../../../lib/check/matchers/value-type.js';
import { judge, rejects } from './judge.js';

describe('check/matchers/value-type', () => {
  it('names the JSON type of the value', () => {
    const values = ['s', 1, true, null, [], {}] as const;
    expect(values.map((v) => judge(compileValueType, 'object', v).actual)).to.deep.equal([
      'string',
      'number',
      'boolean',
      'null',
      'array',
      'object',
    ]);
    expect(judge(compileValueType, 'array', [1]).pass).to.equal(true);
    expect(judge(compileValueType, 'object', [1])).to.deep.equal({ pass: false, actual: 'array', reason: 'the value is [1]' });
  });
  it('rejects unknown type names', () => {
    expect(rejects(compileValueType, 'integer')).to.equal(
      'value_type must be one of string, number, boolean, null, array, object, got "integer"',
    );
  });
});
