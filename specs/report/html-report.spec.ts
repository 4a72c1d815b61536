import { expect } from 'chai';
import { Script } from 'node:vm';
import type { RunEvent } from '../../lib/event/run-event.js';
import { htmlReporter } from '../../lib/report/html-report.js';
import type { ReportData } from '../../lib/report/html/report-data.js';
import { pageScript } from '../../lib/report/html/page-script.js';
import { pageStyle } from '../../lib/report/html/page-style.js';
import { RunError } from '../../lib/report/run-error.js';
import { createRedactor } from '../../lib/secrets/create-redactor.js';
import { fakeResponse, suite } from '../helpers/fake-http.js';
import { runVirtual } from '../helpers/run-virtual.js';
import { failingSuite, passingSuite } from './fixtures.js';

const DATA_OPEN = '<script type="application/json" id="report-data">';

/** The report's data, read back from the page as a browser would: the text up to the first `</script`. */
function embedded(html: string): ReportData {
  const start = html.indexOf(DATA_OPEN);
  expect(start).to.be.greaterThan(0);
  const from = start + DATA_OPEN.length;
  const end = html.toLowerCase().indexOf('</script', from);
  return JSON.parse(html.slice(from, end)) as ReportData;
}

function render(events: readonly RunEvent[], config: Parameters<typeof htmlReporter>[0] = {}): string {
  const reporter = htmlReporter(config);
  events.forEach(reporter.next);
  reporter.complete();
  return reporter.render();
}

// What a hostile server can put in a body, a header, a step name: every way out of a <script>.
const HOSTILE = '</script><script>window.pwned = 1</script><!-- <script> </SCRIPT\t> \u2028\u2029 ]]> &amp; <img src=x onerror=alert(1)>';

function hostileRun(): RunEvent[] {
  const loaded = suite(`
name: "suite </script><!--"
tests:
  - name: "test </script>"
    steps:
      - name: "poll </script><script>"
        plugin: http
        config:
          method: GET
          url: http://api/job
          polling:
            interval: 1s
            timeout: 5s
            conditions: [{ type: json_path, path: .status, expected: "</script>" }]
`);
  return runVirtual(loaded, (_req, n, cold) =>
    cold('10ms (r|)', {
      r: fakeResponse(200, { status: n < 3 ? HOSTILE : '</script>' }, { 'X-Note': HOSTILE.replace(/[\u2028\u2029]/g, '') }),
    }),
  ).events;
}

describe('htmlReporter', () => {
  it('renders one page with the data, its style and its script inline', () => {
    const html = render(passingSuite());
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).to.equal(true);
    expect(html).to.include(`<style>${pageStyle()}</style>`);
    expect(html).to.include(`<script>${pageScript()}</script>`);
    const data = embedded(html);
    expect(data).to.include({ format: 1, tool: 'rocketship-rx', durationMs: 1300 });
    expect(data.summary).to.include({ total: 1, passed: 1 });
    expect(data.suites[0]?.tests[0]?.steps.map((s) => [s.name, s.attempts.length])).to.deep.equal([
      ['Create job', 1],
      ['Announce', 0],
      ['Wait for job completion', 4],
    ]);
  });

  it('fetches nothing: no src, href, url() or @import, and a policy that forbids any request', () => {
    const html = render(failingSuite());
    const chrome = html.slice(0, html.indexOf(DATA_OPEN)) + html.slice(html.indexOf('</script>') + 9);
    expect(chrome).not.to.match(/\bsrc\s*=|\bhref\s*=|url\(|@import/i);
    // The one address in the page is the SVG namespace, a name that is never fetched.
    expect(chrome.match(/https?:\/\/[^\s'"]+/g)).to.deep.equal(['http://www.w3.org/2000/svg']);
    expect(html).to.include(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
  });

  it('keeps hostile server data and names inside the data: the page has exactly two script elements', () => {
    const html = render(hostileRun());
    expect(html.match(/<script/gi)).to.have.length(2);
    expect(html.match(/<\/script/gi)).to.have.length(2);
    expect(html).not.to.include('<!--');
    expect(html).not.to.include('\u2028');
    expect(html).not.to.include('<img');
    // ... and the data reads back as it was sent.
    const data = embedded(html);
    expect(data.suites[0]?.name).to.equal('suite </script><!--');
    const step = data.suites[0]?.tests[0]?.steps[0];
    expect(step?.name).to.equal('poll </script><script>');
    expect(step?.attempts).to.have.length(3);
    const firstBody = data.strings[step?.attempts[0]?.[10] ?? -1];
    expect(JSON.parse(firstBody ?? 'null')).to.deep.equal({ status: HOSTILE });
    const headers = JSON.parse(data.strings[step?.attempts[0]?.[9] ?? -1] ?? 'null') as Record<string, string>;
    expect(Object.values(headers)).to.include(HOSTILE.replace(/[\u2028\u2029]/g, ''));
  });

  it('masks secrets given through redact, also those the escaping would have hidden from a text search', () => {
    // `<` is written \u003c in the page: a mask applied to the page's text would miss this one.
    const secret = 'tok<en>-5ecret';
    const leaky = hostileRun().map((e) =>
      e._tag === 'AttemptMade' && e.attempt.outcome._tag === 'Response'
        ? { ...e, attempt: { ...e.attempt, outcome: { ...e.attempt.outcome, bodyExcerpt: `{"token":"${secret}"}` } } }
        : e,
    );
    const unmasked = render(leaky);
    expect(unmasked).to.include('tok\\u003cen\\u003e-5ecret');
    const redactor = createRedactor({ secrets: [secret] });
    const masked = render(leaky, { redact: (v) => redactor.redact(v) });
    expect(masked).not.to.include('5ecret');
    expect(embedded(masked).strings).to.include('{"token":"***"}');
  });

  it('reports a run that never started with its errors', () => {
    const reporter = htmlReporter();
    reporter.error(
      new RunError([{ kind: 'input', file: 'a.yaml', line: 2, col: 8, message: 'expected a list of tests' }], { started: false }),
    );
    const data = embedded(reporter.render());
    expect(data.summary).to.include({ total: 0, errors: 1, started: false });
    expect(data.errors).to.deep.equal([{ kind: 'input', file: 'a.yaml', line: 2, col: 8, message: 'expected a list of tests' }]);
  });

  it('renders mid-run, with what has ended so far', () => {
    const events = failingSuite();
    const reporter = htmlReporter();
    events.slice(0, 5).forEach(reporter.next);
    const data = embedded(reporter.render());
    expect(data.suites[0]?.tests[0]).to.include({ status: 'running', end: null });
    expect(data.suites[0]?.tests[0]?.steps[0]?.attempts).to.have.length(2);
  });

  it('has a page script that parses, and neither it nor the style can end their element', () => {
    expect(() => new Script(pageScript())).not.to.throw();
    for (const text of [pageScript(), pageStyle()]) {
      expect(text.toLowerCase()).not.to.include('</script');
      expect(text.toLowerCase()).not.to.include('</style');
      expect(text).not.to.include('<!--');
    }
  });
});
