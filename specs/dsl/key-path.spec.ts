import { expect } from 'chai';
import { formatKeyPath } from '../../lib/dsl/key-path.js';

describe('dsl/key-path', () => {
  it('writes indices in brackets, plain keys after dots, other keys quoted', () => {
    expect(formatKeyPath(['tests', 0, 'steps', 1, 'config', 'polling', 'interval'])).to.equal('tests[0].steps[1].config.polling.interval');
    expect(formatKeyPath(['tests', 0, 'steps', 0, 'config', 'headers', 'X-Test'])).to.equal('tests[0].steps[0].config.headers["X-Test"]');
    expect(formatKeyPath(['vars', 'a b', '1x'])).to.equal('vars["a b"]["1x"]');
    expect(formatKeyPath([])).to.equal('');
  });
});
