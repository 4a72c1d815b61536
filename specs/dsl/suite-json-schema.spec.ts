import { expect } from 'chai';
import fc from 'fast-check';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import * as t from 'io-ts';
import type { Json } from '../../lib/json.js';
import { decodeSuiteText } from '../../lib/dsl/decode-suite.js';
import type { DslError } from '../../lib/dsl/dsl-error.js';
import { formatSuiteJsonSchema, suiteJsonSchema } from '../../lib/dsl/suite-json-schema.js';
import { suiteSchemaDocs } from '../../lib/dsl/suite-schema-docs.js';
import { builtinPluginCodecs } from '../../lib/dsl/codecs/plugin-codecs.js';
import { strictType } from '../../lib/dsl/codecs/strict-type.js';
import { withJsonSchema } from '../../lib/dsl/codecs/with-json-schema.js';
import { pluginCodecs } from '../../lib/plugins/registry.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { ROOT } from '../helpers/run-cli.js';
import { readShared, SHARED, SHARED_PRESENT, skipWithoutShared } from '../helpers/shared.js';

/**
 * The suite's JSON Schema (schema/rocketship.schema.json) against the decoder it is made from: on
 * a corpus of valid and invalid suites (the examples, Rocketship's, the bad-file corpus, the cases
 * below, and random mutations of valid suites) the two must agree, except where a rule is not JSON
 * Schema's to say. Those rules are the GAPS below, each with a case proving it is a real one. The
 * schema is never stricter than the decoder: a suite the decoder accepts, the schema accepts.
 */

const SCHEMA_FILE = join(ROOT, 'schema/rocketship.schema.json');
const schema = suiteJsonSchema(pluginCodecs(builtinPlugins()));

// strictRequired would refuse `not: { required: [body, form] }` (a key named in a rule, defined elsewhere).
const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
ajv.addSchema(schema, 'suite');
const validate = ajv.getSchema('suite') as ValidateFunction;

type Verdict = 'valid' | 'invalid';

/** What an editor's YAML language server sees: the parsed value, or nothing when the YAML is broken (it reports that itself). */
function schemaVerdict(text: string): Verdict {
  const doc = parseDocument(text, { uniqueKeys: false, merge: true, logLevel: 'error' });
  if (doc.errors.length > 0) return 'invalid';
  return validate(doc.toJS({ maxAliasCount: -1 })) ? 'valid' : 'invalid';
}

function decoderErrors(text: string): DslError[] {
  const result = decodeSuiteText(text, 'case.yaml');
  return result._tag === 'Left' ? result.left : [];
}

/** A rule the decoder keeps and the schema cannot say: where the schema accepts what the decoder rejects. */
interface Gap {
  readonly rule: string;
  /** Whether a decoder error is this rule's. */
  readonly explains: (e: DslError) => boolean;
  /** Suites (as values, or text) the decoder rejects for this rule alone and the schema accepts. */
  readonly cases: readonly (Json | string)[];
}

const GAPS: readonly Gap[] = [
  {
    rule: 'YAML rules: duplicate keys, nesting deeper than 100 levels, anchors and aliases past their limits (editors report duplicate keys themselves)',
    explains: (e) => /^duplicate key|nest more than|anchors and aliases|alias/.test(e.message),
    cases: [
      'name: a\nname: b\ntests:\n  - name: t\n    steps:\n      - { name: s, plugin: log, config: { message: m } }\n',
      stringify(suiteOf(logStep(), { vars: { deep: nested(101) } })),
    ],
  },
  {
    rule: "the syntax of a JSON path (a check's path, a save's json_path): compiled when the file is decoded",
    explains: (e) => /\.(path|json_path)$/.test(e.path),
    cases: [
      suiteOf(httpStep({}, { assertions: [{ type: 'json_path', path: 'status', exists: true }] })),
      suiteOf(httpStep({}, { save: [{ json_path: '.items[', as: 'x' }] })),
    ],
  },
  {
    rule: 'the syntax of a regular expression (matches): compiled when the file is decoded',
    explains: (e) => /\.matches$/.test(e.path) && e.message.startsWith('invalid regular expression'),
    cases: [suiteOf(httpStep({}, { assertions: [{ type: 'header', name: 'X', matches: '([a-z]' }] }))],
  },
  {
    rule: 'a URL past its scheme: the schema checks http(s): as the URL parser reads it, the parser the rest',
    explains: (e) => /\.url$/.test(e.path) && e.message.startsWith('url '),
    cases: [suiteOf(httpStep({ url: 'http://' })), suiteOf(httpStep({ url: 'http://host:99999/x' }))],
  },
  {
    rule: 'a duration whose total is too large for a number (a 400-digit one)',
    explains: (e) => e.message.includes('is not a duration'),
    cases: [suiteOf(step('delay', { duration: `1${'0'.repeat(400)}h` }))],
  },
];

