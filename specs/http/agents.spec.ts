import { expect } from 'chai';
import http from 'node:http';
import https from 'node:https';
import { createAgents, IDLE_SOCKET_MS } from '../../lib/http/agents.js';

describe('createAgents', () => {
  it('gives the plain pool to http: URLs, and one TLS pool per verification mode to https: URLs', () => {
    const agents = createAgents({ keepAlive: true, maxSockets: 3 });
    const plain = agents.agentFor('http://a.test/x', false);
    const verified = agents.agentFor('https://a.test/x', false);
    const insecure = agents.agentFor('HTTPS://b.test/', true);
    expect(plain).to.be.instanceOf(http.Agent).and.not.to.be.instanceOf(https.Agent);
    expect(verified).to.be.instanceOf(https.Agent);
    expect(insecure).to.be.instanceOf(https.Agent);
    expect(verified).not.to.equal(insecure);
    // one pool per kind for the client's life
    expect(agents.agentFor('http://other.test/', true)).to.equal(plain);
    expect(agents.agentFor('https://other.test/', false)).to.equal(verified);
    expect(agents.agentFor('https://other.test/', true)).to.equal(insecure);
  });

  it('sets the pool up as documented: the socket cap, keep-alive, the idle timeout', () => {
    const agent = createAgents({ keepAlive: false, maxSockets: 5 }).agentFor('https://a.test/', true) as https.Agent & {
      keepAlive: boolean;
    };
    expect(agent.maxSockets).to.equal(5);
    expect(agent.keepAlive).to.equal(false);
    expect(agent.options).to.include({ timeout: IDLE_SOCKET_MS, rejectUnauthorized: false });
  });

  it('closeIdleConnections() does nothing harmful before any pool was used', () => {
    expect(() => createAgents({ keepAlive: true, maxSockets: Infinity }).closeIdleConnections()).not.to.throw();
  });
});
