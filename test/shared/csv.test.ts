import { describe, expect, it } from 'vitest'
import { CSV_BOM, csvCell, csvEncoder, csvRow, needsFormulaGuard } from '../../src/shared/csv.ts'

describe('CSV encoding', () => {
  it('quotes cells with commas, semicolons, quotes or line breaks (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('a;b')).toBe('"a;b"')
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

describe('formula guard (OWASP CSV injection, issue 11 item 9)', () => {
  it('guards a cell that starts with a line feed', () => {
    expect(csvCell('\n=1+1')).toBe('"\'\n=1+1"')
  })

  it('guards a formula behind leading spaces', () => {
    expect(csvCell(' =1+1')).toBe("' =1+1")
    expect(csvCell('   @SUM(1)')).toBe("'   @SUM(1)")
  })

  it('guards a formula behind a no-break space', () => {
    expect(csvCell('\u00A0=1+1')).toBe("'\u00A0=1+1")
  })

  it('guards a formula behind a zero-width space', () => {
    expect(csvCell('\u200B=1+1')).toBe("'\u200B=1+1")
    expect(csvCell('\uFEFF+1')).toBe("'\uFEFF+1")
  })

  it('guards full-width equals and plus signs', () => {
    expect(csvCell('\uFF1D1+1')).toBe("'\uFF1D1+1")
    expect(csvCell('\uFF0BA1')).toBe("'\uFF0BA1")
    expect(csvCell('\uFF0D1')).toBe("'\uFF0D1")
    expect(csvCell('\uFF20A1')).toBe("'\uFF20A1")
  })

  it('guards a double quote followed by a formula character', () => {
    expect(csvCell('"=1+1"')).toBe('"\'""=1+1"""')
    expect(csvCell('" +cmd')).toBe('"\'"" +cmd"')
  })

  it('guards a NUL at the start (ASVS 5)', () => {
    expect(needsFormulaGuard('\0x')).toBe(true)
  })

  it('leaves text alone whose first visible character is harmless', () => {
    for (const text of [' GA-1', '\u00A0lot', 'a=b', '"quoted"', '測試 OK', 'x-1'])
      expect(needsFormulaGuard(text)).toBe(false)
  })
})

describe('spreadsheet flavour', () => {
  const enc = csvEncoder(['CONTAINERID', 'EQUIPMENTID', 'REJECTCOMMENT', 'REJECTQTY', 'TXNDATE'], 'spreadsheet')

  it('writes ids as text formulas that a spreadsheet shows unchanged, still valid RFC 4180', () => {
    expect(enc.row(['4881000381000009', '00123', 'ok', 5, '2024-03-05T07:41:09'])).toBe(
      '"=""4881000381000009""","=""00123""",ok,5,2024-03-05 07:41:09\r\n',
    )
    expect(enc.row(['4881000381e00009', 'EQ-1', null, null, null])).toBe('"=""4881000381e00009""","=""EQ-1""",,,\r\n')
  })

  it('keeps number-looking free text as text, and still guards formulas instead of wrapping them', () => {
    expect(enc.row(['48810380001cba48', null, '1/2', -2, null])).toBe('"=""48810380001cba48""",,"=""1/2""",-2,\r\n')
    expect(enc.row(['=HYPERLINK("x")', null, '+1', 0, null])).toBe('"\'=HYPERLINK(""x"")",,\'+1,0,\r\n')
  })

  it('leaves multi-line and over-long text as plain quoted text', () => {
    const long = '1'.repeat(300)
    expect(enc.row([long, null, '1\n2', null, null])).toBe(`${long},,"1\n2",,\r\n`)
  })

  it('writes the header like the scripts flavour, which stays the default', () => {
    expect(enc.header()).toBe('CONTAINERID,EQUIPMENTID,REJECTCOMMENT,REJECTQTY,TXNDATE\r\n')
    expect(csvEncoder(['CONTAINERID']).row(['4881000381000009'])).toBe('4881000381000009\r\n')
  })
})
