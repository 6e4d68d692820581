/** Headers of a file download: type, a name in ASCII plus its UTF-8 form (RFC 6266), never cached. */
import type { Context } from 'hono'
import { asciiFileName } from '../../shared/export-names.ts'

/** Sets Content-Type, Content-Disposition (`filename` and `filename*`) and Cache-Control on `c`. */
export function setDownloadHeaders(c: Context, contentType: string, fileName: string): void {
  c.header('Content-Type', contentType)
  c.header(
    'Content-Disposition',
    `attachment; filename="${asciiFileName(fileName)}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  )
  c.header('Cache-Control', 'no-store')
}
