/**
 * axios as the floor's scripts that use it configure it (sequential-libs.mjs, card.mjs): its own
 * Node adapter, set up as lib/http/axios-client.ts sets its instance up (keep-alive pool with TCP
 * keep-alive at 60 s, raw bytes back, no transforms, redirects not followed by axios, every
 * status a response, no proxy), with no default headers.
 */
import axios from 'axios';
import http from 'node:http';

export function createFloorAxios() {
  const client = axios.create({
    adapter: 'http',
    maxRedirects: 0,
    transformRequest: [(data) => data],
    transformResponse: [(data) => data],
    responseType: 'arraybuffer',
    decompress: false,
    validateStatus: () => true,
    httpAgent: new http.Agent({ keepAlive: true, keepAliveMsecs: 60_000 }),
    proxy: false,
  });
  client.defaults.headers = {};
  return client;
}
