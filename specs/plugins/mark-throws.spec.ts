import { expect } from 'chai';
import { lastValueFrom } from 'rxjs';
import { codeColumn, markThrows, THROW_MARK } from '../../lib/plugins/mark-throws.js';
import { runScriptInWorker } from '../../lib/plugins/script-worker.js';

describe('plugins/mark-throws', () => {
  it('marks each throw statement with its line and column, adding no line', () => {
    const code = 'const a = 1;\nif (a) throw { code: 7 };\nfunction f() {\n  throw new Error("x");\n}';
    const marked = markThrows(code);
    expect(marked).to.equal(
      `const a = 1;\nif (a) throw ${THROW_MARK}(2, 8), { code: 7 };\nfunction f() {\n  throw ${THROW_MARK}(4, 3), new Error("x");\n}`,
    );
    expect(marked.split('\n')).to.have.length(code.split('\n').length);
  });

  it('codeColumn: a column of the marked text, in the code (the marks before it on its line taken off)', () => {
    const code = 'if (a) throw new Error("x"); else if (b) throw 2;\nnull.x';
    const marked = markThrows(code);
    const [first] = marked.split('\n');
    // Every place after a mark is found back at its own column.
    for (const text of ['new Error', 'else', 'if (b)', ', 2;']) {
      const inCode = code.indexOf(text === ', 2;' ? '2;' : text) + 1;
      const inMarked = (first ?? '').indexOf(text) + 1 + (text === ', 2;' ? 2 : 0);
      expect(codeColumn(code, 1, inMarked), text).to.equal(inCode);
    }
    // Before any mark, and on a line without one: the same column.
    expect(codeColumn(code, 1, 4)).to.equal(4);
    expect(codeColumn(code, 2, 5)).to.equal(5);
    // Inside a mark's own text (never a real place): just after its throw.
    expect(codeColumn(code, 1, 16)).to.equal(13);
  });

  it('leaves alone "throw" in strings, comments, regular expressions, as a property, and before a line break', () => {
    const code = 'const s = "throw x"; // throw y\n/* throw z */ const r = /throw w/; gen.throw(1); gen?.throw(2);\nthrow\n3;';
    expect(markThrows(code)).to.equal(code);
  });

  it('a script using "throw" as a method name runs unmarked (the marked text does not compile)', async () => {
    const code = 'class A { throw() { return 5 } }\nsave("x", new A().throw());';
    expect(markThrows(code)).not.to.equal(code);
    const outcome = await lastValueFrom(
      runScriptInWorker({ code, marked: markThrows(code), input: '{"state":{},"vars":{}}', timeoutMs: 1000 }),
    );
    expect(outcome).to.deep.equal({ _tag: 'Completed', saved: { x: 5 }, logs: [] });
  });

  it('a syntax error stays a syntax error once marked', async () => {
    const code = 'throw\n{ code: 1 }';
    const outcome = await lastValueFrom(
      runScriptInWorker({ code, marked: markThrows(code), input: '{"state":{},"vars":{}}', timeoutMs: 1000 }),
    );
    expect(outcome).to.deep.include({ _tag: 'Threw', description: 'SyntaxError: Illegal newline after throw' });
  });
});
