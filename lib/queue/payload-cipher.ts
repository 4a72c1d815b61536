import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import type { Json } from '../json.js';
import { writeJson } from '../json-text.js';

/** The environment variable that holds the key queue payloads are encrypted with. */
export const QUEUE_KEY_VARIABLE = 'ROCKETSHIP_QUEUE_KEY';

/** The fewest characters a queue key may have (`openssl rand -base64 32` gives 44). */
export const MIN_QUEUE_KEY_LENGTH = 16;

/** A queue key that cannot be used, or a payload that cannot be opened with the key given. */
export class QueueKeyError extends Error {
  override readonly name = 'QueueKeyError';
  constructor(readonly info: { readonly reason: string }) {
    super(info.reason);
  }
}

const IV_POOL_BYTES = 12 * 341;

/** A value encrypted with AES-256-GCM: `v1.` + base64 of IV (12 bytes), tag (16) and ciphertext. */
export interface Sealed {
  readonly sealed: string;
}

/** A value as it rests in a job: sealed, or (a run without secrets and without a key) as JSON text. */
export type Packed = Sealed | { readonly json: string };

/**
 * Packs a value for a job: sealed with `cipher` under `label` when there is one, else as JSON
 * text. Written iteratively (server data may nest deeply), never by `JSON.stringify`.
 */
export function pack(value: unknown, label: string, cipher: PayloadCipher | undefined): Packed {
  return cipher === undefined ? { json: writeJson(value as Json).text } : cipher.seal(value, label);
}

/** The value of a {@link Packed}; a sealed one without a key (or with another key) is a {@link QueueKeyError}. */
export function unpack(packed: Packed, label: string, cipher: PayloadCipher | undefined, what: string): unknown {
  if (!isSealed(packed)) return JSON.parse(packed.json) as unknown;
  if (cipher === undefined)
    throw new QueueKeyError({ reason: `the job's ${what} is encrypted and this worker has no ${QUEUE_KEY_VARIABLE}` });
  return cipher.open(packed, label);
}

/** Encrypts and decrypts values bound to a label (the job's id): a sealed value opens only under the label it was sealed with. */
export interface PayloadCipher {
  seal(value: unknown, label: string): Sealed;
  /** The value, or a {@link QueueKeyError} when the key is not the one it was sealed with, or the text was changed. */
  open(sealed: Sealed, label: string): unknown;
}

/** Whether a value is a {@link Sealed} one. */
export function isSealed(value: unknown): value is Sealed {
  return typeof value === 'object' && value !== null && typeof (value as { sealed?: unknown }).sealed === 'string';
}

/**
 * A cipher from a key given as text (`ROCKETSHIP_QUEUE_KEY`): the text is stretched to 256 bits
 * with scrypt (once), each value gets a random 96-bit IV, and GCM's tag makes a changed or
 * foreign payload an error rather than garbage. Both sides of a queue (run and workers) must be
 * given the same key.
 *
 * const cipher = createPayloadCipher(process.env.ROCKETSHIP_QUEUE_KEY);
 * cipher.open(cipher.seal({ token: 't' }, 'job-1'), 'job-1'); // { token: 't' }
 */
export function createPayloadCipher(keyText: string): PayloadCipher {
  if (keyText.length < MIN_QUEUE_KEY_LENGTH) {
    throw new QueueKeyError({
      reason: `${QUEUE_KEY_VARIABLE} is ${keyText.length} characters long; it needs at least ${MIN_QUEUE_KEY_LENGTH} (make one with: openssl rand -base64 32)`,
    });
  }
  const key = scryptSync(keyText, 'rocketship-queue-v1', 32);
  // IVs are cut from random bytes drawn 4 KB at a time: one call to the system's CSPRNG per 341
  // values rather than one each (a worker seals a checkpoint per step and poll attempt).
  let pool = Buffer.alloc(0);
  let used = 0;
  const nextIv = (): Buffer => {
    if (used + 12 > pool.length) {
      pool = randomBytes(IV_POOL_BYTES);
      used = 0;
    }
    return pool.subarray(used, (used += 12));
  };
  return {
    seal: (value, label) => {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(label, 'utf8'));
      const body = Buffer.concat([cipher.update(writeJson(value as Json).text, 'utf8'), cipher.final()]);
      return { sealed: `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}` };
    },
    open: (sealed, label) => {
      const raw = sealed.sealed.startsWith('v1.') ? Buffer.from(sealed.sealed.slice(3), 'base64') : Buffer.alloc(0);
      if (raw.length < 28) throw new QueueKeyError({ reason: 'an encrypted queue payload is not in a known format' });
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(label, 'utf8'));
        decipher.setAuthTag(raw.subarray(12, 28));
        const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
        return JSON.parse(text) as unknown;
      } catch {
        throw new QueueKeyError({
          reason: `an encrypted queue payload cannot be opened with this ${QUEUE_KEY_VARIABLE}: the run and the workers must be given the same key`,
        });
      }
    },
  };
}
