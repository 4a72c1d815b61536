import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { loadSuiteFile } from '../../lib/dsl/index.js';
import { createAxiosClient } from '../../lib/http/axios-client.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { runSuite } from '../../lib/run/run-suite.js';
import type { RunEvent } from '../../lib/event/run-event.js';
import { readBody, startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';

/*
 * Plants secrets in every way a run can meet one, then greps every output for them:
 * the console (stdout and stderr, default and -v), the JSON and JUnit reports, and the events of
 * a programmatic runSuite. The CLI runs as a process (bin -> dist/: `npm run build` first).
 */

/** Given with `--secret TOKEN=...`, used as `{{ .secrets.TOKEN }}` (Authorization, body, checks, scripts). */
const TOKEN = 'tok-3f9a8c7e21';
/** The environment variable API_TOKEN, read by the suite as `{{ .env.API_TOKEN }}` and `$API_TOKEN`. */
const ENV_TOKEN = 'env-5d2b7e91c4';
/** Sent by the server in `Set-Cookie` (and in the login body); sent back in `Cookie`. */
const COOKIE = 'ck-8e7d6c5b4a39';
/** Sent by the server in an `X-Auth-Token` response header only. */
const SERVER_TOKEN = 'srv-issued-0042';
const PLANTED = [TOKEN, ENV_TOKEN, COOKIE, SERVER_TOKEN];

const SUITE = `
name: secrets
vars:
  base: BASE_URL
tests:
  - name: uses every secret and passes
    steps:
      - name: login
        plugin: http
        config: { method: POST, url: "{{ .vars.base }}/login" }
        save:
          - { json_path: .sid, as: sid }
          - { header: Set-Cookie, as: cookie_header }
      - name: echo
        plugin: http
        config:
          method: POST
          url: "{{ .vars.base }}/echo?key={{ .env.API_TOKEN }}"
          headers:
            Authorization: "Bearer {{ .secrets.TOKEN }}"
            X-Api-Key: "{{ .env.API_TOKEN }}"
            Cookie: "sid={{ sid }}"
          body: { token: "{{ .secrets.TOKEN }}" }
        assertions:
          - { type: json_path, path: .headers.authorization, expected: "Bearer {{ .secrets.TOKEN }}" }
        save:
          - { json_path: .headers.authorization, as: echoed }
      - name: say
        plugin: log
        config: { message: "using {{ .secrets.TOKEN }}, {{ .env.API_TOKEN }}, {{ echoed }}, {{ sid }}" }
      - name: shell
        plugin: script
        config:
          language: shell
          script: 'echo "$API_TOKEN {{ .secrets.TOKEN }}"'
  - name: an assertion expecting the secret fails
    steps:
      - name: echo
        plugin: http
        config:
          method: GET
          url: "{{ .vars.base }}/echo"
          headers: { X-Auth-Token: "{{ .env.API_TOKEN }}" }
        assertions:
          - { type: json_path, path: '.headers["x-auth-token"]', expected: "{{ .secrets.TOKEN }}" }
  - name: a poll gives up showing the echoed token
    steps:
      - name: poll
        plugin: http
        config:
          method: GET
          url: "{{ .vars.base }}/echo"
          headers: { Authorization: "Bearer {{ .secrets.TOKEN }}" }
          polling:
            interval: 10ms
            timeout: 5s
            max_attempts: 2
            conditions:
              - { type: json_path, path: .missing, exists: true }
  - name: a shell script fails printing secrets
    steps:
      - name: shell
        plugin: script
        config:
          language: shell
          script: 'echo "bad $API_TOKEN {{ .secrets.TOKEN }}" >&2; exit 3'
`;

describe('secrets never leave the runner', function () {
  this.timeout(30_000);
  let server: LocalServer;
  let dir: string;
  let file: string;
  const authorizations: string[] = [];

  before(async () => {
    server = await startLocalServer(async (req, res) => {
      const body = (await readBody(req)).toString('utf8');
      if (req.headers.authorization !== undefined) authorizations.push(req.headers.authorization);
      if (req.url === '/login') {
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Set-Cookie': `sid=${COOKIE}; Path=/; HttpOnly`,
          'X-Auth-Token': SERVER_TOKEN,
        });
        res.end(JSON.stringify({ sid: COOKIE }));
        return;
      }
      // An echo endpoint: reflects the request, credentials included, in its body.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
    });
    dir = mkdtempSync(join(tmpdir(), 'rocketship-secrets-'));
    file = join(dir, 'rocketship.yaml');
    writeFileSync(file, SUITE.replace('BASE_URL', server.url));
  });
  beforeEach(() => {
    authorizations.length = 0;
    server.reset();
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const expectMasked = (what: string, text: string): void => {
    for (const secret of PLANTED) expect(text, `${what} shows ${secret}`).not.to.contain(secret);
    expect(text, `${what} has no ***`).to.contain('***');
  };

  const runWithReports = async (extra: readonly string[], name: string): Promise<{ cli: CliResult; json: string; junit: string }> => {
    const json = join(dir, `${name}.json`);
    const junit = join(dir, `${name}.xml`);
    const cli = await runCli(
      ['run', '-f', file, '--secret', `TOKEN=${TOKEN}`, '--report', `json=${json}`, '--report', `junit=${junit}`, ...extra],
      {
        env: { API_TOKEN: ENV_TOKEN },
      },
    );
    return { cli, json: readFileSync(json, 'utf8'), junit: readFileSync(junit, 'utf8') };
  };

  const expectTheRunHappened = (cli: CliResult): void => {
    expect(cli.code, cli.stdout + cli.stderr).to.equal(1);
    expect(cli.stdout).to.match(/^1 passed, 3 failed, 0 skipped$/m);
    // the server got the real credentials: masking is on the way out only
    expect(authorizations).to.include(`Bearer ${TOKEN}`);
    expect(server.requests).to.equal(5);
  };

  it('the console (default), JSON and JUnit reports show *** instead of every planted secret', async () => {
    const { cli, json, junit } = await runWithReports([], 'default');
    expectTheRunHappened(cli);
    expectMasked('stdout', cli.stdout);
    for (const secret of PLANTED) expect(cli.stderr).not.to.contain(secret);
    expectMasked('JSON report', json);
    expectMasked('JUnit report', junit);
    // where the secrets were: the failed assertion's expected value, the shell's stderr
    expect(cli.stdout).to.contain('"***"');
    expect(cli.stdout).to.contain('bad *** ***');
  });

  it('the verbose console (-v: every request and response) shows *** instead of every planted secret', async () => {
    const { cli, json, junit } = await runWithReports(['-v'], 'verbose');
    expectTheRunHappened(cli);
    expectMasked('stdout -v', cli.stdout);
    for (const secret of PLANTED) expect(cli.stderr).not.to.contain(secret);
    expectMasked('JSON report', json);
    expectMasked('JUnit report', junit);
    expect(cli.stdout).to.contain('Authorization: ***');
    expect(cli.stdout).to.contain('/echo?key=***');
  });

  it('the events of a programmatic runSuite show *** instead of every planted secret', async () => {
    const loaded = loadSuiteFile(file);
    if (loaded._tag === 'Left') throw new Error(JSON.stringify(loaded.left));
    const events: RunEvent[] = await lastValueFrom(
      runSuite(loaded.right, {
        http: createAxiosClient(),
        plugins: builtinPlugins(),
        env: { ...process.env, API_TOKEN: ENV_TOKEN },
        secrets: { TOKEN },
      }).pipe(toArray()),
    );
    const ended = events.at(-1);
    expect(ended).to.deep.include({ _tag: 'SuiteEnded' });
    expect(ended?._tag === 'SuiteEnded' && ended.result).to.include({ passed: 1, failed: 3 });
    expect(authorizations).to.include(`Bearer ${TOKEN}`);
    expectMasked('events', JSON.stringify(events));
  });

  it('stderr is masked too: a decode error quoting a line that holds a secret', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      `name: bad\ntests:\n  - name: t\n    steps:\n      - { name: s, plugin: http, config: { method: GET, url: "http://127.0.0.1:9/?t=${TOKEN}", bogus: 1 } }\n`,
    );
    const cli = await runCli(['run', '-f', bad, '--secret', `TOKEN=${TOKEN}`]);
    expect(cli.code).to.equal(2);
    expect(cli.stderr).to.contain('bogus');
    expect(cli.stderr).to.contain('?t=***');
    expect(cli.stderr + cli.stdout).not.to.contain(TOKEN);
  });

  it('stderr is masked too: a usage error quoting a malformed --secret', async () => {
    const cli = await runCli(['run', '-f', file, '--secret', TOKEN]);
    expect(cli.code).to.equal(2);
    expect(cli.stderr).to.contain('--secret');
    expect(cli.stderr).to.contain('***');
    expect(cli.stderr + cli.stdout).not.to.contain(TOKEN);
    expect(server.requests).to.equal(0);
  });
});

