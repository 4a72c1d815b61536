import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../../lib/json.js';
import { MAX_SCRIPT_VALUE_DEPTH, scriptInput, valueText } from '../../lib/plugins/script-values.js';

function nested(depth: number): Json {
  let v: Json = 1;
  for (let i = 0; i < depth; i += 1) v = [v];
  return v;
}

describe('plugins/script-values', () => {
  it('valueText: strings as they are, anything else as compact JSON', () => {
    expect(valueText("it's", 'v')).to.deep.equal(E.right("it's"));
    expect(valueText({ a: [1, null] }, 'v')).to.deep.equal(E.right('{"a":[1,null]}'));
    expect(valueText(nested(MAX_SCRIPT_VALUE_DEPTH + 1), 'the value of "d"')).to.deep.equal(
      E.left('the value of "d" nests lists and maps more than 1000 levels deep, too deep to give to a script'),
    );
  });

  it('scriptInput: state and vars as one JSON text, naming a variable too deep', () => {
    expect(scriptInput({ id: 'j-1', 'a-b': [1] }, { n: 2 })).to.deep.equal(E.right('{"state":{"id":"j-1","a-b":[1]},"vars":{"n":2}}'));
    expect(scriptInput({ ok: 1, 'deep-one': nested(100_000) }, {})).to.deep.equal(
      E.left(
        'the saved variable "deep-one" (state["deep-one"]) nests lists and maps more than 1000 levels deep, too deep to give to a script',
      ),
    );
    expect(scriptInput({}, { cfg: nested(1001) })).to.deep.equal(
      E.left('the var "cfg" (vars.cfg) nests lists and maps more than 1000 levels deep, too deep to give to a script'),
    );
  });
});