/** Whether decoder and schema agree on a suite, or disagree only as a listed gap allows. */
function agreement(text: string): { ok: true } | { ok: false; why: string } {
  const errors = decoderErrors(text);
  const decoder: Verdict = errors.length === 0 ? 'valid' : 'invalid';
  const byYaml = schemaVerdict(text);
  if (decoder === byYaml) return { ok: true };
  if (decoder === 'valid')
    return { ok: false, why: `the schema rejects a suite the decoder accepts:\n${text}\n${ajv.errorsText(validate.errors)}` };
  const unexplained = errors.filter((e) => !GAPS.some((g) => g.explains(e)));
  if (unexplained.length === 0) return { ok: true };
  return {
    ok: false,
    why: `the schema accepts a suite the decoder rejects, for a rule not listed in GAPS:\n${text}\n${unexplained.map((e) => `${e.path}: ${e.message}`).join('\n')}`,
  };
}

// Builders of small suites.
function step(plugin: string, config: Json, extra: Record<string, Json> = {}): Json {
  return { name: 'a step', plugin, config, ...extra };
}
function httpStep(config: Record<string, Json> = {}, extra: Record<string, Json> = {}): Json {
  return step('http', { method: 'GET', url: 'http://127.0.0.1:8080/x', ...config }, extra);
}
function pollStep(polling: Record<string, Json> = {}): Json {
  return httpStep({ polling: { interval: '1s', timeout: '5s', conditions: [{ type: 'status_code', expected: 200 }], ...polling } });
}
function logStep(): Json {
  return step('log', { message: 'hello' });
}
function suiteOf(first: Json, suite: Record<string, Json> = {}): Record<string, Json> {
  return { name: 'a suite', tests: [{ name: 'a test', steps: [first] }], ...suite };
}
function nested(depth: number): Json {
  let value: Json = 'bottom';
  for (let i = 0; i < depth; i++) value = { next: value };
  return value;
}
/** The suite with `key: value` set at `path` (keys and indices), as a copy. */
function withAt(suite: Json, path: readonly (string | number)[], value: Json | undefined): Json {
  const copy = structuredClone(suite) as Record<string, Json>;
  let node: Record<string | number, Json> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

const VALID: Readonly<Record<string, Json>> = {
  'templates in number and duration fields': suiteOf(
    pollStep({
      interval: '{{ .vars.i }}',
      timeout: '{{ .vars.t }}s',
      max_attempts: '{{ .vars.n }}',
      backoff_coefficient: '{{ .vars.b }}',
      jitter: '{{ .vars.j }}',
    }),
    { vars: { i: '1s', t: 5, n: 3, b: 1.5, j: 0.1 } },
  ),
  'every duration form': suiteOf(pollStep({ interval: '1m30s', timeout: '1.5h', max_interval: '.5s' }), {
    tests: [
      {
        name: 't',
        steps: [pollStep(), step('delay', { duration: '0' }), step('delay', { duration: '100us' }), step('delay', { duration: '2µs' })],
      },
    ],
  }),
  'a method in lower case with blanks, a templated url': suiteOf(httpStep({ method: ' post ', url: '{{ .vars.base }}/jobs' }), {
    vars: { base: 'http://x' },
  }),
  'a url in upper case after spaces': suiteOf(httpStep({ url: '  HTTPS://example.com/x' })),
  'headers with numbers and booleans, a form with lists': suiteOf(
    httpStep({
      method: 'POST',
      headers: { 'X-Count': 3, 'X-Debug': true, Accept: 'application/json' },
      form: { a: 'b', n: 1, tag: ['x', 2, false] },
    }),
  ),
  'bodies: a string, a map, a list': suiteOf(httpStep({ method: 'POST', body: '{"a": 1}' }), {
    tests: [{ name: 't', steps: [httpStep({ body: { a: [1, null, { b: true }] } }), httpStep({ body: [1, 'two'] })] }],
  }),
  'every check and matcher': suiteOf(
    httpStep(
      {},
      {
        assertions: [
          { type: 'status_code', one_of: [200, 201], not_equals: 500, greater_than: 99, less_than_or_equal: '{{ .vars.max }}' },
          { type: 'json_path', path: '$..id', exists: false },
          { type: 'json_path', path: '.items | length', greater_than_or_equal: 1, less_than: 10.5 },
          { type: 'json_path', path: '.{{ .vars.field }}', value_type: 'array', length: 0, contains: 'x' },
          { type: 'json_path', path: '.', schema: { type: 'object' } },
          { type: 'header', name: 'X-Id', matches: '^job-[0-9]+$', expected: '{{ .vars.id }}' },
          { type: 'status_code', expected: '{{ .vars.code }}' },
        ],
        save: [
          { json_path: '.id', as: 'id' },
          { header: 'Location', as: 'where', required: false },
        ],
        retry: {
          maximum_attempts: 3,
          initial_interval: '1s',
          maximum_interval: '{{ .vars.cap }}',
          backoff_coefficient: 2,
          non_retryable_errors: ['Assertions'],
        },
      },
    ),
    { vars: { max: 299, field: 'items', id: 'job-1', code: 200, cap: '5s' } },
  ),
  'polling with fail conditions and every key': suiteOf(
    pollStep({
      max_attempts: 30,
      backoff_coefficient: 1,
      max_interval: '10s',
      jitter: 0,
      fail_conditions: [{ type: 'json_path', path: '.status', expected: 'failed' }],
    }),
  ),
  'scripts inline and from a file, delay, log': suiteOf(step('script', { language: 'javascript', script: 'save("a", 1)', timeout: '5s' }), {
    tests: [
      {
        name: 't',
        steps: [step('script', { language: 'shell', file: './x.sh' }), step('delay', { duration: '{{ .vars.d }}' }), logStep()],
      },
    ],
    vars: { d: '1ms' },
  }),
  'openapi at both levels, init, cleanup, description, nested vars': suiteOf(
    httpStep({ insecure: true, timeout: '2s', openapi: { operation_id: 'getX', validate_request: false } }),
    {
      description: 'all of it',
      openapi: { spec: './openapi.yaml', version: '1', validate_request: true, validate_response: false, cache_ttl: '5m' },
      vars: { api: { url: 'http://x', ports: [1, 2] } },
      init: [logStep()],
      cleanup: { always: [logStep()], on_failure: [logStep()] },
    },
  ),
  'a test with init and cleanup': {
    name: 's',
    tests: [{ name: 't', init: [logStep()], steps: [logStep()], cleanup: { on_failure: [logStep()] } }],
  },
};

const INVALID: Readonly<Record<string, Json>> = {
  // unknown keys, at every level
  'an unknown key of the suite': { ...suiteOf(logStep()), nmae: 'x' },
  'an unknown key of a test': { name: 's', tests: [{ name: 't', steps: [logStep()], stpes: [] }] },
  'an unknown key of a step': suiteOf(step('log', { message: 'm' }, { asertions: [] })),
  'an unknown key of an http config': suiteOf(httpStep({ methd: 'GET' })),
  'an unknown key of polling': suiteOf(pollStep({ intervall: '1s' })),
  'an unknown key of a check': suiteOf(httpStep({}, { assertions: [{ type: 'status_code', expected: 200, expcted: 201 }] })),
  'exists on a status_code check': suiteOf(httpStep({}, { assertions: [{ type: 'status_code', exists: true }] })),
  'an unknown key of a save': suiteOf(httpStep({}, { save: [{ json_path: '.a', as: 'a', requird: true }] })),
  'an unknown key of retry': suiteOf(httpStep({}, { retry: { max_attempts: 3 } })),
  'an unknown key of cleanup': suiteOf(logStep(), { cleanup: { allways: [] } }),
  'an unknown key of the suite openapi': suiteOf(logStep(), { openapi: { spec: 'x', operation_id: 'y' } }),
  'an unknown key of a delay config': suiteOf(step('delay', { duration: '1s', message: 'x' })),
  'an unknown key of a log config': suiteOf(step('log', { message: 'x', level: 'info' })),
  'an unknown key of a script config': suiteOf(step('script', { language: 'shell', script: 'true', env: {} })),
  // wrong types
  'a name that is a number': suiteOf(logStep(), { name: 42 }),
  'a blank name': suiteOf(logStep(), { name: '  ' }),
  'tests as a map': { name: 's', tests: { a: 1 } },
  'steps as a string': { name: 's', tests: [{ name: 't', steps: 'go' }] },
  'a config that is a string': suiteOf(step('http', 'GET /')),
  'headers as a list': suiteOf(httpStep({ headers: ['a'] })),
  'a header value that is a map': suiteOf(httpStep({ headers: { A: { b: 1 } } })),
  'a blank header name': suiteOf(httpStep({ headers: { ' ': 'x' } })),
  'a body that is a number': suiteOf(httpStep({ body: 42 })),
  'a form value that is a map': suiteOf(httpStep({ form: { a: { b: 1 } } })),
  'a form list holding a null': suiteOf(httpStep({ form: { a: ['x', null] } })),
  'insecure as a string': suiteOf(httpStep({ insecure: 'yes' })),
  'max_attempts as a string': suiteOf(pollStep({ max_attempts: '5' })),
  'max_attempts with an escaped template': suiteOf(pollStep({ max_attempts: '\\{{ n }}' })),
  'max_attempts 2.5': suiteOf(pollStep({ max_attempts: 2.5 })),
  'max_attempts 0': suiteOf(pollStep({ max_attempts: 0 })),
  'jitter 1.5': suiteOf(pollStep({ jitter: 1.5 })),
  'backoff_coefficient 0.5': suiteOf(pollStep({ backoff_coefficient: 0.5 })),
  'a status code as a string': suiteOf(httpStep({}, { assertions: [{ type: 'status_code', expected: '200' }] })),
  'a status code of 99': suiteOf(httpStep({}, { assertions: [{ type: 'status_code', expected: 99 }] })),
  'a length of -1': suiteOf(httpStep({}, { assertions: [{ type: 'json_path', path: '.a', length: -1 }] })),
  'an unknown value_type': suiteOf(httpStep({}, { assertions: [{ type: 'json_path', path: '.a', value_type: 'str' }] })),
  'an empty one_of': suiteOf(httpStep({}, { assertions: [{ type: 'json_path', path: '.a', one_of: [] }] })),
  'greater_than as a plain string': suiteOf(httpStep({}, { assertions: [{ type: 'json_path', path: '.a', greater_than: '5' }] })),
  'non_retryable_errors as a string': suiteOf(httpStep({}, { retry: { non_retryable_errors: 'Transport' } })),
  'a description that is a number': suiteOf(logStep(), { description: 3 }),
  'vars as a list': suiteOf(logStep(), { vars: [1] }),
  'a log message that is a number': suiteOf(step('log', { message: 3 })),
  // durations
  'an interval in words': suiteOf(pollStep({ interval: '2 seconds' })),
  'an interval without a unit': suiteOf(pollStep({ interval: 5 })),
  'a timeout of 0s': suiteOf(pollStep({ timeout: '0s' })),
  'a negative interval': suiteOf(pollStep({ interval: '-1s' })),
  'a max_interval of 0': suiteOf(pollStep({ max_interval: '0' })),
  'a delay of a day': suiteOf(step('delay', { duration: '1d' })),
  'a request timeout as a number': suiteOf(httpStep({ timeout: 10 })),
  'a cache_ttl with a space': suiteOf(logStep(), { openapi: { spec: 'x', cache_ttl: '5 m' } }),
  'a retry interval as a number': suiteOf(httpStep({}, { retry: { initial_interval: 1 } })),
  // missing required keys
  'a suite without a name': { tests: [{ name: 't', steps: [logStep()] }] },
  'a suite without tests': { name: 's' },
  'a suite with no test': { name: 's', tests: [] },
  'a test without steps': { name: 's', tests: [{ name: 't' }] },
  'a step without config': suiteOf({ name: 's', plugin: 'log' }),
  'a step without plugin': suiteOf({ name: 's', config: { message: 'm' } }),
  'a step without a name': suiteOf({ plugin: 'log', config: { message: 'm' } }),
  'an http config without url': suiteOf(step('http', { method: 'GET' })),
  'polling without conditions': suiteOf(httpStep({ polling: { interval: '1s', timeout: '5s' } })),
  'polling with no condition': suiteOf(pollStep({ conditions: [] })),
  'polling without a timeout': suiteOf(httpStep({ polling: { interval: '1s', conditions: [{ type: 'status_code', expected: 200 }] } })),
  'a save without as': suiteOf(httpStep({}, { save: [{ json_path: '.a' }] })),
  'a check without type': suiteOf(httpStep({}, { assertions: [{ expected: 200 }] })),
  'a json_path check without path': suiteOf(httpStep({}, { assertions: [{ type: 'json_path', expected: 1 }] })),
  'a header check without name': suiteOf(httpStep({}, { assertions: [{ type: 'header', exists: true }] })),
  'a suite openapi without spec': suiteOf(logStep(), { openapi: { version: '1' } }),
  'a script without language': suiteOf(step('script', { script: 'true' })),
  'a delay without duration': suiteOf(step('delay', {})),
  // plugins and their configs
  'an unknown plugin': suiteOf(step('sql', { query: 'select 1' })),
  'a plugin in upper case': suiteOf(step('HTTP', { method: 'GET', url: 'http://x' })),
  'a delay config on an http step': suiteOf(step('http', { duration: '1s' })),
  'an http config on a log step': suiteOf(step('log', { method: 'GET', url: 'http://x' })),
  'a script with both script and file': suiteOf(step('script', { language: 'shell', script: 'true', file: 'x.sh' })),
  'a script with neither script nor file': suiteOf(step('script', { language: 'shell' })),
  'a script in python': suiteOf(step('script', { language: 'python', script: 'pass' })),
  'a request with body and form': suiteOf(httpStep({ body: 'a', form: { a: 'b' } })),
  'an unknown method': suiteOf(httpStep({ method: 'FETCH' })),
  'an ftp url': suiteOf(httpStep({ url: 'ftp://example.com/x' })),
  'a url without a scheme': suiteOf(httpStep({ url: 'api.example.com/x' })),
  'an unknown check type': suiteOf(httpStep({}, { assertions: [{ type: 'body', expected: 'x' }] })),
  'a check with no matcher': suiteOf(httpStep({}, { assertions: [{ type: 'json_path', path: '.a' }] })),
  'a save with both sources': suiteOf(httpStep({}, { save: [{ json_path: '.a', header: 'X', as: 'a' }] })),
  'a save with no source': suiteOf(httpStep({}, { save: [{ as: 'a' }] })),
  'a suite that is a list': [1, 2],
  'an empty file': null,
};

const yamlFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []))
        .sort()
    : [];

