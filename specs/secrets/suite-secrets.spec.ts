import { expect } from 'chai';
import { credentialReferences, savedSecrets, sensitiveSaves, suiteSecrets } from '../../lib/secrets/suite-secrets.js';
import { suite } from '../helpers/fake-http.js';

const LOGIN = suite(`
name: login flow
vars:
  api: "http://127.0.0.1:1"
  client: { secret: "client-secret-value" }
init:
  - name: login
    plugin: http
    config: { method: POST, url: "{{ .vars.api }}/login", body: { user: me, password: "{{ .env.PW }}" } }
    save:
      - { json_path: .token, as: t }
      - { json_path: .user.id, as: user_id }
      - { json_path: .data.session, as: s1 }
      - { header: Set-Cookie, as: jar }
      - { json_path: .x, as: refresh_token }
tests:
  - name: uses it
    steps:
      - name: get
        plugin: http
        config:
          method: GET
          url: "http://admin:{{ .env.BASIC_PW }}@127.0.0.1:1/me?access_token={{ nested.token }}&page={{ page }}"
          headers:
            Authorization: "Bearer {{ t }}"
            X-Session-Token: "{{ .vars.client.secret }}"
            Accept: "{{ accept }}"
          form: { client_secret: "{{ .env.FORM_SECRET }}", name: "{{ who }}" }
`);

describe('suite-secrets', () => {
  describe('credentialReferences', () => {
    it('lists the templates in credential positions only: sensitive headers, URL user info, credential-named query, body and form fields', () => {
      expect(
        credentialReferences(LOGIN.suite)
          .map((r) => r.name)
          .sort(),
      ).to.deep.equal(['.env.BASIC_PW', '.env.FORM_SECRET', '.env.PW', '.vars.client.secret', 'nested.token', 't'].sort());
    });
  });

  describe('sensitiveSaves', () => {
    it('names variables used as credentials, saved from credential headers, or named like credentials', () => {
      expect([...sensitiveSaves(LOGIN.suite).names].sort()).to.deep.equal(['jar', 'nested.token', 'refresh_token', 's1', 't']);
    });
  });

  describe('savedSecrets', () => {
    it('takes the strings and numbers of sensitive saves, and the part a dotted name points into', () => {
      const sensitive = sensitiveSaves(LOGIN.suite);
      const saved = {
        t: 'tok-value-1',
        user_id: 123456,
        nested: { token: 'nested-tok-2', other: 'visible' },
        s1: { a: ['deep-s1-3', 4567] },
      };
      expect(savedSecrets(saved, sensitive).sort()).to.deep.equal(['4567', 'deep-s1-3', 'nested-tok-2', 'tok-value-1']);
    });

    it('walks a value nested 100,000 levels deep without growing the stack, and takes at most 1,000 leaves', () => {
      let deep: unknown = 'deep-secret-leaf';
      for (let i = 0; i < 100_000; i += 1) deep = [deep];
      const wide = Array.from({ length: 5000 }, (_, i) => `leaf-${i}-value`);
      expect(savedSecrets({ t: deep as string }, { names: new Set(['t']) })).to.deep.equal(['deep-secret-leaf']);
      expect(savedSecrets({ t: wide }, { names: new Set(['t']) })).to.have.length(1000);
    });
  });

  describe('suiteSecrets', () => {
    it('adds environment variables and vars used in credential positions, whatever their names', () => {
      const found = suiteSecrets(LOGIN.suite, {
        env: { PW: 'login-pw-1', BASIC_PW: 'basic-pw-2', FORM_SECRET: 'form-secret-3', HOME: '/home/me' },
        vars: { api: 'http://127.0.0.1:1', client: { secret: 'client-secret-value' } },
      });
      expect(found.sort()).to.deep.equal(['basic-pw-2', 'client-secret-value', 'form-secret-3', 'login-pw-1']);
    });

    it('reads the suite once, but each run with its own sources: a second call sees only its own environment and vars', () => {
      const first = suiteSecrets(LOGIN.suite, { env: { PW: 'first-pw-1' }, vars: { client: { secret: 'first-client' } } });
      const second = suiteSecrets(LOGIN.suite, { env: { BASIC_PW: 'second-pw-2' }, secrets: { X: 'second-secret' } });
      expect(first.sort()).to.deep.equal(['first-client', 'first-pw-1']);
      expect(second.sort()).to.deep.equal(['second-pw-2', 'second-secret']);
      // What the suite says is the same for every call, and a caller's copy does not change it.
      const refs = credentialReferences(LOGIN.suite);
      refs.length = 0;
      expect(credentialReferences(LOGIN.suite)).to.have.length.greaterThan(0);
    });

    it('counts every secret-named environment variable when a shell step runs (it receives them all)', () => {
      const shell = suite(`
name: s
tests:
  - name: t
    steps:
      - { name: sh, plugin: script, config: { language: shell, file: ./x.sh } }
`);
      const env = { API_TOKEN: 'api-token-value', GITHUB_AUTH: 'gh-auth-value', HOME: '/home/me', PS1: '$ ' };
      expect(suiteSecrets(shell.suite, { env }).sort()).to.deep.equal(['api-token-value', 'gh-auth-value']);
    });
  });
});

