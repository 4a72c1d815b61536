import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type { Check } from '../../lib/check/check.js';
import type { CheckResult } from '../../lib/check/check-result.js';
import type { CheckSubject } from '../../lib/check/check-subject.js';
import { compileCheck, type CompiledCheck } from '../../lib/check/compile-check.js';
import type { Json } from '../../lib/json.js';
import { subject } from './subject.js';

function compile(check: Check): CompiledCheck {
  const r = compileCheck(check);
  if (E.isLeft(r)) throw new Error(`expected the check to compile: ${r.left}`);
  return r.right;
}

function run(check: Check, s: CheckSubject): CheckResult[] {
  return compile(check).evaluate(s);
}

function rejection(check: Check): string {
  const r = compileCheck(check);
  if (E.isRight(r)) throw new Error(`expected ${JSON.stringify(check)} to be rejected`);
  return r.left;
}

const tags = (results: CheckResult[]): string[] => results.map((r) => `${r.matcher}:${r._tag}`);

describe('check/compile-check', () => {
  const job = subject(
    200,
    { status: 'completed', job_id: 'j-1', errors: null, count: 3, ok: true, items: [{ id: 1 }, { id: 2 }] },
    { 'Content-Type': 'application/json' },
  );

  describe('status_code', () => {
    it('passes on number equality and records expected and actual', () => {
      expect(run({ type: 'status_code', expected: 200 }, job)).to.deep.equal([
        { _tag: 'Passed', label: 'status_code', matcher: 'expected', expected: 200, actual: 200 },
      ]);
      expect(run({ type: 'status_code', expected: 201 }, job)).to.deep.equal([
        { _tag: 'Failed', label: 'status_code', matcher: 'expected', expected: 201, actual: 200 },
      ]);
    });

    it('judges 4xx/5xx like any status', () => {
      expect(tags(run({ type: 'status_code', expected: 404 }, subject(404, 'not found')))).to.deep.equal(['expected:Passed']);
      expect(tags(run({ type: 'status_code', one_of: [200, 202] }, subject(500)))).to.deep.equal(['one_of:Failed']);
    });

    it('rejects a string expected at compile time: 200 is not "200"', () => {
      expect(rejection({ type: 'status_code', expected: '200' })).to.equal('status_code: expected must be a number, got string "200"');
      expect(rejection({ type: 'status_code', one_of: [200, '204'] })).to.contain('one_of values must be numbers, got string "204"');
    });

    it('supports ordering matchers', () => {
      expect(tags(run({ type: 'status_code', greater_than_or_equal: 200, less_than: 300 }, subject(204)))).to.deep.equal([
        'greater_than_or_equal:Passed',
        'less_than:Passed',
      ]);
    });
  });

  describe('header', () => {
    it('looks the name up case-insensitively and compares the value exactly', () => {
      expect(run({ type: 'header', name: 'content-type', expected: 'application/json' }, job)).to.deep.equal([
        { _tag: 'Passed', label: 'header content-type', matcher: 'expected', expected: 'application/json', actual: 'application/json' },
      ]);
      expect(tags(run({ type: 'header', name: 'Content-Type', expected: 'application/json; charset=utf-8' }, job))).to.deep.equal([
        'expected:Failed',
      ]);
      expect(tags(run({ type: 'header', name: 'Content-Type', expected: 'APPLICATION/JSON' }, job))).to.deep.equal(['expected:Failed']);
    });

    it('checks presence with exists', () => {
      expect(run({ type: 'header', name: 'X-Nope', exists: true }, job)).to.deep.equal([
        {
          _tag: 'Failed',
          label: 'header X-Nope',
          matcher: 'exists',
          expected: true,
          actual: false,
          reason: 'the response has no X-Nope header',
        },
      ]);
      expect(tags(run({ type: 'header', name: 'X-Nope', exists: false }, job))).to.deep.equal(['exists:Passed']);
      expect(tags(run({ type: 'header', name: 'content-TYPE', exists: true }, job))).to.deep.equal(['exists:Passed']);
    });

    it('fails other matchers on an absent header, with the reason', () => {
      expect(run({ type: 'header', name: 'Location', matches: '^/jobs/' }, job)[0]).to.include({
        _tag: 'Failed',
        reason: 'the response has no Location header',
      });
    });

    it('reads the first value of a header received several times, as Go (Rocketship) does; never the values joined', () => {
      const s = subject(200, '', { 'Content-Type': ['application/json', 'text/plain'], 'Set-Cookie': ['a=1', 'b=2'] });
      expect(run({ type: 'header', name: 'content-type', expected: 'application/json' }, s)[0]).to.deep.equal({
        _tag: 'Passed',
        label: 'header content-type',
        matcher: 'expected',
        expected: 'application/json',
        actual: 'application/json',
      });
      expect(run({ type: 'header', name: 'set-cookie', expected: 'a=1' }, s)[0]).to.include({ _tag: 'Passed', actual: 'a=1' });
      expect(tags(run({ type: 'header', name: 'Content-Type', contains: ',' }, s))).to.deep.equal(['contains:Failed']);
    });

    it('says, when it fails, that the header came several times and the first was read', () => {
      const s = subject(200, '', { 'Content-Type': ['application/json', 'text/plain'] });
      expect(run({ type: 'header', name: 'Content-Type', contains: 'text/plain' }, s)[0]).to.deep.equal({
        _tag: 'Failed',
        label: 'header Content-Type',
        matcher: 'contains',
        expected: 'text/plain',
        actual: 'application/json',
        reason: 'the response has 2 Content-Type headers; a header check reads the first, as Rocketship does',
      });
    });

    it('compares numeric header text with the ordering matchers', () => {
      const s = subject(200, '', { 'X-RateLimit-Remaining': '42' });
      expect(tags(run({ type: 'header', name: 'x-ratelimit-remaining', greater_than: 0, less_than_or_equal: 42 }, s))).to.deep.equal([
        'greater_than:Passed',
        'less_than_or_equal:Passed',
      ]);
    });

    it('rejects a non-string expected, since header values are text', () => {
      expect(rejection({ type: 'header', name: 'X-Count', expected: 5 })).to.equal(
        'header X-Count: expected must be a string, got number 5 (header values are text: quote it)',
      );
      expect(rejection({ type: 'header', name: ' ', exists: true })).to.contain('needs a non-empty name');
    });
  });

  describe('json_path', () => {
    it('labels with the path and compares strictly', () => {
      expect(run({ type: 'json_path', path: '.status', expected: 'completed' }, job)).to.deep.equal([
        { _tag: 'Passed', label: 'json_path .status', matcher: 'expected', expected: 'completed', actual: 'completed' },
      ]);
    });

    it('keeps types apart: true is not "true", 3 is not "3"', () => {
      expect(run({ type: 'json_path', path: '.ok', expected: 'true' }, job)[0]).to.deep.equal({
        _tag: 'Failed',
        label: 'json_path .ok',
        matcher: 'expected',
        expected: 'true',
        actual: true,
        reason: 'types differ: expected string "true", got boolean true',
      });
      expect(tags(run({ type: 'json_path', path: '.count', expected: '3' }, job))).to.deep.equal(['expected:Failed']);
      expect(tags(run({ type: 'json_path', path: '.count', expected: 3 }, job))).to.deep.equal(['expected:Passed']);
    });

    it('compares arrays and objects deeply', () => {
      expect(tags(run({ type: 'json_path', path: '.items', expected: [{ id: 1 }, { id: 2 }] }, job))).to.deep.equal(['expected:Passed']);
      expect(tags(run({ type: 'json_path', path: '.items', expected: [{ id: 2 }, { id: 1 }] }, job))).to.deep.equal(['expected:Failed']);
    });

    it('exists: true holds for a key whose value is null; exists: false holds for a missing path', () => {
      expect(run({ type: 'json_path', path: '.errors', exists: true }, job)[0]).to.include({ _tag: 'Passed', actual: true });
      expect(run({ type: 'json_path', path: '.errors', exists: false }, job)[0]).to.deep.equal({
        _tag: 'Failed',
        label: 'json_path .errors',
        matcher: 'exists',
        expected: false,
        actual: true,
        reason: 'it is present: null',
      });
      expect(run({ type: 'json_path', path: '.result', exists: false }, job)[0]).to.include({ _tag: 'Passed', actual: false });
      expect(run({ type: 'json_path', path: '.result', exists: true }, job)[0]).to.include({
        _tag: 'Failed',
        actual: false,
        reason: '.result matched nothing in the body',
      });
    });

    it('expected: null matches a null value only', () => {
      expect(tags(run({ type: 'json_path', path: '.errors', expected: null }, job))).to.deep.equal(['expected:Passed']);
      expect(run({ type: 'json_path', path: '.missing', expected: null }, job)[0]).to.include({ _tag: 'Failed', actual: undefined });
    });

    it('fails every matcher, exists: false included, when the body is not JSON', () => {
      const html = subject(502, '<html>Bad Gateway</html>');
      const results = run({ type: 'json_path', path: '.status', exists: false, not_equals: 'failed' }, html);
      expect(results.map((r) => [r.matcher, r._tag, r.actual])).to.deep.equal([
        ['exists', 'Failed', undefined],
        ['not_equals', 'Failed', undefined],
      ]);
      expect(results[0]?.reason).to.match(/^Unexpected token/);
      expect(run({ type: 'json_path', path: '.', exists: true }, subject(204))[0]?.reason).to.equal('empty body');
    });

    it('passes the lookup reason through (| length of a boolean)', () => {
      expect(run({ type: 'json_path', path: '.ok | length', expected: 1 }, job)[0]?.reason).to.match(/needs an array, string or object/);
    });

    it('supports JSONPath and | length', () => {
      expect(tags(run({ type: 'json_path', path: '$.items[*].id', expected: [1, 2] }, job))).to.deep.equal(['expected:Passed']);
      expect(tags(run({ type: 'json_path', path: '.items | length', expected: 2 }, job))).to.deep.equal(['expected:Passed']);
    });

    it('rejects a bad path at compile time', () => {
      expect(rejection({ type: 'json_path', path: 'status', expected: 'x' })).to.match(
        /^json_path: invalid path "status": .*did you mean "\.status"\?/,
      );
    });
  });

  describe('several matchers', () => {
    it('yields one result per matcher present, in a fixed order', () => {
      const results = run(
        {
          type: 'json_path',
          path: '.status',
          schema: { type: 'string' },
          matches: '^comp',
          one_of: ['completed', 'failed'],
          exists: true,
          expected: 'completed',
          value_type: 'string',
          length: 9,
          not_equals: 'x',
          contains: 'plete',
        },
        job,
      );
      expect(tags(results)).to.deep.equal([
        'expected:Passed',
        'exists:Passed',
        'not_equals:Passed',
        'contains:Passed',
        'matches:Passed',
        'one_of:Passed',
        'value_type:Passed',
        'length:Passed',
        'schema:Passed',
      ]);
    });

    it('ignores matchers set to undefined, and needs at least one', () => {
      // @ts-expect-error a caller outside TypeScript may still hand a matcher set to undefined
      expect(tags(run({ type: 'status_code', expected: 200, exists: undefined }, job))).to.deep.equal(['expected:Passed']);
      expect(rejection({ type: 'status_code' })).to.equal(
        'status_code: a check needs at least one of expected, exists, not_equals, contains, matches, one_of, greater_than, greater_than_or_equal, less_than, less_than_or_equal, value_type, length, schema',
      );
    });

    it('reports every bad operand at once', () => {
      expect(rejection({ type: 'json_path', path: '.a', matches: '(', greater_than: '5', length: -1 })).to.equal(
        'json_path .a: matches: invalid regular expression "(": Invalid regular expression: /(/: Unterminated group; ' +
          'json_path .a: greater_than must be a number, got "5"; json_path .a: length must be a non-negative integer, got -1',
      );
    });

    it('rejects an unknown check type', () => {
      expect(rejection({ type: 'body' } as unknown as Check)).to.equal(
        'unknown check type "body"; expected status_code, header, json_path, row_count, query_count, success_count or column_value',
      );
    });
  });

  describe('robustness', () => {
    it('is reusable across subjects', () => {
      const c = compile({ type: 'json_path', path: '.status', expected: 'completed' });
      expect([subject(200, { status: 'running' }), job].map((s) => c.evaluate(s)[0]?._tag)).to.deep.equal(['Failed', 'Passed']);
    });

    it('turns a throwing subject into failed results', () => {
      const broken: CheckSubject = {
        status: 200,
        body: { _tag: 'Json', value: {}, text: '{}' },
        headerValues: () => {
          throw new Error('boom');
        },
      };
      expect(run({ type: 'header', name: 'X', exists: false }, broken)[0]).to.include({
        _tag: 'Failed',
        reason: 'could not read the response: boom',
      });
    });

    it('never throws, whatever the operands and the body', () => {
      const json = fc.jsonValue() as fc.Arbitrary<Json>;
      const check = fc.record(
        {
          type: fc.constantFrom('status_code', 'json_path', 'header'),
          path: fc.constantFrom('.', '.a', '$..a', '.a[0]', '.a | length', 'bad'),
          name: fc.constantFrom('X-A', 'content-type'),
          expected: json,
          exists: fc.oneof(fc.boolean(), json),
          not_equals: json,
          contains: json,
          matches: fc.oneof(fc.string(), json),
          one_of: fc.oneof(fc.array(json), json),
          greater_than: json,
          less_than_or_equal: json,
          value_type: fc.oneof(fc.constantFrom('string', 'number', 'array'), json),
          length: json,
          schema: fc.oneof(fc.constant({ type: 'object' }), json),
        },
        { requiredKeys: ['type'] },
      ) as unknown as fc.Arbitrary<Check>;
      const body = fc.oneof(
        json.map((v) => JSON.stringify(v)),
        fc.string(),
      );
      fc.assert(
        fc.property(check, fc.integer({ min: 100, max: 599 }), body, (c, status, text) => {
          const compiled = compileCheck(c);
          if (E.isLeft(compiled)) return typeof compiled.left === 'string';
          const results = compiled.right.evaluate(subject(status, text, { 'X-A': text }));
          return results.every((r) => r._tag === 'Passed' || r._tag === 'Failed');
        }),
        { numRuns: 300 },
      );
    });
  });
});
