import { PassThrough, Writable } from 'node:stream'
import ExcelJS from 'exceljs'
import { describe, expect, it, vi } from 'vitest'
import { writeXlsxExport, type XlsxDomain } from '../../../src/server/export/xlsx-export.ts'

const HISTORY = ['CONTAINERID', 'CONTAINERNAME', 'EQUIPMENTID', 'TRACKINTIMESTAMP', 'TRACKINQTY', 'REJECTCOMMENT']

async function* chunks(rows: unknown[][], size: number): AsyncGenerator<unknown[][]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size)
}

async function toBuffer(domains: XlsxDomain[], maxRowsPerSheet?: number): Promise<Buffer> {
  const output = new PassThrough()
  const parts: Buffer[] = []
  output.on('data', (b: Buffer) => parts.push(b))
  await writeXlsxExport({ output, about: [{ label: 'profile', value: 'query_tool' }], domains, maxRowsPerSheet })
  return Buffer.concat(parts)
}

async function readBack(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(buffer as unknown as ArrayBuffer)
  return wb
}

describe('streamed XLSX export', () => {
  it('types cells: ids and names as text, quantities as numbers, timestamps as formatted date-times', async () => {
    const rows = [
      ['4881000381000009', 'W2601-0001', '00123', '2026-01-02T03:04:05', 25, '=SUM(A1:A9)'],
      ['4881000381e00009', 'GA-1', '1E5', '2026-01-02 23:59:59', 0, '+cmd'],
      ['48810380001cba48', null, 'EQ1', 'not a date', -3, '@x'],
    ]
    const wb = await readBack(await toBuffer([{ name: 'history', columns: HISTORY, chunks: chunks(rows, 2) }]))
    expect(wb.worksheets.map((s) => s.name)).toEqual(['about', 'history'])
    const s = wb.getWorksheet('history') as ExcelJS.Worksheet
    expect(s.getRow(1).values).toEqual([undefined, ...HISTORY])
    expect(s.getCell('A2').value).toBe('4881000381000009')
    expect(s.getCell('A3').value).toBe('4881000381e00009')
    expect(s.getCell('C2').value).toBe('00123')
    expect(s.getCell('C3').value).toBe('1E5')
    expect(s.getCell('D2').value).toEqual(new Date('2026-01-02T03:04:05Z'))
    expect(s.getCell('D2').numFmt).toBe('yyyy-mm-dd hh:mm:ss')
    expect(s.getCell('D3').value).toEqual(new Date('2026-01-02T23:59:59Z'))
    expect(s.getCell('D4').value).toBe('not a date')
    expect(s.getCell('E2').value).toBe(25)
    expect(s.getCell('E4').value).toBe(-3)
    expect(s.getCell('B4').value).toBeNull()
    // Formula-looking text stays text: no formula cell comes from data.
    for (const ref of ['F2', 'F3', 'F4']) expect(s.getCell(ref).type).toBe(ExcelJS.ValueType.String)
    expect(s.getCell('F2').value).toBe('=SUM(A1:A9)')
  })

  it('keeps whitespace at the ends, control characters and literal escapes of text', async () => {
    const texts = ['\tTab', ' lead and trail ', 'a\rb', 'bell\u0007', 'literal _x0041_', 'line1\nline2']
    const rows = texts.map((t) => ['c', 'n', 'e', null, 1, t])
    const wb = await readBack(await toBuffer([{ name: 'history', columns: HISTORY, chunks: chunks(rows, 10) }]))
    const s = wb.getWorksheet('history') as ExcelJS.Worksheet
    const text = (v: ExcelJS.CellValue): unknown =>
      v && typeof v === 'object' && 'richText' in v ? v.richText.map((r) => r.text).join('') : v
    expect(texts.map((_, i) => text(s.getCell(`F${i + 2}`).value))).toEqual(texts)
  })

  it('freezes and filters the header row and sizes columns', async () => {
    const wb = await readBack(
      await toBuffer([
        { name: 'history', columns: HISTORY, chunks: chunks([['a', 'b', 'c', null, 1, 'x'.repeat(500)]], 10) },
      ]),
    )
    const s = wb.getWorksheet('history') as ExcelJS.Worksheet
    expect(s.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    expect(s.autoFilter).toBe('A1:F1')
    expect(s.getRow(1).font?.bold).toBe(true)
    expect(s.getColumn(1).width).toBeGreaterThanOrEqual(18)
    expect(s.getColumn(6).width).toBe(60)
  })

  it('continues a domain on new sheets past the row limit and gives an empty domain its header', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => [`c${i}`, null, null, null, i, null])
    const wb = await readBack(
      await toBuffer(
        [
          { name: 'history', columns: HISTORY, chunks: chunks(rows, 3) },
          { name: 'holds', columns: ['CONTAINERID'], chunks: chunks([], 3) },
        ],
        4,
      ),
    )
    expect(wb.worksheets.map((s) => s.name)).toEqual([
      'about',
      'history',
      'history (2)',
      'history (3)',
      'history (4)',
      'holds',
    ])
    const values = wb.worksheets.slice(1, 5).flatMap((s) => {
      expect(s.getRow(1).getCell(1).value).toBe('CONTAINERID')
      return s
        .getSheetValues()
        .slice(2)
        .map((r) => (r as unknown[])[1])
    })
    expect(values).toEqual(rows.map((r) => r[0]))
    expect((wb.getWorksheet('holds') as ExcelJS.Worksheet).rowCount).toBe(1)
  })

  it('stops producing while the client does not read, holding a bounded backlog', async () => {
    let received = 0
    let release: (() => void) | null = null
    // A client that reads 64 KB and then stalls until released.
    const output = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, done) {
        received += chunk.length
        if (received < 64 * 1024) done()
        else release = done
      },
    })
    let produced = 0
    async function* counted(): AsyncGenerator<unknown[][]> {
      for (let c = 0; c < 60; c++) {
        produced += 1000
        yield Array.from({ length: 1000 }, (_, i) => [
          `${c}-${i}-${Math.random()}`,
          'name',
          'eq',
          '2026-01-02T03:04:05',
          i,
          'comment text',
        ])
      }
    }
    const done = writeXlsxExport({
      output,
      about: [],
      domains: [{ name: 'history', columns: HISTORY, chunks: counted() }],
      maxBacklogBytes: 1024 * 1024,
    })
    await vi.waitFor(() => expect(release).not.toBeNull(), { timeout: 60_000, interval: 50 })
    await new Promise((r) => setTimeout(r, 1000))
    const whileStalled = produced
    await new Promise((r) => setTimeout(r, 1000))
    // Stalled: nothing more is read from the result, and what was read is a few chunks, not the domain.
    expect(produced).toBe(whileStalled)
    expect(whileStalled).toBeLessThan(20_000)
    // Released, it finishes.
    output._write = (chunk: Buffer, _enc, cb) => {
      received += chunk.length
      cb()
    }
    ;(release as unknown as () => void)()
    await done
    expect(produced).toBe(60_000)
  }, 120_000)
})
