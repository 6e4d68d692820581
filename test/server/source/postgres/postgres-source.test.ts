import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setLogLevel } from '../../../../src/server/logger.ts'
import { createTableStatements } from '../../../../src/server/source/mes-schema.ts'
import type { Batch } from '../../../../src/server/source/mes-source.ts'
import type { PostgresSource } from '../../../../src/server/source/postgres/postgres-source.ts'
import { idsIn, idsTable, sql, type SqlQuery } from '../../../../src/server/source/sql.ts'
import { requirePostgres, TEST_POSTGRES_URL } from '../../../helpers/services.ts'
import { openTestDatabase, type TestDatabase } from './pg-test-support.ts'

const skip = await requirePostgres()
const cid = (i: number): string => (0x488103800000 + i).toString(16).padStart(16, '0')

async function collect(source: PostgresSource, query: SqlQuery, fetchSize?: number): Promise<Batch[]> {
  const batches: Batch[] = []
  for await (const batch of source.stream(query, { fetchSize })) batches.push(batch)
  return batches
}

describe.skipIf(skip)('postgres source: rows, batches and values', () => {
  let db: TestDatabase
  let source: PostgresSource

  beforeAll(async () => {
    setLogLevel('silent')
    db = await openTestDatabase('pgsrc')
    for (const ddl of createTableStatements('postgres')) await db.admin.query(ddl)
    await db.admin.query(`
      INSERT INTO DW_MES_CONTAINER (CONTAINERID, CONTAINERNAME, OBJECTTYPE, QTY)
      SELECT lpad(to_hex(${0x488103800000} + g), 16, '0'), 'GA24010001-A00-' || lpad(g::text, 4, '0'), 'LOT', 1000 + g
      FROM generate_series(0, 1499) g`)
    await db.admin.query(`
      INSERT INTO DW_MES_LOTWIPHISTORY (CONTAINERID, WORKCENTERNAME, TRACKINTIMESTAMP, TRACKOUTTIMESTAMP, TRACKINQTY)
      VALUES ('${cid(1)}', '焊接_DB', '2024-03-01T07:15:09', '2024-03-01T09:00:00', 998),
             ('${cid(1)}', '測試', '2024-03-02T23:59:59', NULL, 997)`)
    source = db.source({ DB_SLOW_FETCHMANY_SIZE: '5000' })
  })
  afterAll(async () => {
    await db?.dispose()
  })

  it('streams fetchSize rows per batch and a short last batch', async () => {
    const batches = await collect(source, sql`SELECT g FROM generate_series(1, ${12}::int) g ORDER BY g`, 5)
    expect(batches.map((b) => b.rows.length)).toEqual([5, 5, 2])
    expect(batches.flatMap((b) => b.rows.map((r) => r[0]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
  })

  it('ends without an empty batch when the rows fill the last batch exactly', async () => {
    const batches = await collect(source, sql`SELECT g FROM generate_series(1, 10) g`, 5)
    expect(batches.map((b) => b.rows.length)).toEqual([5, 5])
  })

  it('defaults to DB_SLOW_FETCHMANY_SIZE rows per batch', async () => {
    const batches = await collect(source, sql`SELECT g FROM generate_series(1, 12001) g`)
    expect(batches.map((b) => b.rows.length)).toEqual([5000, 5000, 2001])
  })

  it('yields one empty batch with the columns when nothing matches', async () => {
    const batches = await collect(source, sql`SELECT CONTAINERID, CONTAINERNAME FROM DW_MES_CONTAINER WHERE QTY < 0`)
    expect(batches).toEqual([{ columns: ['CONTAINERID', 'CONTAINERNAME'], rows: [] }])
  })

  it('binds a 1000-CID batch as one array and returns exactly those containers', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => cid(i * 3 + 1)).filter((_, i) => i * 3 + 1 < 1500)
    ids.push(...Array.from({ length: 1000 - ids.length }, (_, i) => `ffff${String(i).padStart(12, '0')}`))
    expect(ids).toHaveLength(1000)
    const batch = await source.all(
      sql`SELECT CONTAINERID, QTY FROM DW_MES_CONTAINER WHERE CONTAINERID ${idsIn(ids)} ORDER BY CONTAINERID`,
    )
    expect(batch.columns).toEqual(['CONTAINERID', 'QTY'])
    expect(batch.rows).toHaveLength(500)
    expect(batch.rows[0]).toEqual([cid(1), 1001])
    expect(batch.rows.every((r) => ids.includes(r[0] as string))).toBe(true)
  })

  it('joins an ids_table, keeping ids that match nothing', async () => {
    const batch = await source.all(sql`
      SELECT x.cid, c.CONTAINERNAME
      FROM ${idsTable([cid(2), 'missing', cid(0)])} x LEFT JOIN DW_MES_CONTAINER c ON c.CONTAINERID = x.cid
      ORDER BY x.cid`)
    expect(batch.columns).toEqual(['cid', 'CONTAINERNAME'])
    expect(batch.rows).toEqual([
      [cid(0), 'GA24010001-A00-0000'],
      [cid(2), 'GA24010001-A00-0002'],
      ['missing', null],
    ])
  })

  it('returns timestamps as the ISO strings the SQLite demo stores', async () => {
    const batch = await source.all(sql`
      SELECT WORKCENTERNAME, TRACKINTIMESTAMP, TRACKOUTTIMESTAMP FROM DW_MES_LOTWIPHISTORY
      WHERE CONTAINERID = ${cid(1)} AND TRACKINTIMESTAMP >= ${'2024-03-01T00:00:00'} ORDER BY TRACKINTIMESTAMP`)
    expect(batch.rows).toEqual([
      ['焊接_DB', '2024-03-01T07:15:09', '2024-03-01T09:00:00'],
      ['測試', '2024-03-02T23:59:59', null],
    ])
  })

  it('returns dates, instants, big integers and numerics in the SQLite shapes', async () => {
    const batch = await source.all(sql`
      SELECT DATE '2024-03-01' AS d, TIMESTAMPTZ '2024-03-01 07:15:09+02' AS tz,
             TIMESTAMP '2024-03-01 07:15:09.6' AS frac, COUNT(*) AS n, SUM(QTY) AS total,
             AVG(QTY)::float8 AS mean, 2.5::numeric AS ratio
      FROM DW_MES_CONTAINER`)
    expect(batch.columns).toEqual(['d', 'tz', 'frac', 'n', 'total', 'mean', 'ratio'])
    expect(batch.rows).toEqual([
      ['2024-03-01', '2024-03-01T05:15:09', '2024-03-01T07:15:09', 1500, 2624250, 1749.5, 2.5],
    ])
  })

  it('binds text, numbers and null as values', async () => {
    const batch = await source.all(sql`SELECT ${'a'}::text AS s, ${41}::int + 1 AS i, ${null}::text IS NULL AS isnull`)
    expect(batch.rows).toEqual([['a', 42, true]])
  })

  it('keeps its type parsers to its own pool', async () => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL })
    await client.connect()
    try {
      const r = await client.query<{ t: unknown; n: unknown }>(
        `SELECT TIMESTAMP '2024-03-01 07:15:09' AS t, 7::bigint AS n`,
      )
      expect(r.rows[0].t).toBeInstanceOf(Date)
      expect(r.rows[0].n).toBe('7')
    } finally {
      await client.end()
    }
  })

  it('answers ping and reports an unreachable server', async () => {
    await expect(source.ping()).resolves.toBeUndefined()
    const dead = db.source({ MES_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' })
    await expect(dead.ping()).rejects.toThrow()
  })
})
