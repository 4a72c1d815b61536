import { expect } from 'chai';
import { Polling, PollingFields } from '../../../lib/dsl/codecs/polling.js';
import { decodeMessages, decodeOk } from './decode-helpers.js';

const conditions = [{ type: 'status_code', expected: 200 }];

describe('dsl/codecs/polling', () => {
  it('decodes durations to ms and keeps the optional numbers', () => {
    expect(decodeOk(Polling, { interval: '2s', timeout: '5m', max_attempts: 30, backoff_coefficient: 1.2, conditions })).to.deep.equal({
      interval: 2000,
      timeout: 300_000,
      max_attempts: 30,
      backoff_coefficient: 1.2,
      conditions,
    });
  });

  it('accepts templates for every number and duration', () => {
    const polling = decodeOk(Polling, {
      interval: '{{ .vars.interval }}',
      timeout: '{{ .vars.timeout }}s',
      max_attempts: '{{ .vars.n }}',
      backoff_coefficient: '{{ .vars.b }}',
      max_interval: '{{ .vars.cap }}',
      jitter: '{{ .vars.j }}',
      conditions,
    });
    expect(polling.max_attempts).to.deep.equal({ _tag: 'Template', source: '{{ .vars.n }}' });
    expect(polling.timeout).to.deep.equal({ _tag: 'Template', source: '{{ .vars.timeout }}s' });
  });

  it('decodes the keys beyond the spec: max_interval, jitter, fail_conditions', () => {
    const polling = decodeOk(Polling, {
      interval: '1s',
      timeout: '1m',
      max_interval: '10s',
      jitter: 0.2,
      conditions,
      fail_conditions: [{ type: 'json_path', path: '.status', expected: 'failed' }],
    });
    expect(polling).to.deep.include({ max_interval: 10_000, jitter: 0.2 });
    expect(polling.fail_conditions).to.have.length(1);
  });

  it('says to omit max_attempts for no cap, when it is 0 or negative', () => {
    for (const n of [0, -1]) {
      expect(decodeMessages(Polling, { interval: '1s', timeout: '1m', max_attempts: n, conditions })).to.deep.equal([
        `max_attempts must be at least 1 (it counts every request, the first included), found ${n}; to poll with no cap besides the timeout, omit max_attempts`,
      ]);
    }
  });

  it('rejects backoff below 1, jitter outside 0..1, zero interval and no conditions', () => {
    expect(decodeMessages(Polling, { interval: '1s', timeout: '1m', backoff_coefficient: 0.9, conditions })[0]).to.match(
      /^backoff_coefficient must be at least 1/,
    );
    expect(decodeMessages(Polling, { interval: '1s', timeout: '1m', jitter: -0.1, conditions })).to.deep.equal([
      'jitter must be at least 0, found -0.1',
    ]);
    expect(decodeMessages(Polling, { interval: '0s', timeout: '1m', conditions })).to.deep.equal([
      'interval must be greater than 0, found "0s"',
    ]);
    expect(decodeMessages(Polling, { interval: '1s', timeout: '1m', conditions: [] })).to.deep.equal([
      'needs at least one condition, found an empty list',
    ]);
  });

  it('exposes the field codecs so a rendered template is held to the same rules', () => {
    expect(PollingFields.max_attempts.decode(5)).to.deep.equal({ _tag: 'Right', right: 5 });
    expect(PollingFields.max_attempts.decode(0)._tag).to.equal('Left');
    expect(PollingFields.timeout.decode('30s')).to.deep.equal({ _tag: 'Right', right: 30_000 });
  });
});
