import { expect } from 'chai';
import { readShared, skipWithoutShared } from '../helpers/shared.js';
import { decodeSuiteText } from '../../lib/dsl/decode-suite.js';
import type { Suite } from '../../lib/dsl/codecs/suite.js';

// Every ```yaml block of the polling spec, read from ../shared (not copied), decodes to the
// typed value below. Fragments are wrapped in a minimal suite according to their first key.
const specDoc = readShared('spec/async-polling.md');
const snippets = [...specDoc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);

const indent = (text: string, by: number): string =>
  text
    .split('\n')
    .map((l) => (l === '' ? l : ' '.repeat(by) + l))
    .join('\n');

/** Wraps a fragment in a suite and returns the decoded part that the fragment is. */
function decodeFragment(snippet: string): unknown {
  const first = snippet.trimStart().split(':')[0];
  let text: string;
  let pick: (s: Suite) => unknown;
  if (first === 'config') {
    text = `name: snippet\ntests:\n  - name: t\n    steps:\n      - name: s\n        plugin: http\n${indent(snippet, 8)}`;
    pick = (s) => s.tests[0]?.steps[0]?.config;
  } else if (first === 'conditions') {
    const head = `name: snippet\ntests:\n  - name: t\n    steps:\n      - name: s\n        plugin: http\n        config:\n          method: GET\n          url: "https://api.example.com/x"\n          polling:\n            interval: "1s"\n            timeout: "1m"\n`;
    text = head + indent(snippet, 12);
    pick = (s) => {
      const step = s.tests[0]?.steps[0];
      return step?.plugin === 'http' ? step.config.polling?.conditions : undefined;
    };
  } else if (first === 'steps') {
    text = `name: snippet\ntests:\n  - name: t\n${indent(snippet, 4)}`;
    pick = (s) => s.tests[0]?.steps;
  } else {
    throw new Error(`no wrapper for a snippet starting with ${first}`);
  }
  const result = decodeSuiteText(text, 'snippet.yaml');
  if (result._tag === 'Left') throw new Error(result.left.map((e) => `${e.line}:${e.col} ${e.path}: ${e.message}`).join('\n'));
  return pick(result.right.suite);
}

const expected: unknown[] = [
  // Basic Polling Configuration
  {
    method: 'GET',
    url: 'https://api.example.com/jobs/123',
    polling: {
      interval: 2000,
      timeout: 300_000,
      max_attempts: 30,
      backoff_coefficient: 1.2,
      conditions: [
        { type: 'status_code', expected: 200 },
        { type: 'json_path', path: '.status', expected: 'completed' },
      ],
    },
  },
  // 1. Status Code Conditions
  [{ type: 'status_code', expected: 200 }],
  // 2. JSON Path Conditions
  [{ type: 'json_path', path: '.status', expected: 'completed' }],
  // Check if a JSON path exists
  [{ type: 'json_path', path: '.job_id', exists: true }],
  // 3. Header Conditions
  [{ type: 'header', name: 'X-Job-Status', expected: 'finished' }],
  // Variable Replacement: the template stays a raw string until the step runs
  [{ type: 'json_path', path: '.status', expected: '{{ expected_status }}' }],
  // 1. Job Processing
  [
    {
      name: 'Submit job',
      plugin: 'http',
      config: { method: 'POST', url: 'https://api.example.com/jobs', body: '{"data": "process this"}' },
      save: [{ json_path: '.job_id', as: 'job_id' }],
    },
    {
      name: 'Wait for job completion',
      plugin: 'http',
      config: {
        method: 'GET',
        url: 'https://api.example.com/jobs/{{ job_id }}',
        polling: { interval: 5000, timeout: 600_000, conditions: [{ type: 'json_path', path: '.status', expected: 'completed' }] },
      },
    },
  ],
  // 2. Deployment Status
  [
    {
      name: 'Check deployment status',
      plugin: 'http',
      config: {
        method: 'GET',
        url: 'https://api.example.com/deployments/123',
        polling: {
          interval: 10_000,
          timeout: 1_800_000,
          backoff_coefficient: 1.1,
          conditions: [
            { type: 'status_code', expected: 200 },
            { type: 'json_path', path: '.deployment.status', expected: 'success' },
          ],
        },
      },
    },
  ],
  // 3. File Processing
  [
    {
      name: 'Wait for file processing',
      plugin: 'http',
      config: {
        method: 'GET',
        url: 'https://api.example.com/files/{{ file_id }}/status',
        polling: {
          interval: 3000,
          timeout: 900_000,
          max_attempts: 100,
          conditions: [
            { type: 'json_path', path: '.processing_complete', expected: true },
            { type: 'json_path', path: '.errors', exists: false },
          ],
        },
      },
    },
  ],
];

describe('dsl: every YAML snippet of shared/spec/async-polling.md', () => {
  before(function () {
    skipWithoutShared(this, 'the product document (spec/async-polling.md)');
  });

  it('finds the 9 snippets of the spec', () => {
    expect(snippets).to.have.length(expected.length);
  });

  snippets.forEach((snippet, i) => {
    it(`snippet ${i + 1} (${snippet.trim().split('\n')[0]}) decodes to its typed value`, () => {
      expect(decodeFragment(snippet)).to.deep.equal(expected[i]);
    });
  });
});
