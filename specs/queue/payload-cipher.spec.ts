import { expect } from 'chai';
import { createPayloadCipher, pack, QueueKeyError, unpack } from '../../lib/queue/payload-cipher.js';

describe('payload-cipher', () => {
  const cipher = createPayloadCipher('a-key-of-at-least-16-characters');

  it('seals with AES-256-GCM: the text shows nothing of the value, and opens under the same label', () => {
    const sealed = cipher.seal({ token: 's3cr3t-token' }, 'job-1');
    expect(sealed.sealed).to.match(/^v1\.[A-Za-z0-9+/=]+$/);
    expect(sealed.sealed).not.to.include('s3cr3t');
    expect(Buffer.from(sealed.sealed.slice(3), 'base64').toString('latin1')).not.to.include('s3cr3t');
    expect(cipher.open(sealed, 'job-1')).to.deep.equal({ token: 's3cr3t-token' });
  });

  it('uses a new IV each time: the same value seals to different texts', () => {
    expect(cipher.seal('x', 'l').sealed).not.to.equal(cipher.seal('x', 'l').sealed);
  });

  it('refuses another label, another key and a changed text, with a QueueKeyError', () => {
    const sealed = cipher.seal({ a: 1 }, 'job-1');
    expect(() => cipher.open(sealed, 'job-2')).to.throw(QueueKeyError, 'cannot be opened with this ROCKETSHIP_QUEUE_KEY');
    expect(() => createPayloadCipher('another-key-0123456789').open(sealed, 'job-1')).to.throw(QueueKeyError);
    const raw = Buffer.from(sealed.sealed.slice(3), 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => cipher.open({ sealed: `v1.${raw.toString('base64')}` }, 'job-1')).to.throw(QueueKeyError);
  });

  it('refuses a key shorter than 16 characters, saying how to make one', () => {
    expect(() => createPayloadCipher('short')).to.throw(QueueKeyError, 'openssl rand -base64 32');
  });

  it('packs as JSON text without a cipher, sealed with one; a sealed pack needs the key', () => {
    expect(pack({ a: [1] }, 'l', undefined)).to.deep.equal({ json: '{"a":[1]}' });
    expect(unpack(pack({ a: [1] }, 'l', cipher), 'l', cipher, 'payload')).to.deep.equal({ a: [1] });
    expect(() => unpack(pack({ a: 1 }, 'l', cipher), 'l', undefined, 'payload')).to.throw(
      QueueKeyError,
      "the job's payload is encrypted and this worker has no ROCKETSHIP_QUEUE_KEY",
    );
  });

  it('packs values nested 100,000 levels deep (written iteratively)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    const packed = pack(deep, 'l', cipher);
    let depth = 0;
    for (let v = unpack(packed, 'l', cipher, 'payload'); Array.isArray(v); v = v[0]) depth += 1;
    expect(depth).to.equal(100_000);
  });
});
