import { expect } from 'chai';
import { scriptSaves, SHELL_SAVES } from '../../lib/dsl/script-saves.js';

const js = (script: string) => scriptSaves({ language: 'javascript', script });

describe('dsl/script-saves', () => {
  it('a shell step saves exit_code, stdout and stderr, whatever its text', () => {
    expect(scriptSaves({ language: 'shell', script: 'echo "$X"; save("nope", 1)' })).to.deep.equal({ names: SHELL_SAVES, any: false });
    expect(scriptSaves({ language: 'shell', file: 'x.sh' })).to.deep.equal({ names: ['exit_code', 'stdout', 'stderr'], any: false });
  });

  it('JavaScript: the literal names of save() calls, in double, single or back quotes, once each', () => {
    expect(js(`save("a", 1);\nsave('b', 2)\nsave(\`c\`, 3); save ( "d" , 4 ); save("a", 5); save('e')`)).to.deep.equal({
      names: ['a', 'b', 'c', 'd', 'e'],
      any: false,
    });
  });

  it('no save at all: nothing; a word that only contains "save" is not it', () => {
    expect(js('const saved = 1; autosave(2); $save(3); save_all(4); obj.saveAll(5);')).to.deep.equal({ names: [], any: false });
  });

  it('prose about saving (a comment) is passed over', () => {
    expect(js('// save the id for later\n/* we save it */ save("id", 1);')).to.deep.equal({ names: ['id'], any: false });
  });

  it('a name that is not a literal may be any name: a variable, an expression, an escape, a ${} or a template', () => {
    for (const script of [
      'save(key, 1)',
      'save("id_" + n, 1)',
      'save("a\\"b", 1)',
      'save(`id_${n}`, 1)',
      'save("{{ .vars.name }}", 1)',
      'save(\n  computeName(), 1)',
    ])
      expect(js(script), script).to.deep.equal({ names: [], any: true });
  });

  it('save used other than by a call (an alias, .call, passed along) may save any name', () => {
    for (const script of [
      'const s = save; s("x", 1);',
      'save.call(null, "x", 1)',
      'run(save)',
      '[save][0]("x", 1)',
      'const { a } = { a: save };',
    ])
      expect(js(script).any, script).to.equal(true);
  });

  it('a script read from a file may save any name', () => {
    expect(scriptSaves({ language: 'javascript', file: 'steps/process.js' })).to.deep.equal({ names: [], any: true });
  });
});
