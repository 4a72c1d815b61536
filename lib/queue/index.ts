/** Distributed runs: tests on BullMQ workers, events back through Redis streams. */
export { queueExecutor, RedisLostError, type QueueExecutor, type QueueExecutorConfig } from './queue-executor.js';
export { startWorker, type QueueWorker, type QueueWorkerConfig } from './worker.js';
export { createPayloadCipher, QUEUE_KEY_VARIABLE, QueueKeyError, type PayloadCipher } from './payload-cipher.js';
export { checkRedis, maskRedisUrl, RedisUnreachableError } from './redis-url.js';
export { whySuiteSecret } from './test-payload.js';
export { DEFAULT_QUEUE, DEFAULT_RETENTION_MS } from './queue-keys.js';
export { AttachError, suiteFingerprint } from './run-record.js';
