/** Exports made in the browser: the shown view as CSV or XLSX, and what it traces. */
export { downloadBlob, viewToCsv } from './csv-export.ts'
export { tracedQuery } from './traced-query.ts'
export type { TracedQuery } from './traced-query.ts'
export { viewToXlsx } from './xlsx-export.ts'
