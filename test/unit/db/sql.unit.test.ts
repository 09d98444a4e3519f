import { byDialect, compile, join, json, sql, trustedRaw } from '../../../db/sql';

describe('sql tagged template', () => {
  it('binds every interpolated value as a numbered parameter per dialect', () => {
    const q = sql`SELECT * FROM showtimes WHERE id = ${'st-1'} AND version = ${3}`;
    expect(compile(q, 'postgres')).toEqual({
      text: 'SELECT * FROM showtimes WHERE id = $1 AND version = $2',
      params: [{ value: 'st-1' }, { value: 3 }],
    });
    expect(compile(q, 'mssql').text).toBe('SELECT * FROM showtimes WHERE id = @p1 AND version = @p2');
  });

  it('never puts a value into the text, however it looks', () => {
    const hostile = "x'; DROP TABLE payments; --";
    const compiled = compile(sql`SELECT 1 WHERE a = ${hostile}`, 'postgres');
    expect(compiled.text).toBe('SELECT 1 WHERE a = $1');
    expect(compiled.params).toEqual([{ value: hostile }]);
  });

  it('renumbers the parameters of nested fragments in order of appearance', () => {
    const where = sql`shard_key % ${4} = ${1}`;
    const q = sql`SELECT id FROM outbox_messages WHERE attempts < ${5} AND ${where} AND id <> ${'a'}`;
    expect(compile(q, 'postgres').text).toBe(
      'SELECT id FROM outbox_messages WHERE attempts < $1 AND shard_key % $2 = $3 AND id <> $4',
    );
    expect(compile(q, 'mssql').text).toBe(
      'SELECT id FROM outbox_messages WHERE attempts < @p1 AND shard_key % @p2 = @p3 AND id <> @p4',
    );
    expect(compile(q, 'mssql').params.map((p) => p.value)).toEqual([5, 4, 1, 'a']);
  });

  it('picks the dialect variant, keeping numbering continuous across it', () => {
    const q = sql`SELECT ${byDialect({ postgres: sql``, mssql: sql`TOP (${10})` })} id FROM t WHERE a = ${'x'}
      ${byDialect({ postgres: sql`LIMIT ${10}`, mssql: sql`` })}`;
    const pg = compile(q, 'postgres');
    expect(pg.text.replace(/\s+/g, ' ').trim()).toBe('SELECT id FROM t WHERE a = $1 LIMIT $2');
    expect(pg.params.map((p) => p.value)).toEqual(['x', 10]);
    const ms = compile(q, 'mssql');
    expect(ms.text.replace(/\s+/g, ' ').trim()).toBe('SELECT TOP (@p1) id FROM t WHERE a = @p2');
    expect(ms.params.map((p) => p.value)).toEqual([10, 'x']);
  });

  it('joins values and fragments with a separator', () => {
    const q = sql`id IN (${join(['a', 'b', 'c'])})`;
    expect(compile(q, 'postgres').text).toBe('id IN ($1, $2, $3)');
    const rows = join([sql`(${1}, ${2})`, sql`(${3}, ${4})`]);
    expect(compile(sql`VALUES ${rows}`, 'mssql').text).toBe('VALUES (@p1, @p2), (@p3, @p4)');
    expect(compile(sql`${join([sql`a`, sql`b`], sql` AND `)}`, 'postgres').text).toBe('a AND b');
  });

  it('binds JSON as one text parameter, cast to jsonb on PostgreSQL only', () => {
    const doc = { eventId: 'e', payload: { seats: [{ row: 5, number: 10 }] } };
    const pg = compile(sql`INSERT INTO t (payload) VALUES (${json(doc)})`, 'postgres');
    expect(pg.text).toBe('INSERT INTO t (payload) VALUES ($1::jsonb)');
    expect(pg.params).toEqual([{ value: JSON.stringify(doc), kind: 'json' }]);
    expect(compile(sql`VALUES (${json(doc)})`, 'mssql').text).toBe('VALUES (@p1)');
    expect(json(null).value).toBeNull();
  });

  it('passes null, booleans and dates through as parameters', () => {
    const at = new Date('2025-12-12T20:00:00Z');
    const compiled = compile(sql`VALUES (${null}, ${true}, ${at})`, 'postgres');
    expect(compiled.params.map((p) => p.value)).toEqual([null, true, at]);
  });

  it('refuses values that each driver would serialize differently', () => {
    expect(() => sql`${undefined as unknown as string}`).toThrow(/undefined/);
    expect(() => sql`${['a'] as unknown as string}`).toThrow(/array/);
    expect(() => sql`${{ a: 1 } as unknown as string}`).toThrow(/object/);
    expect(() => sql`${Number.NaN}`).toThrow(/non-finite/);
    expect(() => join([{} as unknown as string])).toThrow(/object/);
  });

  it('keeps trusted raw text verbatim (migration files) without parameters', () => {
    expect(compile(trustedRaw('CREATE TABLE x (a int)'), 'mssql')).toEqual({
      text: 'CREATE TABLE x (a int)',
      params: [],
    });
  });
});
