import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/server/config.ts'
import { copyText, loadPostgresDemo } from '../../../src/server/demo/load-postgres.ts'
import { writeSqliteDemo } from '../../../src/server/demo/sqlite-demo.ts'
import type { DemoProgress } from '../../../src/server/demo/generate-demo.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { MES_TABLES, createIndexStatements } from '../../../src/server/source/mes-schema.ts'
import { createPostgresSource } from '../../../src/server/source/postgres/postgres-source.ts'
import { raw, sql } from '../../../src/server/source/sql.ts'
import { requirePostgres, TEST_POSTGRES_URL } from '../../helpers/services.ts'

const skip = await requirePostgres()
const demo = { seed: 7, lots: 12, months: 1, startDate: '2026-01-01' } as const

describe('copyText', () => {
  it('writes tab-separated lines with \\N for null and escapes backslash, tab, newline and CR', () => {
    expect(copyText([['a\\b', 'c\td', 'e\nf\rg', null, 3.5, 42]])).toBe('a\\\\b\tc\\td\te\\nf\\rg\t\\N\t3.5\t42\n')
  })

  it('refuses values it cannot represent', () => {
    expect(() => copyText([[Number.NaN]])).toThrow(/non-finite/)
    expect(() => copyText([[{}]])).toThrow(/object/)
  })
})

describe.skipIf(skip)('loadPostgresDemo', () => {
  const schema = `demoload_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  let admin: pg.Client
  let dir: string

  beforeAll(async () => {
    setLogLevel('silent')
    admin = new pg.Client({ connectionString: TEST_POSTGRES_URL })
    await admin.connect()
    dir = mkdtempSync(join(tmpdir(), 'mes-load-pg-'))
  })
  afterAll(async () => {
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema}_demo_loading CASCADE`)
    await admin?.end()
    rmSync(dir, { recursive: true, force: true })
  })

  it('loads exactly the rows the SQLite demo holds, with indexes, and reports progress', async () => {
    const phases = new Set<string>()
    const counts = await loadPostgresDemo({ url: TEST_POSTGRES_URL, schema, demo }, (p: DemoProgress) =>
      phases.add(p.phase),
    )
    expect([...phases]).toEqual(['generate', 'index', 'analyze', 'swap'])

    const sqlitePath = join(dir, 'demo.sqlite')
    expect(await writeSqliteDemo(sqlitePath, demo)).toEqual(counts)
    const sqlite = new Database(sqlitePath, { readonly: true })
    const source = createPostgresSource(loadConfig({ MES_DATABASE_URL: TEST_POSTGRES_URL }), { schema })
    try {
      for (const table of MES_TABLES) {
        const expected = sqlite.prepare(`SELECT * FROM ${table.name}`).raw().all() as unknown[][]
        const actual = (await source.all(sql`SELECT * FROM ${raw(table.name)}`)).rows
        expect(actual.length, table.name).toBe(counts[table.name])
        // Same multiset of rows: values, numbers and ISO timestamps identical on both databases.
        const canon = (rows: unknown[][]): string[] => rows.map((r) => JSON.stringify(r)).sort()
        expect(canon(actual), table.name).toEqual(canon(expected))
      }
    } finally {
      sqlite.close()
      await source.close()
    }
    const indexes = await admin.query('SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = $1', [schema])
    expect(indexes.rows[0].n).toBe(createIndexStatements().length)
  })

  it('replaces the previous load on a reload and leaves no staging schema behind', async () => {
    const counts = await loadPostgresDemo({ url: TEST_POSTGRES_URL, schema, demo: { ...demo, lots: 4 } })
    const r = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.DW_MES_CONTAINER`)
    expect(r.rows[0].n).toBe(counts.DW_MES_CONTAINER)
    const staging = await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [`${schema}_demo_loading`])
    expect(staging.rowCount).toBe(0)
  })

  it('keeps the previous tables when a load fails', async () => {
    const before = (await admin.query(`SELECT count(*)::int AS n FROM ${schema}.DW_MES_CONTAINER`)).rows[0].n
    const badUrl = TEST_POSTGRES_URL.replace(/\/[^/]*$/, '/no_such_database_for_mes_trace')
    await expect(loadPostgresDemo({ url: badUrl, schema, demo })).rejects.toThrow(/does not exist/)
    await expect(loadPostgresDemo({ url: TEST_POSTGRES_URL, schema: 'Bad-Name', demo })).rejects.toThrow(
      /invalid schema/,
    )
    // Fails after the staging tables exist: they are dropped and the loaded ones stay.
    await expect(loadPostgresDemo({ url: TEST_POSTGRES_URL, schema, demo: { ...demo, lots: 0 } })).rejects.toThrow()
    const staging = await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [`${schema}_demo_loading`])
    expect(staging.rowCount).toBe(0)
    const after = (await admin.query(`SELECT count(*)::int AS n FROM ${schema}.DW_MES_CONTAINER`)).rows[0].n
    expect(after).toBe(before)
  })
})
