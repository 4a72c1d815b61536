import { expect } from 'chai';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../../lib/json.js';
import { renderString } from '../../lib/template/render-string.js';
import { shellValueWriter } from '../../lib/plugins/shell-literal.js';

/** Renders `script` with `v` (and `n`) as saved values, the way the script plugin writes shell text. */
function render(script: string, v: Json, extra: Record<string, Json> = {}): E.Either<string, string> {
  return E.mapLeft((e: Error) => e.message)(renderString(script, { saved: { v, ...extra }, vars: { x: v }, env: {} }, shellValueWriter()));
}

function rendered(script: string, v: Json, extra: Record<string, Json> = {}): string {
  const r = render(script, v, extra);
  if (E.isLeft(r)) throw new Error(`expected ${JSON.stringify(script)} to render with ${JSON.stringify(v)}: ${r.left}`);
  return r.right;
}

function refusal(script: string, v: Json, extra: Record<string, Json> = {}): string {
  const r = render(script, v, extra);
  if (E.isRight(r))
    throw new Error(`expected ${JSON.stringify(script)} to be refused with ${JSON.stringify(v)}, got ${JSON.stringify(r.right)}`);
  return r.left;
}

/** Runs bash on `script` in a fresh directory; returns stdout and what files the script left there. */
function bash(script: string): { stdout: string; files: string[]; code: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rocketship-shell-literal-'));
  try {
    const r = spawnSync('bash', ['-c', script], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent-home' },
    });
    return { stdout: r.stdout, files: readdirSync(dir), code: r.status, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Values a hostile server could send, each of which is code if pasted into a script as is. */
const HOSTILE = [
  'plain',
  'two words',
  "it's",
  '"double"',
  'back\\slash',
  'trailing\\',
  '$HOME',
  '${HOME}',
  '`touch PWNED1`',
  '$(touch PWNED2)',
  "'; touch PWNED3; '",
  '"; touch PWNED4; "',
  "'\\''",
  '*',
  '~',
  '& | ; < > ( ) { }',
  '}',
  'a\nb',
  '\\n',
  '!',
  '-n',
  '',
  ' leading and trailing ',
  'ä € 😀',
  "$'\\x41'",
  '# not a comment',
  'tab\there',
  '\n$(touch PWNED5)\n',
  'a[$(touch PWNED6)]',
];

/**
 * Places a template can sit in a script, each printing the value between `[` and `]` (command
 * substitution strips trailing newlines, so those print a `.` after the value and strip it).
 */
const PLACES: ReadonlyArray<{ readonly name: string; readonly script: string }> = [
  { name: 'an unquoted word', script: `printf '[%s]' {{ v }}` },
  { name: 'inside double quotes', script: `printf '%s' "[{{ v }}]"` },
  { name: 'inside double quotes, right after a variable', script: `x=1; printf '%s' "[$x{{ v }}$x]"` },
  { name: 'inside single quotes', script: `printf '%s' '[{{ v }}]'` },
  { name: "inside $'...'", script: `printf '%s' $'[{{ v }}]'` },
  { name: 'inside $( ) inside double quotes', script: `x="$(printf '%s.' "{{ v }}")"; printf '[%s]' "\${x%.}"` },
  { name: 'an unquoted word inside $( )', script: `x=$(printf '%s.' {{ v }}); printf '[%s]' "\${x%.}"` },
  { name: 'inside backquotes', script: "x=`printf '%s.' {{ v }}`; printf '[%s]' \"${x%.}\"" },
  { name: 'inside double quotes inside backquotes', script: 'x=`printf \'%s.\' "{{ v }}"`; printf \'[%s]\' "${x%.}"' },
  { name: 'a ${u:-default} inside double quotes', script: `unset u; printf '%s' "[\${u:-{{ v }}}]"` },
  { name: 'a ${u:-default} unquoted', script: `unset u; printf '[%s]' \${u:-{{ v }}}` },
  { name: 'a here-document body', script: `cat <<EOF\n[{{ v }}]\nEOF` },
  { name: 'a here-document body, inside double quotes (as in JSON)', script: `cat << EOF\n{ "v": "[{{ v }}]" }\nEOF` },
  { name: 'a quoted here-document body', script: `cat <<'EOF'\n[{{ v }}]\nEOF` },
  { name: 'a <<- here-document body', script: `cat <<-"END"\n\t[{{ v }}]\n\tEND` },
  { name: 'a here-document body inside $( )', script: `x=$(cat <<EOF\n[{{ v }}].\nEOF\n); printf '%s' "\${x%.}"` },
  { name: 'a here-string', script: `cat <<< "[{{ v }}]"` },
  { name: 'an argument of [[ == ]]', script: `[[ {{ v }} == "{{ v }}" ]] && printf '[%s]' "{{ v }}"` },
];

/** What a place prints for value `v`: `[v]`, with a newline after it for here-documents. */
function expected(place: string, v: string): string {
  if (place.includes('right after a variable')) return `[1${v}1]`;
  if (place.includes('here-document') && !place.includes('inside $( )')) return place.includes('JSON') ? `{ "v": "[${v}]" }\n` : `[${v}]\n`;
  if (place.includes('here-string')) return `[${v}]\n`;
  return `[${v}]`;
}

describe('plugins/shell-literal', function () {
  this.timeout(60_000);

  describe('every value reads as exactly its text, and never runs', () => {
    for (const place of PLACES) {
      it(place.name, () => {
        // One bash run per place: each value's script in a subshell of its own.
        // (A value holding a[$(...)] is refused inside [[ ]]: see below.)
        const values = HOSTILE.filter((v) => !(place.name.includes('[[') && v.startsWith('a[')));
        const scripts = values.map((v) => `( ${rendered(place.script, v)}\n); printf '\\0'`);
        const run = bash(scripts.join('\n'));
        expect(run.files, `files created: ${run.files.join(', ')}\n${run.stderr}`).to.deep.equal([]);
        const outputs = run.stdout.split('\0').slice(0, values.length);
        values.forEach((v, i) =>
          expect(outputs[i], `value ${JSON.stringify(v)} as ${JSON.stringify(rendered(place.script, v))}\n${run.stderr}`).to.equal(
            expected(place.name, v),
          ),
        );
      });
    }
  });

  it('any string, in every place (property; one bash run per place)', () => {
    const strings = fc.sample(
      fc.string({
        unit: fc.constantFrom(
          'a',
          '1',
          '_',
          "'",
          '"',
          '`',
          '$',
          '(',
          ')',
          '{',
          '}',
          '[',
          ']',
          '\\',
          '\n',
          '\t',
          ' ',
          '#',
          ';',
          '&',
          '|',
          '<',
          '>',
          '*',
          '~',
          '!',
          '-',
          'E',
          'O',
          'F',
        ),
      }),
      { numRuns: 60, seed: 11 },
    );
    for (const place of PLACES) {
      const values = strings.filter((v) => {
        // Refused by design (see below): a line "EOF" in a here-document, a[$(...)] inside [[ ]].
        if (place.name.includes('here-document') && v.split('\n').some((l) => l.replace(/^\t+/, '') === 'EOF' || l === 'END')) return false;
        if (place.name.includes('here-document') && place.name.includes('$( )') && v.split('\n').some((l) => l === 'EOF')) return false;
        return !(place.name.includes('[[') && v.includes('[') && /[$`]/.test(v));
      });
      const run = bash(values.map((v) => `( ${rendered(place.script, v)}\n); printf '\\0'`).join('\n'));
      const outputs = run.stdout.split('\0');
      values.forEach((v, i) =>
        expect(outputs[i], `${place.name}: ${JSON.stringify(v)} as ${JSON.stringify(rendered(place.script, v))}\n${run.stderr}`).to.equal(
          expected(place.name, v),
        ),
      );
    }
  });

  it('writes lists and maps as their JSON text, numbers and booleans as their JSON text', () => {
    const run = bash(
      rendered(`printf '%s|' {{ v }} "{{ o }}" '{{ n }}' {{ t }}`, { a: ['$(touch PWNED)', "it's"] }, { o: [1, null], n: 19.99, t: true }),
    );
    expect(run.stdout).to.equal(`{"a":["$(touch PWNED)","it's"]}|[1,null]|19.99|true|`);
    expect(run.files).to.deep.equal([]);
  });

  it('keeps what existing suites write working: quoted assignments, JSON in here-documents, comments, quotes in quotes', () => {
    // From Rocketship's shell-testing.yaml.
    const script = [
      '# Simulate build process for {{ v }}',
      'PROJECT="{{ v }}"',
      'cat > out.json << EOF',
      '{',
      '  "project": "{{ v }}",',
      '  "timestamp": "$(echo now)"',
      '}',
      'EOF',
      'echo "print(\'Hello from {{ v }}\')"',
      'cat out.json; echo "$PROJECT"; rm out.json',
    ].join('\n');
    const run = bash(rendered(script, 'rocketship'));
    expect(run.stdout).to.equal(`print('Hello from rocketship')\n{\n  "project": "rocketship",\n  "timestamp": "now"\n}\nrocketship\n`);
  });

  it('writes integers into arithmetic, and refuses anything else there', () => {
    expect(
      bash(rendered('echo $(( {{ v }} + 1 )) $(( {{ n }} * 2 )) $[ {{ v }} ]; (( x = {{ n }} - 1 )); echo $x', 41, { n: -3 })).stdout,
    ).to.equal('42 -6 41\n-4\n');
    expect(bash(rendered('echo $(( {{ v }} + 1 ))', '41')).stdout).to.equal('42\n');
    expect(refusal('echo $(( {{ v }} + 1 ))', 'a[$(touch PWNED)]')).to.equal(
      'line 1 of the script: the value of "v" is not an integer, and inside $(( )), (( )) and $[ ] bash reads it as arithmetic, where text can run commands; use "$ROCKETSHIP_V" instead in a string, or make the value a number',
    );
    expect(refusal('(( {{ v }} ))', '010')).to.contain('is not an integer');
    expect(refusal('echo $(( 1 + {{ v }} ))', 1.5)).to.contain('is not an integer');
  });

  it('refuses a template right after a backslash or a "$", naming the line and the safe form', () => {
    expect(refusal('echo ok\necho \\\\\\\\{{ v }}', 'x')).to.equal(
      'line 2 of the script: a template right after a backslash would have its first character escaped; use "$ROCKETSHIP_V" instead',
    );
    expect(refusal('echo ${{ v }}', 'HOME')).to.equal(
      'line 1 of the script: a template right after "$" would be read as part of an expansion; use "$ROCKETSHIP_V" instead',
    );
    expect(refusal('echo "${{ .vars.x }}"', 'HOME')).to.contain(
      'read it from the environment instead ("$ROCKETSHIP_<NAME>" for a saved value, "$ROCKETSHIP_VAR_<NAME>" for a var)',
    );
  });

  it('refuses a value that would end its here-document early, and a template as the delimiter', () => {
    expect(refusal('cat <<EOF\n{{ v }}\nEOF\necho done', 'x\nEOF\ntouch PWNED')).to.equal(
      'line 2 of the script: the value of "v" would end the here-document (<<EOF) early, with a line "EOF"; read it from the environment instead ("$ROCKETSHIP_<NAME>")',
    );
    expect(refusal('cat <<EOF\nE{{ v }}\nEOF', 'OF')).to.contain('would end the here-document (<<EOF) early');
    expect(refusal("cat <<'EOF'\n{{ v }}\nEOF", 'EOF')).to.contain('would end the here-document');
    expect(refusal('cat <<-EOF\n\t{{ v }}\nEOF', 'EOF')).to.contain('would end the here-document');
    // A line that only contains the delimiter as part of it is plain text.
    expect(bash(rendered('cat <<EOF\n{{ v }}\nEOF', 'EOF2\n EOF')).stdout).to.equal('EOF2\n EOF\n');
    expect(refusal('cat <<{{ v }}\nx\nEOF', 'EOF')).to.contain('a template cannot be a here-document delimiter');
  });

  it('refuses inside [[ ]] and let a value that bash would evaluate as arithmetic running a command', () => {
    expect(refusal('[[ {{ v }} -eq 1 ]]', 'a[$(touch PWNED)]')).to.contain(
      'inside [[ ]] (the operands of -eq, -lt and the like) and in the arguments of let, bash evaluates text as arithmetic',
    );
    expect(refusal('x=1; let "y = {{ v }}"', 'a[$(touch PWNED)]')).to.contain('in the arguments of let');
    expect(refusal('if let {{ v }}; then :; fi', 'a[`touch PWNED`]')).to.contain('in the arguments of let');
    // let only where a command starts; after the command ends, words are words again.
    expect(bash(rendered('echo let {{ v }}; let x=1; echo {{ v }}', 'a[$(touch PWNED)]')).stdout).to.equal(
      'let a[$(touch PWNED)]\na[$(touch PWNED)]\n',
    );
    // The same value as a string compared with [ ] (test), which never evaluates arithmetic, is fine.
    const run = bash(rendered('[ {{ v }} = x ] || echo different', 'a[$(touch PWNED)]'));
    expect(run.stdout).to.equal('different\n');
    expect(run.files).to.deep.equal([]);
  });

  it('refuses a NUL character, which bash cannot hold', () => {
    expect(refusal('echo "{{ v }}"', 'a\0b')).to.equal(
      'line 1 of the script: the value of "v" holds a NUL character, which a shell script cannot hold',
    );
  });

  it('writes a value in a comment as inert text, its line breaks as \\n', () => {
    const script = rendered('# {{ v }}\necho after', 'x\ntouch PWNED');
    expect(script).to.equal('# x\\ntouch PWNED\necho after');
    expect(bash(script).files).to.deep.equal([]);
  });

  it('follows quotes through case patterns inside $( ), nested $( ), and escaped quotes', () => {
    const v = "'; touch PWNED; '";
    const script = [
      'x=$(case a in a) echo "{{ v }}";; esac)',
      'y="$(echo "$(echo \'{{ v }}\')")"',
      'z="it\\"s {{ v }}"',
      "w='it'\\''s {{ v }}'",
      'printf "%s\\n" "$x" "$y" "$z" "$w"',
    ].join('\n');
    const run = bash(rendered(script, v));
    expect(run.stdout).to.equal(`${v}\n${v}\nit"s ${v}\nit's ${v}\n`);
    expect(run.files).to.deep.equal([]);
  });
});
