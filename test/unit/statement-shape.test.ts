import { statementShape } from '../../src/db/query-counter';

/** The bench's per-statement figures group calls by shape: what varies between calls must fold. */
describe('statementShape', () => {
  it('folds literals, placeholders, IN-lists and multi-row VALUES', () => {
    expect(statementShape(`select * from "outbox" where "id" = $1 and "status" = 'sending' limit 1`)).toBe(
      `select * from "outbox" where "id" = ? and "status" = '?' limit N`,
    );
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ');
    expect(statementShape(`update "outbox" set "looked_up" = true where "id" in (${ids(3)})`)).toBe(
      statementShape(`update "outbox" set "looked_up" = true where "id" in (${ids(500)})`),
    );
    expect(statementShape('insert into "t" ("a", "b") values ($1, $2), ($3, $4), ($5, $6)')).toBe(statementShape('insert into "t" ("a", "b") values ($1, $2)'));
    expect(statementShape("select  'it''s'\n  from t")).toBe("select '?' from t");
  });
});
