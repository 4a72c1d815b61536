import { expect } from 'chai';
import { createSecretSet, MIN_PATTERN_LENGTH } from '../../lib/secrets/secret-set.js';

/** The matched substrings of `text`, in order of their start. */
function found(set: ReturnType<typeof createSecretSet>, text: string): string[] {
  const spans: number[] = [];
  set.collect(text, spans);
  const out: string[] = [];
  for (let i = 0; i < spans.length; i += 2) out.push(text.slice(spans[i] as number, spans[i + 1] as number));
  return out;
}

describe('createSecretSet', () => {
  it('finds nothing while empty', () => {
    const set = createSecretSet();
    expect(found(set, 'anything at all')).to.deep.equal([]);
    expect(set.size).to.equal(0);
    expect(set.cutStart('abcd…', 4)).to.equal(-1);
  });

  it('finds every occurrence of every pattern of every value, overlapping ones included', () => {
    const set = createSecretSet();
    expect(set.add('abc123', () => ['abc123', 'abc%31'])).to.equal(true);
    expect(set.add('abc1', () => ['abc1'])).to.equal(true);
    expect(found(set, 'x abc123 y abc%31 z abc1')).to.deep.equal(['abc123', 'abc1', 'abc%31', 'abc1']);
    expect(set.size).to.equal(2);
  });

  it(`ignores patterns shorter than ${MIN_PATTERN_LENGTH} characters and reports a known value as not new`, () => {
    const set = createSecretSet();
    set.add('abcd', () => ['abcd', 'ab']);
    expect(set.add('abcd', () => ['abcd'])).to.equal(false);
    expect(found(set, 'ab abcd')).to.deep.equal(['abcd']);
  });

  it('matches at the very start and the very end of a text, and texts shorter than a window', () => {
    const set = createSecretSet();
    set.add('edge', () => ['edge']);
    expect(found(set, 'edge')).to.deep.equal(['edge']);
    expect(found(set, 'edgeedge')).to.deep.equal(['edge', 'edge']);
    expect(found(set, 'edg')).to.deep.equal([]);
    expect(found(set, '')).to.deep.equal([]);
  });

  it("compares candidates exactly: texts that share a pattern's first four characters do not match", () => {
    const set = createSecretSet();
    for (let i = 0; i < 50; i += 1) set.add(`sid=${i}-rotated`, () => [`sid=${i}-rotated`]);
    expect(found(set, 'sid=7-rotated sid=77-rotatex sid=')).to.deep.equal(['sid=7-rotated']);
  });

  it('forgets the value seen longest ago beyond maxValues, with its patterns; seeing a value again keeps it', () => {
    const set = createSecretSet({ maxValues: 2 });
    set.add('first-1', () => ['first-1']);
    set.add('second-2', () => ['second-2']);
    set.add('first-1', () => ['first-1']); // seen again: now the most recent
    set.add('third-3', () => ['third-3']); // forgets second-2
    expect(set.size).to.equal(2);
    expect(set.has('second-2')).to.equal(false);
    expect(found(set, 'first-1 second-2 third-3')).to.deep.equal(['first-1', 'third-3']);
  });

  it('keeps a pattern two values share until both are forgotten', () => {
    const set = createSecretSet({ maxValues: 2 });
    set.add('v-one', () => ['v-one', 'shared-form']);
    set.add('v-two', () => ['v-two', 'shared-form']);
    set.add('v-three', () => ['v-three']); // forgets v-one: shared-form stays for v-two
    expect(found(set, 'shared-form')).to.deep.equal(['shared-form']);
    set.add('v-four', () => ['v-four']); // forgets v-two
    expect(found(set, 'shared-form v-one v-two')).to.deep.equal([]);
  });

  it('stays exact after many values come and go (the filter never hides a live pattern)', () => {
    const set = createSecretSet({ maxValues: 64 });
    for (let i = 0; i < 10_000; i += 1) set.add(`cookie-${i.toString(36)}-value`, () => [`cookie-${i.toString(36)}-value`]);
    const live = Array.from({ length: 64 }, (_, k) => `cookie-${(10_000 - 64 + k).toString(36)}-value`);
    expect(found(set, live.join(' '))).to.deep.equal(live);
    expect(found(set, `cookie-${(0).toString(36)}-value cookie-${(9_000).toString(36)}-value`)).to.deep.equal([]);
  });

  describe('cutStart', () => {
    it('finds where a text cut at `end` begins a longer pattern (the earliest such start)', () => {
      const set = createSecretSet();
      set.add('s3cr3t-token', () => ['s3cr3t-token']);
      const text = 'body: {"t":"s3cr3t-to… (900 chars)';
      const end = text.indexOf('…');
      expect(set.cutStart(text, end)).to.equal(text.indexOf('s3cr3t'));
    });

    it(`needs at least ${MIN_PATTERN_LENGTH} characters of the pattern, and a pattern longer than what is left`, () => {
      const set = createSecretSet();
      set.add('s3cr3t-token', () => ['s3cr3t-token']);
      expect(set.cutStart('x s3c…', 5)).to.equal(-1);
      expect(set.cutStart('x s3cr3t-token…', 14)).to.equal(-1); // whole: collect() masks it
      expect(set.cutStart('x s3cr…', 6)).to.equal(2);
    });
  });
});
