/** The text of a piece the job stream yields, stored gzip chunks decompressed. */
import { gunzipSync } from 'node:zlib'
import { StoredGzip } from '../../src/server/storage/chunk-gzip.ts'

export function pieceText(piece: string | Uint8Array | StoredGzip): string {
  if (typeof piece === 'string') return piece
  return (piece instanceof StoredGzip ? gunzipSync(piece.member) : Buffer.from(piece)).toString('utf8')
}
