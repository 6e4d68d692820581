import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { WORKCENTER_GROUPS, workcenterGroupOf } from '../../../src/shared/workcenter-groups.ts'
import { compileSqlite } from '../../../src/server/source/sqlite/compile-sqlite.ts'
import { sql } from '../../../src/server/source/sql.ts'
import { workcenterGroupCondition } from '../../../src/server/pipeline/workcenter-sql.ts'

const NAMES = [
  '切割-A', '元件切割-1', 'PKG_SAW-2', 'PKGXSAW', '焊接_DB-1', '焊接XDB', '焊接_WB', '焊接_DW', '成型-3', '去膠', '水吹砂',
  '掛鍍', '滾鍍-1', '條鍍', '電鍍', '補鍍', '移印', '切彎腳-2', 'TMTT-1', '測試站', 'TMTT切割', '元件切割TMTT', 'OTHER',
]

describe('workcenterGroupCondition', () => {
  it('puts every workcenter name in the same group as workcenterGroupOf does', () => {
    const db = new Database(':memory:')
    db.exec('CREATE TABLE W (WORKCENTERNAME TEXT)')
    const insert = db.prepare('INSERT INTO W VALUES (?)')
    for (const n of NAMES) insert.run(n)
    for (const group of WORKCENTER_GROUPS) {
      const { text, params } = compileSqlite(sql`SELECT WORKCENTERNAME FROM W WHERE ${workcenterGroupCondition('WORKCENTERNAME', group)} ORDER BY 1`)
      const got = (db.prepare(text).raw().all(...params) as string[][]).map((r) => r[0])
      const expected = NAMES.filter((n) => workcenterGroupOf(n) === group).sort()
      expect(got, group.name).toEqual(expected)
    }
    db.close()
  })
})
