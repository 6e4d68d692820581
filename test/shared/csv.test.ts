import { describe, expect, it } from 'vitest'
import { CSV_BOM, csvCell, csvRow } from '../../src/shared/csv.ts'

describe('CSV encoding', () => {
  it('quotes cells with commas, quotes or line breaks (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell('plain 切割')).toBe('plain 切割')
  })

  it('guards text that a spreadsheet would run as a formula, and leaves real numbers alone', () => {
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)")
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('-5')).toBe("'-5")
    expect(csvCell('@cmd')).toBe("'@cmd")
    expect(csvCell('\tx')).toBe("'\tx")
    expect(csvCell('\rx')).toBe('"\'\rx"')
    expect(csvCell('=a,b')).toBe('"\'=a,b"')
    expect(csvCell(-5)).toBe('-5')
    expect(csvCell(1.25)).toBe('1.25')
  })

  it('writes null as empty and ends rows with CRLF', () => {
    expect(csvRow(['GA1', null, 3, undefined])).toBe('GA1,,3,\r\n')
    expect(CSV_BOM).toBe('\uFEFF')
  })
})
