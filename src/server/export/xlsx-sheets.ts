/**
 * One domain's rows into an exceljs streaming workbook: typed cells (ids and names as text, quantities as
 * numbers, timestamps as date-times with a visible format), a bold frozen header row with an autofilter,
 * widths from the header and the first chunk, and a new sheet (`history (2)`…) whenever one is full. Every row
 * is committed as it is written, so the workbook holds no rows; `afterChunk` is awaited after each chunk (the
 * exporter waits there for the client).
 */
import type ExcelJS from 'exceljs'
import {
  columnKind,
  columnWidth,
  DATETIME_FORMAT,
  SHEET_MAX_ROWS,
  sheetName,
  sheetValue,
  xlsxValue,
  type XlsxValue,
} from '../../shared/export-columns.ts'

type Sheet = ExcelJS.Worksheet & { commit(): void }

export interface DomainSheetsOptions {
  readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter
  readonly name: string
  readonly columns: readonly string[]
  readonly chunks: AsyncIterable<readonly (readonly unknown[])[]>
  /** Called with the open sheet after each chunk; default nothing. */
  readonly afterChunk?: (sheet: object) => Promise<void>
  /** Rows per sheet, header included; default SHEET_MAX_ROWS (tests lower it). */
  readonly maxRows?: number
}

/** Writes the sheets of one domain and returns its row count. */
export async function writeDomainSheets(options: DomainSheetsOptions): Promise<number> {
  const { workbook, name, columns } = options
  const maxRows = options.maxRows ?? SHEET_MAX_ROWS
  const kinds = columns.map(columnKind)
  let sheet: Sheet | null = null
  let part = 0
  let rowsInSheet = 0
  let total = 0
  const open = (sample: readonly (readonly unknown[])[]): Sheet => {
    part += 1
    const s = workbook.addWorksheet(sheetName(name, part), { views: [{ state: 'frozen', ySplit: 1 }] }) as Sheet
    s.columns = columns.map((c, i) => ({
      key: c,
      width: columnWidth(
        c,
        kinds[i],
        sample.map((r) => r[i]),
      ),
      style: kinds[i] === 'datetime' ? { numFmt: DATETIME_FORMAT } : {},
    }))
    s.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } }
    const header = s.addRow([...columns])
    header.font = { bold: true }
    header.commit()
    rowsInSheet = 1
    return s
  }
  const cells = new Array<XlsxValue>(columns.length)
  for await (const chunk of options.chunks) {
    for (const row of chunk) {
      if (!sheet || rowsInSheet === maxRows) {
        sheet?.commit()
        sheet = open(chunk)
      }
      for (let i = 0; i < cells.length; i++) cells[i] = xlsxValue(sheetValue(row[i], kinds[i]))
      sheet.addRow(cells).commit()
      rowsInSheet += 1
      total += 1
    }
    if (sheet) await options.afterChunk?.(sheet)
  }
  // A domain without rows still gets its sheet, header only, so the workbook says it was fetched.
  ;(sheet ?? open([])).commit()
  return total
}
