import { describe, expect, it } from 'vitest'
import { compileSqlite } from '../../../../src/server/source/sqlite/compile-sqlite.ts'
import { idsIn, idsTable, joinSql, raw, sql } from '../../../../src/server/source/sql.ts'

describe('compileSqlite', () => {
  it('binds values as ? and splices raw text', () => {
    const q = sql`SELECT ${raw('CONTAINERNAME')} FROM DW_MES_CONTAINER WHERE QTY > ${5} AND SPECNAME = ${"x' OR 1=1 --"}`
    expect(compileSqlite(q)).toEqual({
      text: 'SELECT CONTAINERNAME FROM DW_MES_CONTAINER WHERE QTY > ? AND SPECNAME = ?',
      params: [5, "x' OR 1=1 --"],
    })
  })

  it('turns an id list into one ? per id', () => {
    const q = sql`SELECT 1 FROM T WHERE CID ${idsIn(['a', 'b', 'c'])} AND Q = ${null}`
    expect(compileSqlite(q)).toEqual({
      text: 'SELECT 1 FROM T WHERE CID IN (?, ?, ?) AND Q = ?',
      params: ['a', 'b', 'c', null],
    })
  })

  it('turns an id table into a json_each derived table over one JSON bind', () => {
    const q = sql`SELECT * FROM T JOIN ${idsTable(['a', "b'c"])} x ON x.cid = T.CID WHERE Q < ${3}`
    expect(compileSqlite(q)).toEqual({
      text: 'SELECT * FROM T JOIN (SELECT value AS cid FROM json_each(?)) x ON x.cid = T.CID WHERE Q < ?',
      params: ['["a","b\'c"]', 3],
    })
  })

  it('keeps bind order across nested and joined fragments', () => {
    const likes = joinSql([sql`N LIKE ${'A%'}`, sql`N LIKE ${'B%'}`], ' OR ')
    const q = sql`SELECT 1 WHERE ${likes} AND M = ${7}`
    expect(compileSqlite(q)).toEqual({ text: 'SELECT 1 WHERE N LIKE ? OR N LIKE ? AND M = ?', params: ['A%', 'B%', 7] })
  })
})
