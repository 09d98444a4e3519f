import { dialectOf } from '../../../db/dialect';
import { isTransientTransactionError, isUniqueViolation } from '../../../db/errors';
import { splitBatches } from '../../../db/migrate';
import { mssqlConfigFromUrl } from '../../../db/mssql-url';

describe('dialect selection by URL', () => {
  it.each([
    ['postgres://postgres@127.0.0.1:5432/cinema', 'postgres'],
    ['postgresql://u:p@db/cinema', 'postgres'],
    ['mssql://sa:pw@127.0.0.1:1433/CinemaDb', 'mssql'],
    ['sqlserver://sa:pw@sql/CinemaDb', 'mssql'],
  ])('%s -> %s', (url, dialect) => {
    expect(dialectOf(url)).toBe(dialect);
  });

  it('refuses other schemes', () => {
    expect(() => dialectOf('mysql://root@localhost/db')).toThrow(/unsupported/);
  });
});

describe('mssql URL to driver config', () => {
  it('maps host, port, credentials, database and TLS flags', () => {
    const config = mssqlConfigFromUrl(
      'mssql://sa:S3cr%40t@sql.local:14330/CinemaDb?trustServerCertificate=true',
      7,
    );
    expect(config).toMatchObject({
      server: 'sql.local',
      port: 14330,
      user: 'sa',
      password: 'S3cr@t',
      database: 'CinemaDb',
      pool: { max: 7 },
      options: { encrypt: true, trustServerCertificate: true },
    });
  });

  it('defaults to port 1433 and can turn encryption off', () => {
    const config = mssqlConfigFromUrl('sqlserver://sa:pw@sql/CinemaDb?encrypt=false');
    expect(config.port).toBe(1433);
    expect(config.options?.encrypt).toBe(false);
  });
});

describe('driver error classification', () => {
  it('recognizes unique violations of both dialects, optionally by index name', () => {
    const pg = { code: '23505', constraint: 'ux_reservation_seats_live' };
    const mssql = {
      number: 2601,
      message:
        "Cannot insert duplicate key row in object 'dbo.reservation_seats' with unique index 'ux_reservation_seats_live'.",
    };
    expect(isUniqueViolation(pg, 'ux_reservation_seats_live')).toBe(true);
    expect(isUniqueViolation(mssql, 'ux_reservation_seats_live')).toBe(true);
    expect(isUniqueViolation({ number: 2627, message: "constraint 'pk_x'" })).toBe(true);
    expect(isUniqueViolation(pg, 'ux_payments_reservation')).toBe(false);
    expect(isUniqueViolation({ code: '23503' })).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });

  it('treats deadlocks and serialization failures as retryable', () => {
    expect(isTransientTransactionError({ code: '40P01' })).toBe(true);
    expect(isTransientTransactionError({ code: '40001' })).toBe(true);
    expect(isTransientTransactionError({ number: 1205 })).toBe(true);
    expect(isTransientTransactionError({ number: 50000, precedingErrors: [{ number: 1205 }] })).toBe(true);
    expect(isTransientTransactionError({ code: '23505' })).toBe(false);
  });
});

describe('T-SQL batch splitting', () => {
  it('splits on GO lines and drops empty batches; PostgreSQL files stay whole', () => {
    const text = 'CREATE TABLE a (x int);\nGO\n-- only a comment\ngo\nCREATE INDEX i ON a (x);\n  GO  \n';
    expect(splitBatches(text, 'mssql').map((b) => b.trim())).toEqual([
      'CREATE TABLE a (x int);',
      'CREATE INDEX i ON a (x);',
    ]);
    expect(splitBatches('SELECT 1;\nSELECT 2;', 'postgres')).toHaveLength(1);
  });

  it('does not split on GO inside an identifier or a longer line', () => {
    expect(splitBatches('SELECT 1 AS going;\nGOTO_LABEL:\n', 'mssql')).toHaveLength(1);
  });
});
