import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSuiteFile } from '../../lib/dsl/load-suite.js';
import { checkTemplates } from '../../lib/dsl/check-templates.js';
import { formatDslError } from '../../lib/dsl/format-dsl-error.js';
import { skipWithoutShared } from '../helpers/shared.js';

// Rocketship's own example suites (MIT, see the LICENSE there), read in place from ../shared.
const root = fileURLToPath(new URL('../../../shared/compat/rocketship/', import.meta.url));
const SHIPPED = new Set(['delay', 'http', 'log', 'script', 'sql']);

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return []; // ../shared is not here: the describe below is skipped, saying so
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []))
    .sort();
}

/** The first `plugin:` line naming a plugin we do not ship, found by reading the text directly. */
function firstForeignPlugin(text: string): { name: string; line: number; col: number } | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*(?:-\s+)?plugin:\s*)"?([A-Za-z_]+)"?\s*$/.exec(lines[i] as string);
    if (m && !SHIPPED.has(m[2] as string)) return { name: m[2] as string, line: i + 1, col: (m[1] as string).length + 1 };
  }
  return undefined;
}

const files = yamlFiles(root);

describe('dsl: Rocketship example suites (shared/compat/rocketship)', () => {
  before(function () {
    skipWithoutShared(this, "Rocketship's example suites (compat/rocketship)");
  });

  it('finds the examples, both kinds', () => {
    const foreign = files.filter((f) => firstForeignPlugin(readFileSync(f, 'utf8')) !== undefined);
    expect(files.length, `Rocketship's examples in ${root}`).to.be.at.least(20);
    expect(foreign.length).to.be.at.least(5);
    expect(files.length - foreign.length).to.be.at.least(10);
  });

  for (const file of files) {
    const name = relative(root, file);
    const foreign = firstForeignPlugin(readFileSync(file, 'utf8'));
    if (foreign === undefined) {
      it(`${name} (only shipped plugins) validates, templates included`, () => {
        const result = loadSuiteFile(file);
        if (result._tag === 'Left') return expect.fail(result.left.map((e) => `${e.line}:${e.col} ${e.path}: ${e.message}`).join('\n'));
        expect(checkTemplates(result.right).errors.map(formatDslError)).to.deep.equal([]);
      });
    } else {
      it(`${name} is rejected at its first "plugin: ${foreign.name}" line (${foreign.line})`, () => {
        const result = loadSuiteFile(file);
        if (result._tag === 'Right') return expect.fail('decoded a suite using an unsupported plugin');
        const [first] = result.left;
        expect(first).to.include({
          line: foreign.line,
          col: foreign.col,
          message: `plugin "${foreign.name}" is not supported; supported: delay, http, log, script, sql`,
        });
        // The steps using shipped plugins decode cleanly: every error is an unsupported plugin.
        for (const e of result.left) {
          expect(e.message).to.match(
            /^plugin "(supabase|agent|playwright|browser_use)" is not supported; supported: delay, http, log, script, sql$/,
          );
        }
      });
    }
  }

  it('decodes the openapi keys of the suite and of an http config (cache_ttl in ms)', () => {
    const result = loadSuiteFile(join(root, 'http-openapi-form.yaml'));
    if (result._tag === 'Left') return expect.fail(result.left[0]?.message);
    const { suite } = result.right;
    expect(suite.openapi).to.deep.equal({ spec: './.rocketship/http-openapi-form-spec.openapi', cache_ttl: 300_000 });
    const step = suite.tests[0]?.steps[0];
    expect(step?.plugin).to.equal('http');
    if (step?.plugin === 'http') {
      expect(step.config.openapi).to.deep.equal({ validate_response: false });
      // form scalars become text
      expect(step.config.form).to.deep.equal({ foo: 'hello-world', bar: '123' });
    }
  });

  it('keeps a templated duration as a template (config-variables.yaml)', () => {
    const result = loadSuiteFile(join(root, 'config-variables.yaml'));
    if (result._tag === 'Left') return expect.fail(result.left[0]?.message);
    const delay = result.right.suite.tests[0]?.steps.find((s) => s.plugin === 'delay');
    expect(delay?.config).to.deep.equal({ duration: { _tag: 'Template', source: '{{ .vars.timeout }}s' } });
  });
});
