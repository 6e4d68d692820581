// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { CHUNK_SIZE } from '../../../src/client/rows/chunked-array.ts'
import { RowStore, RowTable } from '../../../src/client/rows/row-store.ts'

describe('RowTable', () => {
  it('keeps numbers in a Float64 column and gives back null for missing values', () => {
    const t = new RowTable('t', ['QTY'])
    t.appendRows([[1200], [null], [7.5], []])
    expect(t.columns[0].kind).toBe('number')
    expect([0, 1, 2, 3].map((r) => t.raw(r, 0))).toEqual([1200, null, 7.5, null])
    expect(t.display(0, 0)).toBe('1,200')
    const snap = t.columns[0].snapshot(4)
    expect(snap.kind === 'number' && snap.values instanceof Float64Array).toBe(true)
  })

  it('stores each distinct string once and returns the same text', () => {
    const t = new RowTable('t', ['WORKCENTERNAME'])
    const rows = Array.from({ length: 3000 }, (_, i) => [['切割', '焊接_DB', 'TMTT'][i % 3]])
    t.appendRows(rows)
    expect(t.columns[0].kind).toBe('text')
    expect(t.columns[0].distinctCount()).toBe(3)
    expect(t.raw(2999, 0)).toBe('TMTT')
    expect(t.raw(1, 0)).toBe('焊接_DB')
  })

  it('keeps date-times as numbers and returns their exact original text, in every shape', () => {
    for (const value of [
      '2024-03-05T07:41:09',
      '2024-03-05 07:41:09',
      '2024-03-05T07:41:09.5',
      '2024-03-05T07:41:09.123Z',
      '2024-03-05T07:41:09+08:00',
      '2024-03-05',
    ]) {
      const t = new RowTable('t', ['TXNDATE'])
      t.appendRows([[value], [null]])
      expect(t.columns[0].kind).toBe('datetime')
      expect(t.raw(0, 0)).toBe(value)
      expect(t.raw(1, 0)).toBeNull()
    }
    const t = new RowTable('t', ['TRACKINTIMESTAMP'])
    t.appendRows([['1999-12-31T23:59:59'], ['2024-02-29T00:00:00']])
    expect(t.display(0, 0)).toBe('1999-12-31 23:59:59')
    expect(t.raw(1, 0)).toBe('2024-02-29T00:00:00')
  })

  it('widens a date-time column to text when a value has another shape or is not a real date', () => {
    const t = new RowTable('t', ['TXNDATE'])
    t.appendRows([['2024-03-05T07:41:09'], ['2024-02-30T00:00:00'], ['2024-03-06T01:02:03']])
    expect(t.columns[0].kind).toBe('text')
    expect([0, 1, 2].map((r) => t.raw(r, 0))).toEqual([
      '2024-03-05T07:41:09',
      '2024-02-30T00:00:00',
      '2024-03-06T01:02:03',
    ])
    expect(t.schemaVersion).toBeGreaterThan(0)
  })

  it('treats a date-looking value in a column not named like a date as text', () => {
    const t = new RowTable('t', ['REJECTCOMMENT'])
    t.appendRows([['2024-03-05']])
    expect(t.columns[0].kind).toBe('text')
  })

  it('widens to mixed when numbers and strings share a column, losing nothing', () => {
    const t = new RowTable('t', ['X'])
    t.appendRows([[null], [1], ['a'], [true], [{ k: 1 }]])
    expect(t.columns[0].kind).toBe('mixed')
    expect([0, 1, 2, 3, 4].map((r) => t.raw(r, 0))).toEqual([null, 1, 'a', true, { k: 1 }])
    expect(t.display(4, 0)).toBe('{"k":1}')
  })

  it('fills leading nulls when the first value comes late', () => {
    const t = new RowTable('t', ['QTY', 'NAME'])
    t.appendRows([
      [null, null],
      [null, null],
    ])
    t.appendRows([[5, 'GA1']])
    expect(t.raw(0, 0)).toBeNull()
    expect(t.raw(1, 1)).toBeNull()
    expect(t.raw(2, 0)).toBe(5)
    expect(t.raw(2, 1)).toBe('GA1')
  })

  it('grows across chunk boundaries without losing values', () => {
    const t = new RowTable('t', ['N', 'S'])
    const n = CHUNK_SIZE * 2 + 123
    const batch = 5000
    for (let start = 0; start < n; start += batch) {
      t.appendRows(Array.from({ length: Math.min(batch, n - start) }, (_, i) => [start + i, `s${(start + i) % 10}`]))
    }
    expect(t.length).toBe(n)
    for (const r of [0, 1023, 1024, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE * 2, n - 1]) {
      expect(t.raw(r, 0)).toBe(r)
      expect(t.raw(r, 1)).toBe(`s${r % 10}`)
    }
    const snap = t.columns[0].snapshot(n)
    expect(snap.kind === 'number' && snap.values.length === n && snap.values[n - 1] === n - 1).toBe(true)
  })

  it('reads row objects by column name', () => {
    const t = new RowTable('t', ['A', 'B'])
    t.appendObjects([{ B: 2, A: 'x', EXTRA: 1 }, { A: 'y' }])
    expect([t.raw(0, 0), t.raw(0, 1), t.raw(1, 1)]).toEqual(['x', 2, null])
  })
})

describe('RowStore', () => {
  it('keeps one table per domain in start order and replaces a table restarted with other columns', () => {
    const store = new RowStore()
    const h = store.start('history', ['A'])
    store.start('materials', ['B'])
    expect(store.start('history', ['A'])).toBe(h)
    h.appendRows([[1], [2]])
    expect(store.domains()).toEqual(['history', 'materials'])
    expect(store.totalRows()).toBe(2)
    expect(store.start('history', ['A', 'C'])).not.toBe(h)
    store.clear()
    expect(store.domains()).toEqual([])
  })
})
