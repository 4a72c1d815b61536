import { expect } from 'chai';
import { splitSql } from '../../lib/plugins/split-sql.js';

describe('plugins/split-sql', () => {
  it('splits at ; outside quotes and comments, trimming and dropping empty statements', () => {
    expect(splitSql('-- setup; here\nINSERT INTO t VALUES (\'a;b\', "c;d", `e;f`);;\n/* x; y */ SELECT 1;\n  SELECT 2  ')).to.deep.equal([
      'INSERT INTO t VALUES (\'a;b\', "c;d", `e;f`)',
      'SELECT 1',
      'SELECT 2',
    ]);
  });

  it("keeps doubled quotes and PostgreSQL's dollar quotes whole", () => {
    expect(
      splitSql("SELECT 'it''s; fine'; CREATE FUNCTION f() RETURNS int AS $fn$ BEGIN RETURN 1; END; $fn$ LANGUAGE plpgsql;"),
    ).to.deep.equal(["SELECT 'it''s; fine'", 'CREATE FUNCTION f() RETURNS int AS $fn$ BEGIN RETURN 1; END; $fn$ LANGUAGE plpgsql']);
  });

  it('gives nothing for a file of comments, and an unclosed quote runs to the end', () => {
    expect(splitSql('-- only a comment\n/* and another */')).to.deep.equal([]);
    expect(splitSql("SELECT 'open; still")).to.deep.equal(["SELECT 'open; still"]);
  });
});