/** A codec of a program's own, made with `new t.Type` and declaring no schema (a new one each time: declaring one changes it). */
const custom = (): t.Type<string, string, unknown> =>
  new t.Type<string, string, unknown>(
    'a word',
    (u): u is string => typeof u === 'string',
    t.success as never,
    (a) => a,
  );

describe('dsl/suite-json-schema', () => {
  describe('schema/rocketship.schema.json', () => {
    it('is what the codecs give (npm run build writes it)', () => {
      expect(readFileSync(SCHEMA_FILE, 'utf8'), 'schema/rocketship.schema.json is stale: run npm run build').to.equal(
        formatSuiteJsonSchema(),
      );
      expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).to.deep.equal(schema);
    });

    it('is a draft 2020-12 schema that ajv compiles in strict mode', () => {
      expect(schema['$schema']).to.equal('https://json-schema.org/draft/2020-12/schema');
      expect(validate).to.be.a('function');
    });

    it('names the plugins of the registry and the check types in enums, and the polling keys of the spec', () => {
      const defs = schema['$defs'] as Record<string, { properties: Record<string, { enum?: Json[] }>; required?: string[] }>;
      expect(defs['Step']?.properties['plugin']?.enum).to.deep.equal(Object.keys(pluginCodecs(builtinPlugins())).sort());
      expect(defs['Step']?.properties['plugin']?.enum).to.deep.equal(['delay', 'http', 'log', 'script', 'sql']);
      expect(defs['Check']?.properties['type']?.enum).to.deep.equal(['status_code', 'json_path', 'header']);
      expect(defs['ScriptConfig']?.properties['language']?.enum).to.deep.equal(['javascript', 'shell']);
      // The spec's table (shared/spec/async-polling.md), and the keys beyond it.
      expect(Object.keys(defs['Polling']?.properties ?? {})).to.include.members([
        'interval',
        'timeout',
        'max_attempts',
        'backoff_coefficient',
        'conditions',
      ]);
      expect(defs['Polling']?.required).to.deep.equal(['interval', 'timeout', 'conditions']);
    });

    describe('the polling block, per the spec (shared/spec/async-polling.md)', () => {
      before(function () {
        skipWithoutShared(this, 'the product document');
      });

      it("has each option of the spec's table, required as it says, of its type, in its words, taking its examples", () => {
        const table = [...readShared('spec/async-polling.md').matchAll(/^\| `(\w+)` \| (Yes|No) \| (\w+) \| ([^|]+) \|$/gm)];
        expect(table.map((m) => m[1])).to.deep.equal(['interval', 'timeout', 'max_attempts', 'backoff_coefficient', 'conditions']);
        const polling = (schema['$defs'] as Record<string, { properties: Record<string, Record<string, Json>>; required: string[] }>)[
          'Polling'
        ];
        const accepts = (key: string, value: Json) => (ajv.getSchema(`suite#/$defs/Polling/properties/${key}`) as ValidateFunction)(value);
        const typed: Record<string, { yes: Json[]; no: Json[] }> = {
          string: { yes: ['1s'], no: [1] },
          int: { yes: [30], no: [2.5, '30'] },
          float: { yes: [1.2, 1], no: ['1.2'] },
          array: { yes: [[{ type: 'status_code', expected: 200 }]], no: [{ type: 'status_code', expected: 200 }] },
        };
        for (const [, key, required, type, text] of table as unknown as [string, string, string, string, string][]) {
          expect(polling?.required.includes(key), `${key} required`).to.equal(required === 'Yes');
          const words = text.trim().replace(/ \(.*\)$/, '');
          expect(polling?.properties[key]?.['description'], key).to.match(new RegExp(`^${words}`));
          for (const value of typed[type]?.yes ?? expect.fail(`type ${type}`))
            expect(accepts(key, value), `${key}: ${JSON.stringify(value)}`).to.equal(true);
          for (const value of typed[type]?.no ?? []) expect(accepts(key, value), `${key}: ${JSON.stringify(value)}`).to.equal(false);
          for (const example of /\(e\.g\., (.*)\)/.exec(text)?.[1]?.split(', ') ?? [])
            expect(accepts(key, JSON.parse(example) as Json), example).to.equal(true);
        }
        expect(polling?.properties['backoff_coefficient']?.['default']).to.equal(1);
      });
    });

    it("has a description and examples on every key, each example valid for its key (and each definition's for it), and no words for a key that is not there", () => {
      const problems: string[] = [];
      const documented = new Map<string, Set<string>>();
      const visit = (node: Json, pointer: string, def: string | undefined): void => {
        if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${pointer}/${i}`, def));
        if (typeof node !== 'object' || node === null) return;
        const map = node as Record<string, Json>;
        for (const [key, value] of Object.entries(map)) {
          // if/then only narrow keys the definition declares (and documents) itself.
          if (key === 'if' || key === 'then') continue;
          if (key === 'properties' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
            for (const [name, property] of Object.entries(value as Record<string, Record<string, Json>>)) {
              const at = `${pointer}/properties/${name}`;
              if (typeof property['description'] !== 'string' || property['description'] === '') problems.push(`${at}: no description`);
              const examples = property['examples'];
              if (!Array.isArray(examples) || examples.length === 0) problems.push(`${at}: no examples`);
              else {
                const check = ajv.getSchema(`suite#${at}`) as ValidateFunction;
                examples.forEach((example, i) => {
                  if (!check(example))
                    problems.push(`${at}: example ${i} ${JSON.stringify(example)} is not valid: ${ajv.errorsText(check.errors)}`);
                });
              }
              if (def !== undefined) documented.set(def, (documented.get(def) ?? new Set()).add(name));
            }
          }
          visit(value, `${pointer}/${key}`, pointer === '/$defs' ? key : def);
        }
      };
      visit(schema, '', 'Suite');
      for (const [id, docs] of Object.entries(suiteSchemaDocs())) {
        for (const key of Object.keys(docs.keys ?? {}))
          if (!documented.get(id)?.has(key)) problems.push(`suiteSchemaDocs().${id}.keys.${key}: no such key in the schema`);
      }
      for (const [id, def] of Object.entries(schema['$defs'] as Record<string, Record<string, Json>>)) {
        if (typeof def['description'] !== 'string') problems.push(`$defs/${id}: no description`);
        const check = ajv.getSchema(`suite#/$defs/${id}`) as ValidateFunction;
        for (const example of (def['examples'] ?? []) as Json[])
          if (!check(example))
            problems.push(`$defs/${id}: example ${JSON.stringify(example)} is not valid: ${ajv.errorsText(check.errors)}`);
      }
      expect(problems).to.deep.equal([]);
    });
  });

  describe('agrees with the decoder', () => {
    for (const [name, suite] of Object.entries(VALID)) {
      it(`valid for both: ${name}`, () => {
        const text = stringify(suite);
        expect(decoderErrors(text).map((e) => `${e.path}: ${e.message}`)).to.deep.equal([]);
        expect(schemaVerdict(text), ajv.errorsText(validate.errors)).to.equal('valid');
      });
    }

    for (const [name, suite] of Object.entries(INVALID)) {
      it(`invalid for both: ${name}`, () => {
        const text = suite === null ? '' : stringify(suite);
        expect(decoderErrors(text), 'the decoder accepts it').to.not.deep.equal([]);
        expect(schemaVerdict(text), 'the schema accepts it').to.equal('invalid');
      });
    }

    // The suites (examples/openapi/openapi.yaml is the example API's OpenAPI document).
    const examples = yamlFiles(join(ROOT, 'examples')).filter((f) => f.endsWith('/rocketship.yaml'));
    it(`on the examples (${examples.length} files): all valid for both`, () => {
      expect(examples.length).to.be.at.least(8);
      for (const file of examples) {
        const text = readFileSync(file, 'utf8');
        expect(decoderErrors(text), file).to.deep.equal([]);
        expect(schemaVerdict(text), `${file}: ${ajv.errorsText(validate.errors)}`).to.equal('valid');
      }
    });

    const bad = yamlFiles(join(ROOT, 'specs/dsl/corpus/bad'));
    it(`on the bad-file corpus (${bad.length} files): every one invalid for the decoder, and for the schema unless a gap says why`, () => {
      expect(bad.length).to.be.at.least(40);
      for (const file of bad) {
        const text = readFileSync(file, 'utf8');
        expect(decoderErrors(text), file).to.not.deep.equal([]);
        const result = agreement(text);
        if (!result.ok) expect.fail(`${relative(ROOT, file)}: ${result.why}`);
      }
    });

    describe("on Rocketship's example suites (shared/compat/rocketship)", () => {
      before(function () {
        skipWithoutShared(this, "Rocketship's example suites");
      });
      it('agree, the suites of plugins we do not ship invalid for both', () => {
        const files = SHARED_PRESENT ? yamlFiles(join(SHARED, 'compat/rocketship')) : [];
        expect(files.length).to.be.at.least(20);
        let valid = 0;
        for (const file of files) {
          const text = readFileSync(file, 'utf8');
          const result = agreement(text);
          if (!result.ok) expect.fail(`${file}: ${result.why}`);
          if (schemaVerdict(text) === 'valid') valid += 1;
        }
        expect(valid).to.be.at.least(10);
      });
    });

    it('on random changes of valid suites: a key removed, renamed or added, a value replaced', () => {
      const bases = [...Object.values(VALID), ...examples.map((f) => parseDocument(readFileSync(f, 'utf8')).toJS() as Json)];
      const keys = [...new Set(Object.values(suiteSchemaDocs()).flatMap((d) => Object.keys(d.keys ?? {}))), 'nmae', 'intervall', 'x-extra'];
      const values: fc.Arbitrary<Json> = fc.oneof(
        fc.constantFrom<Json>(
          0,
          1,
          -1,
          2.5,
          99,
          200,
          600,
          '',
          ' ',
          '2s',
          '0s',
          '-1s',
          '1m30s',
          '1d',
          '5',
          '{{ x }}',
          '\\{{ x }}',
          'GET',
          'get ',
          'FETCH',
          'http://x',
          'ftp://x',
          '.status',
          'status',
          '^a',
          '([',
          true,
          false,
          null,
          [],
          {},
          ['a'],
          [200],
          { type: 'status_code', expected: 200 },
          { type: 'json_path', path: '.a' },
          { a: 1 },
          'status_code',
          'json_path',
          'header',
          'http',
          'delay',
          'log',
          'script',
          'sql',
          'javascript',
          'python',
          { message: 'm' },
          { duration: '1s' },
          { method: 'GET', url: 'http://x' },
          [logStep()],
        ),
        fc.string({ maxLength: 8 }),
        fc.integer(),
        fc.double(),
      );
      const mutation = fc.record({
        base: fc.nat(bases.length - 1),
        at: fc.nat(),
        op: fc.constantFrom('replace', 'delete', 'rename', 'add'),
        key: fc.constantFrom(...keys),
        value: values,
      });
      fc.assert(
        fc.property(mutation, ({ base, at, op, key, value }) => {
          const suite = bases[base] as Json;
          const paths = pathsOf(suite);
          const path = paths[at % paths.length] as (string | number)[];
          const nodeAt = (p: readonly (string | number)[]): Json =>
            p.reduce<Json>((n, k) => (n as Record<string | number, Json>)[k] as Json, suite);
          const isMap = (n: Json): n is Record<string, Json> => typeof n === 'object' && n !== null && !Array.isArray(n);
          let changed: Json;
          if (op === 'replace') changed = path.length === 0 ? value : withAt(suite, path, structuredClone(value));
          else if (op === 'delete') changed = path.length === 0 ? null : withAt(suite, path, undefined);
          else if (op === 'add') {
            if (!isMap(nodeAt(path))) return;
            changed = withAt(suite, [...path, key], structuredClone(value));
          } else {
            const parent = nodeAt(path.slice(0, -1));
            if (path.length === 0 || !isMap(parent)) return;
            changed = withAt(withAt(suite, path, undefined), [...path.slice(0, -1), key], parent[path[path.length - 1] as string] as Json);
          }
          const result = agreement(changed === null ? '' : stringify(changed));
          if (!result.ok) throw new Error(result.why);
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('what the schema cannot say (GAPS): the decoder rejects, the schema accepts, for that rule alone', () => {
    for (const gap of GAPS) {
      it(gap.rule, () => {
        for (const suite of gap.cases) {
          const text = typeof suite === 'string' ? suite : stringify(suite);
          const errors = decoderErrors(text);
          expect(errors, text).to.not.deep.equal([]);
          expect(errors.every(gap.explains), errors.map((e) => e.message).join('\n')).to.equal(true);
          expect(schemaVerdict(text), text).to.equal('valid');
        }
      });
    }
  });

  describe('suiteJsonSchema of other plugins', () => {
    const greet = strictType('a greet config map', { who: t.string }, { times: t.number });

    it("takes a registry's plugins: their names in the enum, their config's schema under if/then", () => {
      const other = suiteJsonSchema({ ...builtinPluginCodecs, greet });
      const stepDef = (other['$defs'] as Record<string, Record<string, Json>>)['Step'] as Record<string, Json>;
      expect((stepDef['properties'] as Record<string, Record<string, Json>>)['plugin']?.['enum']).to.deep.equal([
        'delay',
        'greet',
        'http',
        'log',
        'script',
        'sql',
      ]);
      const own = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true }).compile(other);
      const suite = (config: Json) => suiteOf(step('greet', config));
      expect(own(suite({ who: 'you', times: 2 }))).to.equal(true);
      expect(own(suite({ who: 'you', tims: 2 }))).to.equal(false);
      expect(own(suite({ times: 2 }))).to.equal(false);
    });

    it('writes {} for a codec of its own that declares no schema, or the schema it declares', () => {
      const open = suiteJsonSchema({ word: custom() });
      const then = (open['$defs'] as Record<string, Record<string, Json[]>>)['Step']?.['allOf']?.[0] as Record<
        string,
        Record<string, Record<string, Json>>
      >;
      expect(then['then']?.['properties']?.['config']).to.deep.equal({ description: 'a word' });
      const described = withJsonSchema(custom(), { schema: () => ({ type: 'string', minLength: 1 }) });
      const closed = suiteJsonSchema({ word: described });
      const then2 = (closed['$defs'] as Record<string, Record<string, Json[]>>)['Step']?.['allOf']?.[0] as Record<
        string,
        Record<string, Record<string, Json>>
      >;
      expect(then2['then']?.['properties']?.['config']).to.deep.equal({ type: 'string', minLength: 1 });
    });
  });
});

/** Every path into a value: the root, each key of a map, each item of a list (iteratively). */
function pathsOf(value: Json): (string | number)[][] {
  const out: (string | number)[][] = [];
  const stack: { node: Json; path: (string | number)[] }[] = [{ node: value, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: Json; path: (string | number)[] };
    out.push(path);
    if (Array.isArray(node)) node.forEach((item: Json, i: number) => stack.push({ node: item, path: [...path, i] }));
    else if (typeof node === 'object' && node !== null)
      for (const [k, v] of Object.entries(node)) stack.push({ node: v, path: [...path, k] });
  }
  return out;
}
