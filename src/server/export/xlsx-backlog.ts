/**
 * Bytes an exceljs streaming workbook has accepted but not yet handed to its output. exceljs' StreamBuf writes
 * into the zip entry's input stream without looking at its return value, so backpressure from a slow client
 * stops at the zip and rows keep piling up in front of it; the exporter reads this figure after every chunk of
 * rows and waits while it is high. The fields read are exceljs 4 and archiver internals: should they change,
 * the figure falls back to what the zip itself holds and the output's own backpressure still applies.
 */
/** A stream of Node's or of the readable-stream package (archiver's), which lacks readableLength. */
interface StreamLike {
  readonly _readableState?: { readonly length?: number }
  readonly _writableState?: { readonly length?: number }
}

interface StreamBufLike {
  readonly buffers?: readonly { readonly length: number }[]
  readonly pipes?: readonly StreamLike[]
}

/** Bytes waiting in `sheet`'s stream (when it has one open), the entry's deflate stream, and the zip. */
export function xlsxBacklog(workbook: object, sheet: object | null): number {
  let bytes = 0
  bytes += queued((workbook as { zip?: StreamLike }).zip)
  const buf = (sheet as { _stream?: StreamBufLike } | null)?._stream
  for (const b of buf?.buffers ?? []) bytes += b.length
  for (const p of buf?.pipes ?? []) bytes += queued(p)
  return bytes
}

function queued(stream: StreamLike | undefined): number {
  return (stream?._readableState?.length ?? 0) + (stream?._writableState?.length ?? 0)
}
