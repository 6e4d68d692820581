import { describe, expect, it } from 'vitest'
import { columnKind, columnWidth, sheetValue, wallClockDate, xlsxValue } from '../../src/shared/export-columns.ts'

describe('export column kinds', () => {
  it('reads ids and names as text, quantities as numbers and timestamps as date-times', () => {
    expect(
      ['CONTAINERID', 'EQUIPMENTID', 'JOBID', 'NCRID', 'CONTAINERNAME', 'MATERIALLOTNAME', 'CONTAINERIDS'].map(
        columnKind,
      ),
    ).toEqual(Array(7).fill('id'))
    expect(['TRACKINQTY', 'REJECT_TOTAL_QTY', 'HOLD_HOURS'].map(columnKind)).toEqual(Array(3).fill('number'))
    expect(['TRACKINTIMESTAMP', 'TXNDATE', 'TXN_DAY'].map(columnKind)).toEqual(Array(3).fill('datetime'))
    expect(columnKind('REJECTCOMMENT')).toBe('text')
  })

  it('converts values by kind and keeps anything that does not fit as text', () => {
    expect(sheetValue('4881000381000009', 'id')).toBe('4881000381000009')
    expect(sheetValue(42, 'id')).toBe('42')
    expect(sheetValue('12', 'number')).toBe(12)
    expect(sheetValue('n/a', 'number')).toBe('n/a')
    expect(sheetValue('2026-01-02T03:04:05', 'datetime')).toEqual(new Date('2026-01-02T03:04:05Z'))
    expect(sheetValue('2026-02-30T00:00:00', 'datetime')).toBe('2026-02-30T00:00:00')
    expect(sheetValue(null, 'number')).toBeNull()
    expect(wallClockDate('2026-01-02')).toEqual(new Date('2026-01-02T00:00:00Z'))
  })

  it('sizes columns from header and sample, wide characters counting twice, within bounds', () => {
    expect(columnWidth('CONTAINERID', 'id', ['4881000381000009'])).toBe(18)
    expect(columnWidth('WORKCENTERNAME', 'id', ['焊接_DB焊接_DB焊接_DB'])).toBe(23)
    expect(columnWidth('REJECTCOMMENT', 'text', ['x'.repeat(500)])).toBe(60)
  })

  it('writes fragile text as rich text with OOXML escapes', () => {
    expect(xlsxValue('plain')).toBe('plain')
    expect(xlsxValue(' lead')).toEqual({ richText: [{ text: ' lead' }] })
    expect(xlsxValue('a\rb_x0041_')).toEqual({ richText: [{ text: 'a_x000D_b_x005F_x0041_' }] })
  })
})
