/**
 * Response bodies in gzip when the client accepts it, built from stored gzip members without decompressing
 * them: one gzip header, then each piece's deflate data (a stored chunk's as stored; text the route makes
 * itself compressed on its own), then the final block and a trailer whose CRC is combined from the pieces'.
 * One gzip stream rather than one member per piece, because Chromium decodes only a body's first member.
 * A client that does not accept gzip gets plain bytes, stored chunks decompressed one at a time.
 */
import { promisify } from 'node:util'
import { crc32, gunzip } from 'node:zlib'
import type { Context } from 'hono'
import type { StreamingApi } from 'hono/utils/stream'
import { deflateFragment, FINAL_BLOCK, GZIP_HEADER, memberParts, StoredGzip } from '../storage/chunk-gzip.ts'
import { crc32Combine } from './crc32-combine.ts'

const gunzipAsync = promisify(gunzip)

/** What a route writes: its own text or bytes, or a stored gzip chunk. */
export type BodyPiece = string | Uint8Array | StoredGzip

export interface BodyWriter {
  write(piece: BodyPiece): Promise<void>
  /** Closes the gzip stream (final block and trailer); nothing to do for a plain body. */
  end(): Promise<void>
}

/** Whether an Accept-Encoding header accepts gzip (`gzip` or `*` with a non-zero q). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  let star = false
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const accepted = q === undefined || Number(q.slice(2)) > 0
    if (name.trim() === 'gzip' || name.trim() === 'x-gzip') return accepted
    if (name.trim() === '*') star = accepted
  }
  return star
}

/** Negotiates the body's encoding for request `c`, sets its headers and returns whether it is gzip. */
export function negotiateGzip(c: Context): boolean {
  const gzip = acceptsGzip(c.req.header('accept-encoding'))
  c.header('Vary', 'Accept-Encoding', { append: true })
  if (gzip) c.header('Content-Encoding', 'gzip')
  return gzip
}

/** A writer of pieces to `s`, in gzip when `gzip`. */
export function bodyWriter(s: StreamingApi, gzip: boolean): BodyWriter {
  if (!gzip) {
    return {
      async write(piece) {
        await s.write(piece instanceof StoredGzip ? await gunzipAsync(piece.member) : piece)
      },
      async end() {},
    }
  }
  let crc = 0
  let size = 0
  let started = false
  const emit = async (deflate: Buffer, pieceCrc: number, pieceSize: number): Promise<void> => {
    crc = crc32Combine(crc, pieceCrc, pieceSize)
    size = (size + pieceSize) >>> 0
    await s.write(started ? deflate : Buffer.concat([GZIP_HEADER, deflate]))
    started = true
  }
  return {
    async write(piece) {
      if (piece instanceof StoredGzip) {
        const parts = memberParts(piece.member)
        await emit(parts.deflate, parts.crc, parts.size)
        return
      }
      const plain = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece
      if (plain.byteLength === 0) return
      await emit(await deflateFragment(plain), crc32(plain), plain.byteLength)
    },
    async end() {
      const trailer = Buffer.alloc(8)
      trailer.writeUInt32LE(crc, 0)
      trailer.writeUInt32LE(size, 4)
      await s.write(Buffer.concat([started ? FINAL_BLOCK : Buffer.concat([GZIP_HEADER, FINAL_BLOCK]), trailer]))
    },
  }
}