describe('suiteSecrets (reads of the environment and literal credentials)', () => {
  const loaded = suite(`
name: s
tests:
  - name: t
    steps:
      - name: get
        plugin: http
        config:
          method: GET
          url: "{{ .env.BASE_URL }}/x?key={{ .env.API_KEY }}"
          headers:
            Authorization: "Bearer literal-token-1"
            X-Api-Key: "{{ .env.TEMPLATED_KEY }}"
      - name: sh
        plugin: script
        config:
          language: shell
          script: 'curl -H "x: $SHELL_TOKEN" -u "\${DB_PASSWORD}" $HOME'
`);

  it('returns --secret values, secret-named env vars the suite reads, and literal credential headers', () => {
    const env = {
      BASE_URL: 'http://127.0.0.1:1',
      API_KEY: 'api-key-value',
      TEMPLATED_KEY: 'templated-key-value',
      SHELL_TOKEN: 'shell-token-value',
      DB_PASSWORD: 'db-password-value',
      HOME: '/home/me',
      UNREAD_TOKEN: 'unread-token-value',
    };
    const found = suiteSecrets(loaded.suite, { env, secrets: { PW: 'given-pw' } });
    // UNREAD_TOKEN is not read by any template, but the shell step receives the whole
    // environment (`printenv UNREAD_TOKEN` would print it): every secret-named variable counts.
    expect([...found].sort()).to.deep.equal(
      [
        'Bearer literal-token-1',
        'api-key-value',
        'db-password-value',
        'given-pw',
        'literal-token-1',
        'shell-token-value',
        'templated-key-value',
        'unread-token-value',
      ].sort(),
    );
    // HOME and BASE_URL are read, but their names do not say secret
    expect(found).not.to.include.members(['/home/me', 'http://127.0.0.1:1']);
  });

  it('leaves secret-named variables alone that a suite without shell steps never reads', () => {
    const noShell = suite(`
name: s
tests:
  - name: t
    steps:
      - { name: get, plugin: http, config: { method: GET, url: "http://127.0.0.1:1/x?key={{ .env.API_KEY }}" } }
`);
    expect(suiteSecrets(noShell.suite, { env: { API_KEY: 'api-key-value', UNREAD_TOKEN: 'unread-token-value' } })).to.deep.equal([
      'api-key-value',
    ]);
  });

  it('skips variables that are read but unset', () => {
    expect(suiteSecrets(loaded.suite, { env: {} })).to.deep.equal(['Bearer literal-token-1', 'literal-token-1']);
  });
});

describe('suiteSecrets (sql DSNs)', () => {
  const loaded = suite(`
name: s
vars:
  my: "app:var-pass-123@tcp(127.0.0.1:3306)/db"
tests:
  - name: t
    steps:
      - { name: literal, plugin: sql, config: { driver: postgres, dsn: "postgres://u:literal-pw-1@h/db", commands: ["SELECT 1"] } }
      - { name: env, plugin: sql, config: { driver: postgres, dsn: "{{ .env.DATABASE_URL }}", commands: ["SELECT 1"] } }
      - { name: vars, plugin: sql, config: { driver: mysql, dsn: "{{ .vars.my }}", commands: ["SELECT 1"] } }
      - { name: saved, plugin: sql, config: { driver: mysql, dsn: "u:{{ pw }}@tcp(h:1)/db", commands: ["SELECT 1"] } }
      - { name: lite, plugin: sql, config: { driver: sqlite, dsn: "file:x.db", commands: ["SELECT 1"] } }
`);

  it('masks the password of every DSN readable before the run: literal, from the environment, from vars', () => {
    const secrets = suiteSecrets(loaded.suite, {
      env: { DATABASE_URL: 'postgres://u:env-pass-456@h:5432/db' },
      vars: { my: 'app:var-pass-123@tcp(127.0.0.1:3306)/db' },
    });
    expect(secrets).to.include.members(['literal-pw-1', 'env-pass-456', 'var-pass-123']);
  });
});
