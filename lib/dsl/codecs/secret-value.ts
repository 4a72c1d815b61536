/**
 * What a codec reports as the value of a failure whose value may hold a secret (a DSN with its
 * password): the error then shows `***` in place of the value, in `found` and in the quoted
 * source line under the caret, while still pointing at its file, line and column.
 *
 * return [{ value: SECRET_VALUE, context: t.appendContext(c, 'dsn', NonEmptyString, SECRET_VALUE), message: 'not a mysql DSN: ...' }]
 * // tests[0].steps[0].config.dsn at 9:16, source `          dsn: ***`
 */
export const SECRET_VALUE: unique symbol = Symbol('a secret value, not shown');
