/** "Export shown view … CSV for scripts": the rows the table shows, in its order, as the server's CSV writes them. */
import { CSV_BOM, csvRow } from '../../shared/csv.ts'
import type { RowTable } from '../rows/index.ts'

const ROWS_PER_PART = 5000

/** A CSV Blob of `table` in `order` (null = arrival order), header row first. */
export function viewToCsv(table: RowTable, order: Uint32Array | null): Blob {
  const parts: string[] = [CSV_BOM, csvRow(table.columnNames)]
  const count = order ? order.length : table.length
  const cells = new Array<unknown>(table.columns.length)
  let part = ''
  for (let i = 0; i < count; i++) {
    const row = order ? order[i] : i
    for (let c = 0; c < cells.length; c++) cells[c] = table.raw(row, c)
    part += csvRow(cells)
    // Joined in parts: millions of tiny strings would cost more than the text itself.
    if ((i + 1) % ROWS_PER_PART === 0) {
      parts.push(part)
      part = ''
    }
  }
  if (part) parts.push(part)
  return new Blob(parts, { type: 'text/csv;charset=utf-8' })
}

/** Starts a download of `blob` as `fileName`. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  // The click has started the download; the URL can go once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
