// @vitest-environment happy-dom
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RowColumn } from '../../../src/client/rows/row-column.ts'

/** Values a stream can carry in one column: numbers, text (some of it date-like), nulls, and the odd object. */
const cell = fc.oneof(
  fc.constant(null),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v)),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('2026-01-05T08:00:00', '2026-01-05 08:00:00', '2026-01-05', '4881000381000009', '4881000381e00009'),
  fc.boolean(),
)

describe('RowColumn', () => {
  it('gives back every value it was given, whatever mix of kinds arrives in whatever order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('QTY', 'TXNDATE', 'CONTAINERID'),
        fc.array(fc.array(cell, { maxLength: 40 }), { maxLength: 6 }),
        (name, batches) => {
          const column = new RowColumn(name)
          const all: unknown[] = []
          for (const batch of batches) {
            column.appendFrom(
              batch.map((v) => [v]),
              0,
            )
            all.push(...batch)
          }
          expect(column.length).toBe(all.length)
          expect(all.map((_, r) => column.raw(r))).toEqual(all)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('reports each change of kind: empty to number, then number widened when a string arrives, numbers kept', () => {
    const column = new RowColumn('QTY')
    expect(column.appendFrom([[1], [2.5]], 0)).toBe(true)
    expect(column.kind).toBe('number')
    expect(column.appendFrom([['n/a']], 0)).toBe(true)
    expect(column.kind).not.toBe('number')
    expect([0, 1, 2].map((r) => column.raw(r))).toEqual([1, 2.5, 'n/a'])
  })

  it('keeps ids that look like numbers as the text they were', () => {
    const column = new RowColumn('CONTAINERID')
    column.appendFrom([['4881000381000009'], ['4881000381e00009']], 0)
    expect(column.kind).toBe('text')
    expect(column.display(0)).toBe('4881000381000009')
    expect(column.display(1)).toBe('4881000381e00009')
  })
})
