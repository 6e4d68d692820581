/** Query strings of the job export routes (export.csv, export.xlsx). */
import { z } from 'zod'
import { CSV_FLAVOURS } from './csv.ts'
import { DOMAINS } from './domains.ts'

/** GET /api/trace/job/:id/export.csv: one domain; `flavour` scripts (RFC 4180, default) or spreadsheet. */
export const csvExportQuerySchema = z.object({
  domain: z.enum(DOMAINS),
  flavour: z.enum(CSV_FLAVOURS).default('scripts'),
})
export type CsvExportQuery = z.infer<typeof csvExportQuerySchema>

/** GET /api/trace/job/:id/export.xlsx: one domain, or (no domain) a workbook with a sheet per domain. */
export const xlsxExportQuerySchema = z.object({ domain: z.enum(DOMAINS).optional() })
export type XlsxExportQuery = z.infer<typeof xlsxExportQuerySchema>
