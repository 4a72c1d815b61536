import { expect } from 'chai';
import { useColor } from '../../lib/cli/use-color.js';

describe('cli/use-color', () => {
  it('colours a terminal, and nothing else, when neither a flag nor the environment says otherwise', () => {
    expect(useColor(undefined, true, {})).to.equal(true);
    expect(useColor(undefined, false, {})).to.equal(false);
  });

  it('FORCE_COLOR turns colours on without a terminal (a CI log that renders them); 0 and false turn them off', () => {
    for (const value of ['1', '2', '3', 'true', '']) expect(useColor(undefined, false, { FORCE_COLOR: value }), value).to.equal(true);
    for (const value of ['0', 'false', 'FALSE']) expect(useColor(undefined, true, { FORCE_COLOR: value }), value).to.equal(false);
  });

  it('NO_COLOR, when set and not empty, wins over FORCE_COLOR and a terminal', () => {
    expect(useColor(undefined, true, { NO_COLOR: '1' })).to.equal(false);
    expect(useColor(undefined, false, { NO_COLOR: '1', FORCE_COLOR: '1' })).to.equal(false);
    expect(useColor(undefined, true, { NO_COLOR: '' })).to.equal(true);
  });

  it('--color and --no-color decide over the environment', () => {
    expect(useColor(true, false, { NO_COLOR: '1' })).to.equal(true);
    expect(useColor(false, true, { FORCE_COLOR: '1' })).to.equal(false);
  });
});
