import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as api from '../lib/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const INDEX = readFileSync(`${ROOT}lib/index.ts`, 'utf8');
const README = readFileSync(`${ROOT}README.md`, 'utf8');

/** The values the package root exports (types leave nothing at run time). */
const VALUES = [
  'DeadlineError',
  'Duration',
  'PollConfigError',
  'PollFailedError',
  'PollMaxAttemptsError',
  'PollTimeoutError',
  'StepConfigError',
  'StepFailedError',
  'TemplateError',
  'TransportError',
  'VERSION',
  'backoffDelay',
  'builtinPlugins',
  'consoleReporter',
  'createAxiosClient',
  'createRedactor',
  'createSlotPool',
  'deadline',
  'decodeSuiteText',
  'definePlugin',
  'delayPlugin',
  'discoverSuiteFiles',
  'done',
  'failed',
  'formatDslError',
  'formatPlan',
  'formatStepProblem',
  'htmlReporter',
  'httpPlugin',
  'jsonReporter',
  'junitReporter',
  'loadSuiteFile',
  'localExecutor',
  'logPlugin',
  'notYet',
  'planRun',
  'planSuite',
  'pluginCodecs',
  'pluginRegistry',
  'poll',
  'pollSchedule',
  'queueExecutor',
  'pollUntil',
  'renderString',
  'renderValue',
  'run',
  'runSuite',
  'scriptPlugin',
  'sqlPlugin',
  'startWorker',
  'strictType',
  'suiteJsonSchema',
  'withJsonSchema',
  'withPlugin',
];

/** Every name an `export { ... }` or `export type { ... }` of lib/index.ts lists. */
function namedExports(text: string): string[] {
  return [...text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)].flatMap((m) =>
    (m[1] as string)
      .split(',')
      .map((s) => s.replace(/^\s*type\s+/, '').trim())
      .filter((s) => s !== ''),
  );
}

describe('lib/index.ts: the public surface', () => {
  it('exports exactly the curated values, nothing else (internals such as decoder helpers stay inside)', () => {
    expect(Object.keys(api).sort()).to.deep.equal([...VALUES].sort());
  });

  it('does not export decoder, runner or masking internals', () => {
    for (const name of [
      'withCheck',
      'list',
      'keyword',
      'boundedNumber',
      'reportErrors',
      'formatKeyPath',
      'suiteCodec',
      'runStep',
      'runTest',
      'runSequence',
      'mergeVars',
      'secretForms',
      'createSecretSet',
      'compileCheck',
      'buildRequest',
      'uniqueLabels',
    ])
      expect(api, name).not.to.have.property(name);
  });

  it('says in one comment line above each export statement what it is for', () => {
    const lines = INDEX.split('\n');
    const bare = lines
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => /^export\b/.test(line))
      .filter(({ i }) => {
        // The statement's comment ends on the line above (a group's later lines share it: `export type` right after an export).
        let j = i - 1;
        while (j >= 0 && /^export\b.*;$/.test(lines[j] as string) && !/^\/\*\*/.test(lines[j] as string)) j--;
        return !/\*\/\s*$/.test(lines[j] ?? '');
      })
      .map(({ line, i }) => `lib/index.ts:${i + 1}: ${line}`);
    expect(bare).to.deep.equal([]);
  });

  it('has every name the README imports from "rocketship-rx"', () => {
    const exported = new Set([...Object.keys(api), ...namedExports(INDEX)]);
    const imported = [...README.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'rocketship-rx'/g)].flatMap((m) =>
      (m[1] as string).split(',').map((s) => s.replace(/^\s*type\s+/, '').trim()),
    );
    expect(imported.length).to.be.above(5);
    expect(imported.filter((name) => name !== '' && !exported.has(name))).to.deep.equal([]);
  });
});
