import { expect } from 'chai';
import { Save } from '../../../lib/dsl/codecs/save.js';
import { decodeMessages, decodeOk } from './decode-helpers.js';

describe('dsl/codecs/save', () => {
  it('decodes a json_path save and a header save', () => {
    expect(decodeOk(Save, { json_path: '.job_id', as: 'job_id' })).to.deep.equal({ json_path: '.job_id', as: 'job_id' });
    expect(decodeOk(Save, { header: 'Location', as: 'url', required: false })).to.deep.equal({
      header: 'Location',
      as: 'url',
      required: false,
    });
  });

  it('needs exactly one source', () => {
    expect(decodeMessages(Save, { as: 'x' })).to.deep.equal(['a save needs a source: add json_path or header']);
    expect(decodeMessages(Save, { json_path: '.a', header: 'B', as: 'x' })).to.deep.equal([
      'a save takes one source, json_path or header, not both',
    ]);
  });

  it('validates the path unless templated, and needs a name', () => {
    expect(decodeMessages(Save, { json_path: 'id', as: 'x' })[0]).to.match(/^invalid path "id"/);
    expect(decodeOk(Save, { json_path: '.{{ f }}', as: 'x' })).to.deep.equal({ json_path: '.{{ f }}', as: 'x' });
    expect(decodeMessages(Save, { json_path: '.a' })).to.deep.equal(['missing required key "as"']);
    expect(Save.decode({ json_path: '.a', as: '' })._tag).to.equal('Left');
  });

  it("rejects the SQL plugin's sql_result with a list of allowed keys", () => {
    expect(decodeMessages(Save, { sql_result: '.rows', as: 'x' })).to.deep.include(
      'unknown key "sql_result"; allowed keys: as, json_path, header, required',
    );
  });
});