/*
 * Issue 11, items 16-18: secrets that leaked in an encoded form, a token learned by use, and the
 * environment a shell step receives. Each secret below is planted in one way, and every output is
 * searched for it in every form a server or a report could show it in, computed here with the
 * encoders that produce them (not with the redactor's own list).
 */

/** A --secret with a slash, an apostrophe, parentheses and a non-ASCII letter. */
const ODD = "k3y/it's-(ë)-77";
/** Read as `{{ .env.PW }}` in a URL's user info: a name that does not say secret. */
const URL_PW = 'hunter2-url-pw';
/** Issued by /login in its body, saved as `t` (a name that does not say secret), sent as a bearer token. */
const ISSUED = 'issued-tok-5a7c9e1b';
/** In the environment, never read by a template: a shell step prints it. */
const DEPLOY = 'deploy-tok-3c2b1a09';

/** JSON as PHP's json_encode writes it by default: slashes and non-ASCII escaped. */
function phpJson(text: string): string {
  return JSON.stringify(text)
    .slice(1, -1)
    .replace(/\//g, '\\/')
    .replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
/** JSON as Python's json.dumps writes it by default: non-ASCII escaped, slashes kept. */
function pythonJson(text: string): string {
  return JSON.stringify(text)
    .slice(1, -1)
    .replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
/** RFC 3986 percent-encoding (Python's quote(safe=''), Go's PathEscape of a segment). */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
/** Every form of `secret` a server in the spec below echoes it in. */
function echoedForms(secret: string): string[] {
  return [
    secret,
    phpJson(secret),
    pythonJson(secret),
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    rfc3986(secret),
    new URLSearchParams({ q: secret }).toString().slice(2),
  ];
}

const ENCODED_SUITE = `
name: encoded echoes
tests:
  - name: a server echoes secrets in escaped forms
    steps:
      - name: echo
        plugin: http
        config:
          method: GET
          url: "http://admin:{{ .env.PW }}@HOST_PORT/forms"
          headers: { X-Api-Key: "{{ .secrets.ODD }}" }
        assertions:
          - { type: json_path, path: .php, expected: "not this" }
  - name: a login token saved, then used as a credential
    steps:
      - name: whoami
        plugin: http
        config: { method: GET, url: "http://HOST_PORT/hint" }
      - name: login
        plugin: http
        config: { method: POST, url: "http://HOST_PORT/login" }
        save:
          - { json_path: .token, as: t }
      - name: me
        plugin: http
        config:
          method: GET
          url: "http://HOST_PORT/me"
          headers: { Authorization: "Bearer {{ t }}" }
        assertions:
          - { type: status_code, expected: 200 }
  - name: a shell step prints the environment it was given
    steps:
      - name: printenv
        plugin: script
        config:
          language: shell
          script: 'printenv DEPLOY_TOKEN; printenv DEPLOY_TOKEN >&2; exit 4'
`;

describe('secrets in escaped forms, learned by use, and in the environment of a shell step (issue 11, items 16-18)', function () {
  this.timeout(30_000);
  let server: LocalServer;
  let dir: string;
  let file: string;

  before(async () => {
    server = await startLocalServer((req, res) => {
      const json = (text: string) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(text);
      const key = Buffer.from(String(req.headers['x-api-key'] ?? ''), 'latin1').toString('utf8');
      switch (new URL(req.url ?? '/', 'http://x').pathname) {
        case '/forms':
          // Written by hand, as servers in other languages write JSON: the escapes stay in the body text.
          return json(
            `{"php":"${phpJson(key)}","python":"${pythonJson(key)}","query":"${encodeURIComponent(key)}","strict":"${rfc3986(key)}",` +
              `"form":"${new URLSearchParams({ q: key }).toString().slice(2)}","authorization":"${req.headers.authorization ?? ''}"}`,
          );
        case '/hint':
          return json(JSON.stringify({ hint: `your next token is ${ISSUED}` }));
        case '/login':
          return json(JSON.stringify({ token: ISSUED }));
        case '/me':
          return json(JSON.stringify({ you: req.headers.authorization }));
        default:
          res.writeHead(404).end();
      }
    });
    dir = mkdtempSync(join(tmpdir(), 'rocketship-secrets-forms-'));
    file = join(dir, 'rocketship.yaml');
    writeFileSync(file, ENCODED_SUITE.replaceAll('HOST_PORT', `127.0.0.1:${server.port}`));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const basic = Buffer.from(`admin:${URL_PW}`).toString('base64');
  let cli: CliResult;
  let reports: Record<string, string>;
  /** The console without the one line that printed the /hint response (see item 17). */
  let console: string;
  const expectNowhere = (secrets: readonly string[]): void => {
    for (const [what, text] of Object.entries({ ...reports, stderr: cli.stderr, 'the console (-v)': console })) {
      for (const secret of secrets) expect(text, `${what} shows ${secret}`).not.to.contain(secret);
    }
  };

  before(async () => {
    const json = join(dir, 'report.json');
    const junit = join(dir, 'report.xml');
    cli = await runCli(['run', '-f', file, '-v', '--secret', `ODD=${ODD}`, '--report', `json=${json}`, '--report', `junit=${junit}`], {
      env: { PW: URL_PW, DEPLOY_TOKEN: DEPLOY },
    });
    reports = { 'the JSON report': readFileSync(json, 'utf8'), 'the JUnit report': readFileSync(junit, 'utf8') };
    // The console printed the /hint response before anything said its token was a credential:
    // that one line is the only place it may show (reports are masked again at the end).
    console = cli.stdout
      .split('\n')
      .filter((line) => !line.includes('your next token is'))
      .join('\n');
    expect(cli.code, cli.stdout + cli.stderr).to.equal(1);
    expect(cli.stdout).to.match(/^1 passed, 2 failed, 0 skipped$/m);
  });

  it('16: a secret echoed JSON-escaped (PHP, Python), percent-encoded (both forms), and a URL password as Basic base64', () => {
    expectNowhere([...echoedForms(ODD), URL_PW, basic]);
    expect(cli.stdout).to.contain('"php":"***"');
    expect(cli.stdout).to.contain('"authorization":"Basic ***"');
  });

  it('17: a token saved from a login response and then sent as Authorization is masked in that response and in saved values', () => {
    expectNowhere([ISSUED]);
    // The evidence is still there, masked: the login response's body and the saved value.
    expect(reports['the JSON report']).to.contain('{\\"token\\":\\"***\\"}');
    expect(JSON.parse(reports['the JSON report'] as string).suites[0].tests[1].steps[1].result.saved).to.deep.equal({ t: '***' });
    expect(reports['the JSON report']).to.contain('your next token is ***');
  });

  it('18: a secret-named environment variable that a shell step prints, though no template reads it', () => {
    expectNowhere([DEPLOY]);
    expect(cli.stdout).to.contain('shell script exited with code 4');
  });
});
