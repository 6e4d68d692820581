import { describe, expect, it } from 'vitest'
import { inputTypeNoun } from '../../../src/client/labels/input-hints.ts'

describe('inputTypeNoun', () => {
  it('lower-cases a word label and keeps an acronym, singular and plural', () => {
    expect(inputTypeNoun('wafer_lot', 99)).toBe('wafer lots')
    expect(inputTypeNoun('wafer_lot', 1)).toBe('wafer lot')
    expect(inputTypeNoun('lot_id', 2)).toBe('lot IDs')
    expect(inputTypeNoun('gd_lot_id', 3)).toBe('GD lot IDs')
  })
})
