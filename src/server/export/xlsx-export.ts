/**
 * A finished job's domains as one streamed XLSX workbook: an "about" sheet, then each domain's sheets, written
 * with exceljs' streaming WorkbookWriter into `output` in constant memory. Inline strings (no shared-string
 * table, which would grow with the data), every row committed as written, and after each chunk of rows the
 * writer waits until what it produced has gone out (see xlsx-backlog.ts).
 */
import type { Writable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { AboutLine } from '../../shared/export-about.ts'
import { xlsxBacklog } from './xlsx-backlog.ts'
import { writeDomainSheets } from './xlsx-sheets.ts'

/** One domain to write. */
export interface XlsxDomain {
  readonly name: string
  readonly columns: readonly string[]
  readonly chunks: AsyncIterable<readonly (readonly unknown[])[]>
}

export interface XlsxExportOptions {
  readonly output: Writable
  readonly about: readonly AboutLine[]
  readonly domains: readonly XlsxDomain[]
  /** Bytes the workbook may hold unsent before it waits; default 4 MiB. */
  readonly maxBacklogBytes?: number
  /** Rows per sheet (tests lower it); default the spreadsheet limit. */
  readonly maxRowsPerSheet?: number
  /** Stops between chunks when aborted (the client went away). */
  readonly signal?: AbortSignal
}

const DEFAULT_MAX_BACKLOG = 4 * 1024 * 1024
const BACKLOG_POLL_MS = 5

/** Writes the workbook and resolves once `output` has received all of it; returns the rows written. */
export async function writeXlsxExport(options: XlsxExportOptions): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: options.output,
    useStyles: true,
    useSharedStrings: false,
  })
  const maxBacklog = options.maxBacklogBytes ?? DEFAULT_MAX_BACKLOG
  const afterChunk = async (sheet: object): Promise<void> => {
    while (xlsxBacklog(workbook, sheet) > maxBacklog || options.output.writableNeedDrain) {
      options.signal?.throwIfAborted()
      await new Promise((r) => setTimeout(r, BACKLOG_POLL_MS))
    }
    options.signal?.throwIfAborted()
  }
  writeAboutSheet(workbook, options.about)
  let rows = 0
  for (const d of options.domains) {
    rows += await writeDomainSheets({ workbook, ...d, afterChunk, maxRows: options.maxRowsPerSheet })
  }
  await workbook.commit()
  return rows
}

function writeAboutSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, lines: readonly AboutLine[]): void {
  const sheet = workbook.addWorksheet('about')
  sheet.columns = [{ width: 28 }, { width: 100 }]
  for (const line of lines) {
    const row = sheet.addRow([line.label, line.value])
    row.getCell(1).font = { bold: true }
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' }
    row.commit()
  }
  ;(sheet as unknown as { commit(): void }).commit()
}
