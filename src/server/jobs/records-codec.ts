/** Reads back a stored `records` chunk (only the paths that must: objects shape, paging, CSV). */
import type { RecordsLine } from '../../shared/ndjson-lines.ts'

/** Parses a stored chunk's plain bytes (see chunk-gzip.ts `plainChunk`); throws when it is not a records line with rows. */
export function decodeRecordsLine(chunk: Buffer): RecordsLine & { rows: unknown[][] } {
  const line = JSON.parse(chunk.toString('utf8')) as RecordsLine
  if (line.type !== 'records' || !Array.isArray(line.rows)) throw new Error('stored chunk is not a records line')
  return line as RecordsLine & { rows: unknown[][] }
}
