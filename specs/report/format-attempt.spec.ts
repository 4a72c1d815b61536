import { expect } from 'chai';
import { formatAttemptContract, formatAttemptDetails, formatAttemptProgress } from '../../lib/report/format-attempt.js';
import { makeStyle } from '../../lib/report/style.js';
import { attempt } from './fixtures.js';

describe('formatAttemptDetails', () => {
  it('prints a header received several times as one line per value, in order; a sensitive one as *** per value', () => {
    const base = attempt(1);
    const record = {
      ...base,
      outcome: {
        _tag: 'Response' as const,
        status: 200,
        headers: { 'Content-Type': 'application/json', 'X-Multi': ['a', 'b, c'], 'Set-Cookie': ['sid=1', 'theme=dark'] },
        bodyExcerpt: '',
        durationMs: 5,
      },
    };
    expect(formatAttemptDetails(record, makeStyle(false)).filter((l) => l.startsWith('<'))).to.deep.equal([
      '< 200 (5ms)',
      '< Content-Type: application/json',
      '< X-Multi: a',
      '< X-Multi: b, c',
      '< Set-Cookie: ***',
      '< Set-Cookie: ***',
    ]);
  });
});

describe('formatAttemptProgress', () => {
  it('shows what the attempt got, a status or a transport error, so that the two never read alike', () => {
    expect(formatAttemptProgress(attempt(3, { max: 30, status: 503, elapsed: 4_800, timeout: 300_000, next: 2_400 }))).to.equal(
      'attempt 3/30 · 503 · next in 2.4s · 4.8s of 5m0s',
    );
    expect(
      formatAttemptProgress(attempt(3, { max: 30, transportError: 'ECONNREFUSED', elapsed: 4_800, timeout: 300_000, next: 2_400 }), 2_400),
    ).to.equal('attempt 3/30 · ECONNREFUSED · next in 0s · 7.2s of 5m0s');
    expect(formatAttemptProgress(attempt(1, { status: 201 }))).to.equal('attempt 1 · 201');
  });
});

describe('formatAttemptContract', () => {
  const plain = makeStyle(false);

  it('says how each side fared and what its body was held to: the schema of its media type, or its Content-Type only', () => {
    expect(
      formatAttemptContract(
        {
          operation: 'POST /uploads (upload)',
          request: { _tag: 'Passed', body: { _tag: 'Schema', mediaType: 'multipart/form-data' } },
          response: { _tag: 'Passed', body: { _tag: 'ContentType', mediaType: 'image/png' } },
        },
        plain,
      ),
    ).to.deep.equal([
      '✓ openapi POST /uploads (upload): request passed (multipart/form-data by schema) · response passed (image/png by Content-Type only)',
    ]);
  });

  it('lists the violations of a failed side under its line, and says why a side was skipped', () => {
    expect(
      formatAttemptContract(
        {
          operation: 'GET /jobs/{id} (getJob)',
          request: { _tag: 'Skipped', reason: 'validate_request: false' },
          response: {
            _tag: 'Failed',
            violations: [
              'response body /id: must be string (schema at components.schemas.Job.properties.id.type)',
              'response header X-A: must be integer\n(x)',
            ],
            body: { _tag: 'Schema', mediaType: 'application/json' },
          },
        },
        plain,
      ),
    ).to.deep.equal([
      '✗ openapi GET /jobs/{id} (getJob): request skipped (validate_request: false) · response failed (application/json by schema)',
      '    response body /id: must be string (schema at components.schemas.Job.properties.id.type)',
      '    response header X-A: must be integer (x)',
    ]);
  });

  it('is among the details of an attempt that has a contract, before its conditions, and absent otherwise', () => {
    const base = attempt(1, { status: 200 });
    const lines = formatAttemptDetails(
      {
        ...base,
        contract: {
          operation: 'GET /x',
          request: { _tag: 'Passed', body: { _tag: 'None' } },
          response: { _tag: 'Skipped', reason: 'no response' },
        },
      },
      plain,
    );
    expect(lines.filter((l) => l.includes('openapi'))).to.deep.equal(['✓ openapi GET /x: request passed · response skipped (no response)']);
    expect(formatAttemptDetails(base, plain).some((l) => l.includes('openapi'))).to.equal(false);
  });
});

describe('format-attempt: a sql step attempt', () => {
  const sql = {
    ...attempt(2, { max: 5, elapsed: 1000, timeout: 30_000 }),
    request: { method: 'SQL', url: 'postgres://app:***@127.0.0.1:5432/shop', headers: {}, body: 'SELECT 1' },
    outcome: { _tag: 'Response' as const, status: 0, headers: {}, bodyExcerpt: '{"queries":[]}', durationMs: 3 },
    nextDelayMs: 1000,
  };

  it('says "result", never an HTTP status of 0', () => {
    expect(formatAttemptProgress(sql)).to.equal('attempt 2/5 · result · next in 1s · 1s of 30s');
    const details = formatAttemptDetails(sql, makeStyle(false));
    expect(details[0]).to.equal('> SQL postgres://app:***@127.0.0.1:5432/shop');
    expect(details).to.include('< result (3ms)');
  });
});
