import { expect } from 'chai';
import { createLiveFrame } from '../../lib/cli/live-frame.js';

describe('cli/live-frame', () => {
  it('clear() calls what is attached, nothing before or after', () => {
    const frame = createLiveFrame();
    const calls: string[] = [];
    frame.clear();
    const detach = frame.attach(() => calls.push('clear'));
    frame.clear();
    frame.clear();
    detach();
    frame.clear();
    expect(calls).to.deep.equal(['clear', 'clear']);
  });

  it('a late detach of an earlier attachment leaves the later one in place', () => {
    const frame = createLiveFrame();
    const calls: string[] = [];
    const detachA = frame.attach(() => calls.push('a'));
    frame.attach(() => calls.push('b'));
    detachA();
    frame.clear();
    expect(calls).to.deep.equal(['b']);
  });
});
