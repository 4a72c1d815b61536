import type { SchemaProblem } from './contract.js';

/**
 * One violation as a line: what part of the message (`response body`), where in the data, what
 * is wrong, and where the schema says so.
 *
 * formatProblem('response body', { dataPath: '/items/0/id', message: 'must be string', schemaAt: 'paths./jobs.get.responses.200.content.application/json.schema.properties.items.items.properties.id.type' })
 * // 'response body /items/0/id: must be string (schema at paths./jobs.get.responses.200.content.application/json.schema.properties.items.items.properties.id.type)'
 */
export function formatProblem(part: string, problem: SchemaProblem): string {
  return `${part}${problem.dataPath === '' ? '' : ` ${problem.dataPath}`}: ${problem.message} (schema at ${problem.schemaAt})`;
}
