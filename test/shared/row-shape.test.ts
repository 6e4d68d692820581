import { describe, expect, it } from 'vitest'
import { acceptedRowShape, negotiateRowShape, rowShapeQuerySchema, rowsToObjects } from '../../src/shared/row-shape.ts'

describe('row shape negotiation', () => {
  it('answers objects to a caller that asks for nothing', () => {
    expect(negotiateRowShape(undefined, undefined)).toBe('objects')
    expect(negotiateRowShape(undefined, 'application/json')).toBe('objects')
    expect(negotiateRowShape(undefined, '*/*')).toBe('objects')
  })

  it('reads the shape parameter of an Accept header, whatever its spacing, quoting and case', () => {
    expect(acceptedRowShape('application/json; shape=compact')).toBe('compact')
    expect(acceptedRowShape('application/x-ndjson;shape="Compact", */*;q=0.1')).toBe('compact')
    expect(acceptedRowShape('application/json; shape=rows')).toBe('compact')
    expect(acceptedRowShape('application/json; shape=objects')).toBe('objects')
    expect(acceptedRowShape('application/json; shape=table')).toBeUndefined()
  })

  it('lets the query parameter win over the Accept header', () => {
    expect(negotiateRowShape('objects', 'application/json; shape=compact')).toBe('objects')
    expect(negotiateRowShape('compact', undefined)).toBe('compact')
  })

  it('reads rows as the earlier name of compact in the query and refuses an unknown shape', () => {
    expect(rowShapeQuerySchema.parse('rows')).toBe('compact')
    expect(rowShapeQuerySchema.safeParse('table').success).toBe(false)
  })

  it('keys each row by its column names', () => {
    expect(
      rowsToObjects(
        ['A', 'B'],
        [
          [1, null],
          ['x', 2],
        ],
      ),
    ).toEqual([
      { A: 1, B: null },
      { A: 'x', B: 2 },
    ])
  })
})
