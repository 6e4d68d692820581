import { describe, expect, it } from 'vitest'
import { compilePostgres } from '../../../../src/server/source/postgres/compile-postgres.ts'
import { idsIn, idsTable, raw, sql } from '../../../../src/server/source/sql.ts'

describe('compilePostgres', () => {
  it('numbers values as $n in order and splices raw text', () => {
    const q = sql`SELECT ${raw('CONTAINERID')} FROM t WHERE a = ${'x'} AND b > ${3} AND c IS ${null}`
    expect(compilePostgres(q)).toEqual({
      text: 'SELECT CONTAINERID FROM t WHERE a = $1 AND b > $2 AND c IS $3',
      values: ['x', 3, null],
    })
  })

  it('binds a whole CID list as one text array for ids_in, whatever its length', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `c${i}`)
    const { text, values } = compilePostgres(sql`SELECT 1 FROM t WHERE k = ${'a'} AND CONTAINERID ${idsIn(ids)}`)
    expect(text).toBe('SELECT 1 FROM t WHERE k = $1 AND CONTAINERID = ANY($2::text[])')
    expect(values).toHaveLength(2)
    expect(values[1]).toEqual(ids)
  })

  it('turns ids_table into a one-column derived table named cid over one array bind', () => {
    const { text, values } = compilePostgres(sql`SELECT x.cid FROM ${idsTable(['a', 'b'])} x WHERE x.cid <> ${'c'}`)
    expect(text).toBe('SELECT x.cid FROM (SELECT unnest($1::text[]) AS cid) x WHERE x.cid <> $2')
    expect(values).toEqual([['a', 'b'], 'c'])
  })

  it('keeps the numbering across nested fragments', () => {
    const inner = sql`b = ${2}`
    const { text, values } = compilePostgres(sql`a = ${1} AND ${inner} AND c = ${3}`)
    expect(text).toBe('a = $1 AND b = $2 AND c = $3')
    expect(values).toEqual([1, 2, 3])
  })

  it('never puts an id into the SQL text', () => {
    const { text } = compilePostgres(sql`SELECT 1 WHERE x ${idsIn(["o'brien"])}`)
    expect(text).not.toContain('brien')
  })
})
