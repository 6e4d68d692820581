import { describe, expect, it } from 'vitest'
import { compileOracle, OracleDialectError } from '../../../../src/server/source/oracle/compile-oracle.ts'
import { idsIn, idsTable, raw, sql } from '../../../../src/server/source/sql.ts'

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `c${i}`)

describe('compileOracle', () => {
  it('numbers values as :n in order and splices raw text', () => {
    const q = sql`SELECT ${raw('CONTAINERID')} FROM t WHERE a = ${'x'} AND b > ${3} AND c IS ${null}`
    expect(compileOracle(q)).toEqual({
      text: 'SELECT CONTAINERID FROM t WHERE a = :1 AND b > :2 AND c IS :3',
      binds: ['x', 3, null],
    })
  })

  it('keeps the numbering across nested fragments', () => {
    const { text, binds } = compileOracle(sql`a = ${1} AND ${sql`b = ${2}`} AND c = ${3}`)
    expect(text).toBe('a = :1 AND b = :2 AND c = :3')
    expect(binds).toEqual([1, 2, 3])
  })

  it('binds each id of an IN list of up to 1000 ids and never puts one into the text', () => {
    const list = [...ids(999), "o'brien"]
    const { text, binds } = compileOracle(sql`SELECT 1 FROM t WHERE k = ${'a'} AND CONTAINERID ${idsIn(list)}`)
    expect(text).toBe(`SELECT 1 FROM t WHERE k = :1 AND CONTAINERID IN (${list.map((_, i) => `:${i + 2}`).join(', ')})`)
    expect(binds).toEqual(['a', ...list])
    expect(text).not.toContain('brien')
  })

  it('Oracle takes 1000 expressions per IN list (ORA-01795): longer lists become subqueries', () => {
    const { text, binds } = compileOracle(sql`SELECT 1 FROM t WHERE CONTAINERID ${idsIn(ids(2001))}`)
    expect(binds).toEqual(ids(2001))
    const constructors = [...text.matchAll(/sys\.odcivarchar2list\(([^)]*)\)/g)].map((m) => m[1].split(', ').length)
    expect(constructors).toEqual([1000, 1000, 1])
    expect(text).toMatch(
      /^SELECT 1 FROM t WHERE CONTAINERID IN \(SELECT COLUMN_VALUE AS cid FROM TABLE\(sys\.odcivarchar2list\(:1, /,
    )
    expect(text.split(' UNION ALL ')).toHaveLength(3)
  })

  it('Oracle refuses an empty IN list: it becomes IN (NULL), which matches nothing', () => {
    expect(compileOracle(sql`SELECT 1 FROM t WHERE CONTAINERID ${idsIn([])}`)).toEqual({
      text: 'SELECT 1 FROM t WHERE CONTAINERID IN (NULL)',
      binds: [],
    })
  })

  it('turns ids_table into a one-column derived table named cid over bound collections', () => {
    const { text, binds } = compileOracle(sql`SELECT x.cid FROM ${idsTable(['a', 'b'])} x WHERE x.cid <> ${'c'}`)
    expect(text).toBe(
      'SELECT x.cid FROM (SELECT COLUMN_VALUE AS cid FROM TABLE(sys.odcivarchar2list(:1, :2))) x WHERE x.cid <> :3',
    )
    expect(binds).toEqual(['a', 'b', 'c'])
    expect(compileOracle(sql`SELECT x.cid FROM ${idsTable([])} x`).text).toBe(
      'SELECT x.cid FROM (SELECT COLUMN_VALUE AS cid FROM TABLE(sys.odcivarchar2list())) x',
    )
  })

  it('Oracle has no LIMIT: a trailing LIMIT becomes FETCH FIRST n ROWS ONLY, bound or literal', () => {
    expect(compileOracle(sql`SELECT a FROM t ORDER BY a LIMIT ${50}`)).toEqual({
      text: 'SELECT a FROM t ORDER BY a FETCH FIRST :1 ROWS ONLY',
      binds: [50],
    })
    expect(compileOracle(sql`SELECT a FROM t LIMIT 1`).text).toBe('SELECT a FROM t FETCH FIRST 1 ROWS ONLY')
  })

  it('leaves UPPER(x) LIKE … ESCAPE and NULLS LAST as they are: Oracle reads them like the others', () => {
    const q = sql`SELECT 1 FROM t WHERE UPPER(c.MFGORDERNAME) LIKE ${'GD\\_1%'} ESCAPE '\\' ORDER BY a NULLS LAST`
    expect(compileOracle(q)).toEqual({
      text: "SELECT 1 FROM t WHERE UPPER(c.MFGORDERNAME) LIKE :1 ESCAPE '\\' ORDER BY a NULLS LAST",
      binds: ['GD\\_1%'],
    })
  })

  it('binds ISO dates as text: the session NLS_DATE_FORMAT converts them where they meet a DATE column', () => {
    const { text, binds } = compileOracle(
      sql`SELECT 1 FROM h WHERE h.TRACKINTIMESTAMP >= ${'2024-03-01'} AND h.TRACKINTIMESTAMP < ${'2024-03-02'}`,
    )
    expect(text).toBe('SELECT 1 FROM h WHERE h.TRACKINTIMESTAMP >= :1 AND h.TRACKINTIMESTAMP < :2')
    expect(binds).toEqual(['2024-03-01', '2024-03-02'])
  })

  it('Oracle cannot compare CLOBs (ORA-00932): DISTINCT or UNION over a job list is refused', () => {
    expect(() => compileOracle(sql`SELECT DISTINCT j.CONTAINERIDS FROM DW_MES_JOB j`)).toThrow(OracleDialectError)
    expect(() => compileOracle(sql`SELECT j.CONTAINERNAMES FROM DW_MES_JOB j UNION SELECT 'x' FROM DUAL`)).toThrow(
      /CONTAINERNAMES/,
    )
    expect(() =>
      compileOracle(sql`SELECT j.CONTAINERIDS FROM DW_MES_JOB j UNION ALL SELECT 'x' FROM DUAL`),
    ).not.toThrow()
    expect(() => compileOracle(sql`SELECT DISTINCT p.LOTID FROM DW_MES_PJ_COMBINEDASSYLOTS p`)).not.toThrow()
  })
})
