/**
 * Bytes an exceljs streaming workbook has accepted but not yet handed to its output. exceljs' StreamBuf writes
 * into the zip entry's deflate stream without looking at its return value, so backpressure from a slow client
 * stops at the zip and rows keep piling up in front of it; the exporter reads this figure after every chunk of
 * rows and waits while it is high. The fields read are exceljs 4 and archiver internals: should they change,
 * the figure falls back to what the zip itself holds and the output's own backpressure still applies.
 */
import type { Readable, Writable } from 'node:stream'

interface StreamBufLike {
  readonly buffers?: readonly { readonly length: number }[]
  readonly pipes?: readonly Partial<Writable & Readable>[]
}

/** Bytes waiting in `sheet`'s stream (when it has one open), the entry's deflate stream, and the zip. */
export function xlsxBacklog(workbook: object, sheet: object | null): number {
  let bytes = 0
  const zip = (workbook as { zip?: Partial<Readable & Writable> }).zip
  bytes += (zip?.readableLength ?? 0) + (zip?.writableLength ?? 0)
  const buf = (sheet as { _stream?: StreamBufLike } | null)?._stream
  for (const b of buf?.buffers ?? []) bytes += b.length
  for (const p of buf?.pipes ?? []) bytes += (p.writableLength ?? 0) + (p.readableLength ?? 0)
  return bytes
}
