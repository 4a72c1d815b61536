import { formatSuiteJsonSchema } from '../dsl/suite-json-schema.js';
import type { CliIO } from './cli-io.js';

/**
 * `rocketship schema`: prints the JSON Schema of suite files (the built-in plugins'), as
 * `schema/rocketship.schema.json` in the package holds it, for editors and tools. Returns 0.
 */
export function runSchema(io: Pick<CliIO, 'stdout'>): number {
  io.stdout(formatSuiteJsonSchema());
  return 0;
}
