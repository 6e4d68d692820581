// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { StringLists } from '../../../src/client/rows/columnar-records.ts'
import { RecordsEncoder } from '../../../src/client/rows/records-encoder.ts'
import { RowTable } from '../../../src/client/rows/row-store.ts'

const COLUMNS = ['CONTAINERNAME', 'QTY', 'TXNDATE', 'NOTE']

/** Appends the same batches to one table row by row and to another through the encoder, as the worker path does. */
function both(batches: readonly unknown[][][], columns = COLUMNS): { direct: RowTable; encoded: RowTable } {
  const direct = new RowTable('history', columns)
  const encoded = new RowTable('history', columns)
  const encoder = new RecordsEncoder()
  const lists = new StringLists()
  lists.receive(encoder.item({ type: 'domain_start', domain: 'history', columns }, 1))
  batches.forEach((rows, batch) => {
    direct.appendRows(rows)
    const item = lists.receive(
      encoder.item({ type: 'records', domain: 'history', batch, count: rows.length, rows }, batch + 2),
    )
    if (item.kind !== 'records') throw new Error('a well-formed records line was not encoded')
    encoded.appendColumns(item.records.columns, item.records.count)
  })
  return { direct, encoded }
}

function cells(t: RowTable): { raw: unknown[][]; display: string[][]; kinds: string[] } {
  const raw: unknown[][] = []
  const display: string[][] = []
  for (let r = 0; r < t.length; r++) {
    raw.push(t.columns.map((_, c) => t.raw(r, c)))
    display.push(t.columns.map((_, c) => t.display(r, c)))
  }
  return { raw, display, kinds: t.columns.map((c) => c.kind) }
}

describe('records encoded by column', () => {
  it('store exactly what rows appended one by one store, through every change of kind', () => {
    const batches: unknown[][][] = [
      [
        ['L1', 10, '2026-01-02T08:00:00', null],
        ['L1', null, null, null],
        ['L2', 2.5, '2026-01-02T09:30:00'],
      ],
      [[null, null, null, null]],
      [
        ['L3', 7, '2026-01-03T10:00:00', 'first note'],
        ['L1', 8, null, 'first note'],
      ],
      // QTY turns mixed (a string), TXNDATE turns text (another shape), NOTE stays text.
      [
        ['L4', 'n/a', '2026-01-03 10:00', 'second'],
        ['L2', 3, '2026-01-04T00:00:00', null],
      ],
      [['L5', 4, '2026-01-05T00:00:00', { odd: true }]],
      [['L1', 5, '2026-01-06T00:00:00', 'third']],
    ]
    const { direct, encoded } = both(batches)
    expect(encoded.length).toBe(direct.length)
    expect(cells(encoded)).toEqual(cells(direct))
    expect(cells(encoded).kinds).toEqual(['text', 'mixed', 'text', 'mixed'])
    expect(encoded.schemaVersion).toBeGreaterThan(0)
  })

  it('keeps numbers, date-times and strings in typed columns when every batch fits', () => {
    const rows = (from: number): unknown[][] =>
      Array.from({ length: 500 }, (_, i) => [
        `LOT-${(from + i) % 37}`,
        from + i,
        `2026-02-${String(1 + ((from + i) % 28)).padStart(2, '0')}T12:00:00`,
        null,
      ])
    const { direct, encoded } = both([rows(0), rows(500), rows(1000)])
    expect(cells(encoded)).toEqual(cells(direct))
    expect(encoded.columns.map((c) => c.kind)).toEqual(['text', 'number', 'datetime', 'empty'])
    expect(encoded.columns[0].distinctCount()).toBe(37)
  })

  it('lets a date-named column see its first string itself (a date-time, or text when it is not one)', () => {
    const { direct, encoded } = both([[['L1', 1, 'not a date', null]], [['L2', 2, '2026-01-01T00:00:00', null]]])
    expect(cells(encoded)).toEqual(cells(direct))
    expect(encoded.columns[2].kind).toBe('text')
  })

  it('fills columns a short row leaves out with null, and ignores values past the last column', () => {
    const { direct, encoded } = both([[['L1'], ['L2', 1, '2026-01-01T00:00:00', 'n', 'extra']]])
    expect(cells(encoded)).toEqual(cells(direct))
    expect(encoded.raw(0, 3)).toBeNull()
  })

  it('passes lines the page must judge as they are: other types, objects, wrong counts, bad rows', () => {
    const encoder = new RecordsEncoder()
    for (const line of [
      { type: 'meta', job_id: 'j', domains: [] },
      { type: 'records', domain: 'history', batch: 0, count: 1, data: [{ A: 1 }] },
      { type: 'records', domain: 'history', batch: 0, count: 2, rows: [[1]] },
      { type: 'records', domain: 'history', batch: 0, count: 1, rows: [{ A: 1 }] },
      { type: 'records', domain: 'nowhere', batch: 0, count: 1, rows: [[1]] },
      [1, 2],
    ]) {
      expect(encoder.item(line, 7)).toEqual({ kind: 'line', line, lineNumber: 7 })
    }
  })

  it('keeps text right when a domain restarts with other columns in the same read', () => {
    const encoder = new RecordsEncoder()
    const lists = new StringLists()
    const table = (columns: string[], rows: unknown[][], batch: number): RowTable => {
      lists.receive(encoder.item({ type: 'domain_start', domain: 'holds', columns }, 1))
      const item = lists.receive(encoder.item({ type: 'records', domain: 'holds', batch, count: rows.length, rows }, 2))
      if (item.kind !== 'records') throw new Error('a well-formed records line was not encoded')
      const t = new RowTable('holds', columns)
      t.appendColumns(item.records.columns, item.records.count)
      return t
    }
    table(['HOLDREASONNAME'], [['wafer crack'], ['contamination']], 0)
    const again = table(
      ['HOLDCOMMENTS', 'HOLDTXNDATE'],
      [
        ['re-check', '2026-01-02T00:00:00'],
        ['wafer crack', null],
      ],
      0,
    )
    expect([0, 1].map((r) => again.raw(r, 0))).toEqual(['re-check', 'wafer crack'])
    expect(again.columns[0].distinctCount()).toBe(2)
    expect(again.columns[1].kind).toBe('datetime')
  })
})
