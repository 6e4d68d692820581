import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WORKCENTER_GROUPS, workcenterGroupOf } from '../../../src/shared/workcenter-groups.ts'
import { compileSqlite } from '../../../src/server/source/sqlite/compile-sqlite.ts'
import { sql } from '../../../src/server/source/sql.ts'
import { workcenterGroupCondition } from '../../../src/server/pipeline/workcenter-sql.ts'
import { fixtureCid } from '../../helpers/fixture-db.ts'
import { fixtureDialects, openFixture, type FixtureSource } from '../../helpers/fixture-source.ts'

const NAMES = [
  '切割-A',
  '元件切割-1',
  'PKG_SAW-2',
  'PKGXSAW',
  '焊接_DB-1',
  '焊接XDB',
  '焊接_WB',
  '焊接_DW',
  '成型-3',
  '去膠',
  '水吹砂',
  '掛鍍',
  '滾鍍-1',
  '條鍍',
  '電鍍',
  '補鍍',
  '移印',
  '切彎腳-2',
  'TMTT-1',
  '測試站',
  'TMTT切割',
  '元件切割TMTT',
  'OTHER',
  'TOTAI-1',
  'Bandl-2',
  '焊_DB',
  '焊_DB_料',
  '焊XDB',
  'tmtt-2',
  'pkg_saw-3',
]

describe('workcenterGroupOf', () => {
  it('knows the pattern variants of the old system: TOTAI and BANDL plate, 焊_DB and 焊_DB_料 die-bond', () => {
    expect(workcenterGroupOf('TOTAI-1')?.name).toBe('電鍍')
    expect(workcenterGroupOf('BANDL')?.name).toBe('電鍍')
    expect(workcenterGroupOf('焊_DB')?.name).toBe('焊接_DB')
    expect(workcenterGroupOf('焊_DB_料')?.name).toBe('焊接_DB')
    expect(workcenterGroupOf('焊XDB')).toBeUndefined()
  })

  it('compares upper case, as the old system did', () => {
    expect(workcenterGroupOf('tmtt-2')?.name).toBe('測試')
    expect(workcenterGroupOf('Bandl-2')?.name).toBe('電鍍')
    expect(workcenterGroupOf('pkg_saw-3')?.name).toBe('元件切割')
  })
})

describe.each(await fixtureDialects())('workcenterGroupCondition on %s', (dialect) => {
  let fx: FixtureSource
  beforeAll(async () => {
    fx = await openFixture(dialect, {
      DW_MES_LOTWIPHISTORY: NAMES.map((n, i) => ({ CONTAINERID: fixtureCid(i + 1), WORKCENTERNAME: n })),
    })
  })
  afterAll(() => fx.close())

  it('puts every workcenter name in the same group as workcenterGroupOf does', async () => {
    for (const group of WORKCENTER_GROUPS) {
      const q = sql`SELECT w.WORKCENTERNAME FROM DW_MES_LOTWIPHISTORY w WHERE ${workcenterGroupCondition('w.WORKCENTERNAME', group)}`
      const got = (await fx.source.all(q)).rows.map((r) => String(r[0])).sort()
      const expected = NAMES.filter((n) => workcenterGroupOf(n) === group).sort()
      expect(got, group.name).toEqual(expected)
    }
  })
})

describe('workcenterGroupCondition on SQLite in memory', () => {
  it('matches the same names with the LIKE escape of a literal underscore', () => {
    const db = new Database(':memory:')
    db.exec('CREATE TABLE W (WORKCENTERNAME TEXT)')
    const insert = db.prepare('INSERT INTO W VALUES (?)')
    for (const n of NAMES) insert.run(n)
    for (const group of WORKCENTER_GROUPS) {
      const { text, params } = compileSqlite(
        sql`SELECT WORKCENTERNAME FROM W WHERE ${workcenterGroupCondition('WORKCENTERNAME', group)} ORDER BY 1`,
      )
      const got = (
        db
          .prepare(text)
          .raw()
          .all(...params) as string[][]
      ).map((r) => r[0])
      const expected = NAMES.filter((n) => workcenterGroupOf(n) === group).sort()
      expect(got, group.name).toEqual(expected)
    }
    db.close()
  })
})
