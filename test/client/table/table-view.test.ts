// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { RowTable } from '../../../src/client/rows/row-store.ts'
import { computeView, filterRows, sortRows } from '../../../src/client/table/table-view.ts'
import { TableViewRunner, viewCost } from '../../../src/client/table/table-view-runner.ts'

function table(): RowTable {
  const t = new RowTable('history', ['LOT', 'WORKCENTERNAME', 'QTY', 'TRACKINTIMESTAMP'])
  t.appendRows([
    ['GA-3', '切割', 30, '2024-03-05T07:00:00'],
    ['GA-1', 'TMTT', null, '2024-03-01T07:00:00'],
    ['GA-2', '焊接_DB', 10, null],
    ['ga-4', 'TMTT', 10, '2024-03-09T07:00:00'],
  ])
  return t
}

function lots(t: RowTable, order: Uint32Array | null): unknown[] {
  return Array.from(order ?? Array.from({ length: t.length }, (_, i) => i), (r) => t.raw(r, 0))
}

describe('table view', () => {
  it('sorts numbers ascending and descending, stable, with nulls last both ways', () => {
    const t = table()
    const all = Uint32Array.from([0, 1, 2, 3])
    const snap = t.snapshot()
    expect(lots(t, sortRows(snap[2], all, 'asc'))).toEqual(['GA-2', 'ga-4', 'GA-3', 'GA-1'])
    expect(lots(t, sortRows(snap[2], all, 'desc'))).toEqual(['GA-3', 'GA-2', 'ga-4', 'GA-1'])
  })

  it('sorts text and date-times', () => {
    const t = table()
    const all = Uint32Array.from([0, 1, 2, 3])
    const snap = t.snapshot()
    expect(lots(t, sortRows(snap[0], all, 'asc'))).toEqual(['GA-1', 'GA-2', 'GA-3', 'ga-4'])
    expect(lots(t, sortRows(snap[3], all, 'desc'))).toEqual(['ga-4', 'GA-3', 'GA-1', 'GA-2'])
  })

  it('filters on any cell, case-insensitive, including Chinese text, numbers and displayed dates', () => {
    const t = table()
    const snap = t.snapshot()
    expect(lots(t, filterRows(snap, t.length, 'tmtt'))).toEqual(['GA-1', 'ga-4'])
    expect(lots(t, filterRows(snap, t.length, '焊接'))).toEqual(['GA-2'])
    expect(lots(t, filterRows(snap, t.length, '30'))).toEqual(['GA-3'])
    expect(lots(t, filterRows(snap, t.length, '2024-03-09 07'))).toEqual(['ga-4'])
    expect(lots(t, filterRows(snap, t.length, '07:00'))).toEqual(['GA-3', 'GA-1', 'ga-4'])
    expect(lots(t, filterRows(snap, t.length, '05 07:00:00'))).toEqual(['GA-3'])
    expect(lots(t, filterRows(snap, t.length, 'nothing like it'))).toEqual([])
  })

  it('filters then sorts, and returns null when nothing is asked', () => {
    const t = table()
    expect(computeView(t.snapshot(), t.length, { sort: null, filter: '  ' })).toBeNull()
    const order = computeView(t.snapshot(), t.length, { sort: { column: 0, direction: 'desc' }, filter: 'ga-' })
    expect(lots(t, order)).toEqual(['ga-4', 'GA-3', 'GA-2', 'GA-1'])
  })

  it('sorts 100 000 rows into a correct permutation', () => {
    const t = new RowTable('t', ['N'])
    const n = 100_000
    for (let s = 0; s < n; s += 5000) t.appendRows(Array.from({ length: 5000 }, (_, i) => [((s + i) * 7919) % 1000]))
    const order = sortRows(
      t.snapshot()[0],
      Uint32Array.from({ length: n }, (_, i) => i),
      'asc',
    )
    expect(order.length).toBe(n)
    for (let i = 1; i < n; i++) {
      const a = t.raw(order[i - 1], 0) as number
      const b = t.raw(order[i], 0) as number
      if (a > b || (a === b && order[i - 1] > order[i])) throw new Error(`not sorted at ${i}`)
    }
  })

  it('runs small views on this thread (no Worker here) and estimates cost per cell', async () => {
    const t = table()
    expect(viewCost(1000, 10, { sort: null, filter: 'x' })).toBe(10_000)
    const runner = new TableViewRunner()
    expect(lots(t, await runner.run(t, { sort: { column: 2, direction: 'asc' }, filter: '' }))).toEqual([
      'GA-2',
      'ga-4',
      'GA-3',
      'GA-1',
    ])
    runner.dispose()
  })
})
