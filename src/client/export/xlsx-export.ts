/**
 * "Export shown view … for Excel": the rows the table shows, in its order, as an XLSX workbook laid out like
 * the server's (about sheet first, typed cells, frozen header with autofilter, sheets continued past the row
 * limit). exceljs is loaded on first use only (its browser build is large), and builds the workbook in memory:
 * the view is already in this tab's memory, and exceljs' streaming writer exists for Node only.
 */
import type ExcelJS from 'exceljs'
import type { AboutLine } from '../../shared/export-about.ts'
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
import type { RowTable } from '../rows/index.ts'

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const WIDTH_SAMPLE_ROWS = 200

/** An XLSX Blob of `table` in `order` (null = arrival order), after an about sheet of `about`. */
export async function viewToXlsx(
  table: RowTable,
  order: Uint32Array | null,
  about: readonly AboutLine[],
  maxRowsPerSheet = SHEET_MAX_ROWS,
): Promise<Blob> {
  const { default: Excel } = await import('exceljs')
  const workbook = new Excel.Workbook()
  const aboutSheet = workbook.addWorksheet('about')
  aboutSheet.columns = [{ width: 28 }, { width: 100 }]
  for (const line of about) {
    const row = aboutSheet.addRow([line.label, line.value])
    row.getCell(1).font = { bold: true }
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' }
  }

  const count = order ? order.length : table.length
  const rowAt = (i: number): number => (order ? order[i] : i)
  const kinds = table.columnNames.map(columnKind)
  const sample = (c: number, from: number): unknown[] => {
    const values: unknown[] = []
    for (let i = from; i < Math.min(count, from + WIDTH_SAMPLE_ROWS); i++) values.push(table.raw(rowAt(i), c))
    return values
  }
  let sheet: ExcelJS.Worksheet | null = null
  let part = 0
  let rowsInSheet = 0
  const open = (from: number): ExcelJS.Worksheet => {
    part += 1
    const s = workbook.addWorksheet(sheetName(table.name, part), { views: [{ state: 'frozen', ySplit: 1 }] })
    s.columns = table.columnNames.map((c, i) => ({
      key: c,
      width: columnWidth(c, kinds[i], sample(i, from)),
      style: kinds[i] === 'datetime' ? { numFmt: DATETIME_FORMAT } : {},
    }))
    s.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columnNames.length } }
    s.addRow([...table.columnNames]).font = { bold: true }
    rowsInSheet = 1
    return s
  }
  const cells = new Array<XlsxValue>(kinds.length)
  for (let i = 0; i < count; i++) {
    if (!sheet || rowsInSheet === maxRowsPerSheet) sheet = open(i)
    const row = rowAt(i)
    for (let c = 0; c < kinds.length; c++) cells[c] = xlsxValue(sheetValue(table.raw(row, c), kinds[c]))
    sheet.addRow(cells)
    rowsInSheet += 1
  }
  if (!sheet) open(0)
  const buffer = await workbook.xlsx.writeBuffer()
  return new Blob([buffer], { type: XLSX_TYPE })
}
