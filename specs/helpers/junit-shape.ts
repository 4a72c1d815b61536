import { childrenNamed, type XmlElement } from './xml-parser.js';

// The common JUnit XSD shape (Jenkins' junit-10.xsd, as GitLab and GitHub Actions read it),
// checked on a parsed document. Returns the problems found; none means the shape holds.
//   testsuites[name?, tests, failures, errors, time]
//     > testsuite[name, tests, failures, errors, skipped, time, timestamp]
//         > properties? testcase* system-out? system-err?
//       > testcase[name, classname, time] > properties? skipped? error* failure* system-out* system-err*

const TIME = /^\d+\.\d{3}$/;
const COUNT = /^\d+$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

export function junitProblems(root: XmlElement): string[] {
  const problems: string[] = [];
  const need = (element: XmlElement, attribute: string, pattern?: RegExp) => {
    const value = element.attributes[attribute];
    if (value === undefined) problems.push(`<${element.name}> lacks ${attribute}`);
    else if (pattern !== undefined && !pattern.test(value)) problems.push(`<${element.name} ${attribute}="${value}"> does not match ${pattern}`);
  };
  const order = (element: XmlElement, ranks: Record<string, number>, single: readonly string[]) => {
    let last = -1;
    for (const child of element.children) {
      const rank = ranks[child.name];
      if (rank === undefined) problems.push(`<${child.name}> not allowed in <${element.name}>`);
      else if (rank < last) problems.push(`<${child.name}> out of order in <${element.name}>`);
      else last = rank;
    }
    for (const name of single) if (childrenNamed(element, name).length > 1) problems.push(`more than one <${name}> in <${element.name}>`);
  };
  const properties = (element: XmlElement) => {
    for (const list of childrenNamed(element, 'properties')) {
      for (const property of list.children) {
        if (property.name !== 'property') problems.push(`<${property.name}> in <properties>`);
        need(property, 'name');
        need(property, 'value');
      }
    }
  };

  if (root.name !== 'testsuites') return [`root is <${root.name}>, not <testsuites>`];
  for (const attribute of ['tests', 'failures', 'errors']) need(root, attribute, COUNT);
  need(root, 'time', TIME);
  order(root, { testsuite: 0 }, []);
  const totals = { tests: 0, failures: 0, errors: 0 };
  for (const suite of childrenNamed(root, 'testsuite')) {
    need(suite, 'name');
    for (const attribute of ['tests', 'failures', 'errors', 'skipped']) need(suite, attribute, COUNT);
    need(suite, 'time', TIME);
    need(suite, 'timestamp', TIMESTAMP);
    order(suite, { properties: 0, testcase: 1, 'system-out': 2, 'system-err': 3 }, ['properties', 'system-out', 'system-err']);
    properties(suite);
    const cases = childrenNamed(suite, 'testcase');
    const count = { tests: cases.length, failures: 0, errors: 0, skipped: 0 };
    for (const testcase of cases) {
      need(testcase, 'name');
      need(testcase, 'classname');
      need(testcase, 'time', TIME);
      order(testcase, { properties: 0, skipped: 1, error: 2, failure: 3, 'system-out': 4, 'system-err': 5 }, ['properties', 'skipped']);
      properties(testcase);
      for (const child of testcase.children) if (child.name === 'failure' || child.name === 'error') need(child, 'message');
      if (childrenNamed(testcase, 'failure').length > 0) count.failures++;
      if (childrenNamed(testcase, 'error').length > 0) count.errors++;
      if (childrenNamed(testcase, 'skipped').length > 0) count.skipped++;
    }
    for (const key of ['tests', 'failures', 'errors', 'skipped'] as const) {
      if (suite.attributes[key] !== String(count[key])) problems.push(`testsuite ${suite.attributes.name} ${key}="${suite.attributes[key]}" but counted ${count[key]}`);
    }
    totals.tests += count.tests;
    totals.failures += count.failures;
    totals.errors += count.errors;
  }
  for (const key of ['tests', 'failures', 'errors'] as const) {
    if (root.attributes[key] !== String(totals[key])) problems.push(`testsuites ${key}="${root.attributes[key]}" but counted ${totals[key]}`);
  }
  return problems;
}
