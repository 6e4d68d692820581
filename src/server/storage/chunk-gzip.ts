/**
 * Stored chunks are gzip members, compressed once by the worker. Each member's deflate data ends with a sync
 * flush before its (empty) final block, so a response can splice the members' deflate data into ONE gzip
 * stream without decompressing them (gzip-splice.ts): Chromium decodes only the first member of a
 * multi-member gzip body, so sending the members back to back is not an option. The marker is the member's own
 * magic number: a stored line is JSON text, which never starts with 0x1f 0x8b, so a chunk written before
 * compression (an old result still in a store) reads as plain bytes.
 */
import { promisify } from 'node:util'
import { constants, crc32, deflateRaw, gunzip } from 'node:zlib'

const deflateRawAsync = promisify(deflateRaw)
const gunzipAsync = promisify(gunzip)

/**
 * Level 1: on real history chunks it costs far less CPU than level 6 for bytes only a little larger (see
 * BENCHMARKS.md, "Results compressed"); the worker's CPU is the scarcer resource and the link is the one that
 * needed the 7x.
 */
export const CHUNK_GZIP_LEVEL = 1

/** gzip header: magic, deflate, no flags, no mtime (so a rewritten chunk is byte-identical), no extra flags, OS unknown. */
export const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])
/** The empty final deflate block (fixed Huffman, end of block) that closes byte-aligned deflate data. */
export const FINAL_BLOCK = Buffer.from([0x03, 0x00])
/** The header, the final block and the CRC-32 + ISIZE trailer around a member's spliceable deflate data. */
const MEMBER_OVERHEAD = GZIP_HEADER.length + FINAL_BLOCK.length + 8

/** A stored chunk that is a gzip member, passed along to be sent as it is stored. */
export class StoredGzip {
  constructor(readonly member: Buffer) {}
}

/** Whether `bytes` start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}

/** Deflate data of `plain` that ends byte-aligned and not final, so more deflate data can follow it. */
export async function deflateFragment(plain: Uint8Array, level = CHUNK_GZIP_LEVEL): Promise<Buffer> {
  return deflateRawAsync(plain, { level, finishFlush: constants.Z_SYNC_FLUSH })
}

/** One gzip member of `plain` whose deflate data can be spliced (on the thread pool, off the caller's thread). */
export async function gzipMember(plain: Uint8Array, level = CHUNK_GZIP_LEVEL): Promise<Buffer> {
  const trailer = Buffer.alloc(8)
  trailer.writeUInt32LE(crc32(plain), 0)
  trailer.writeUInt32LE(plain.byteLength >>> 0, 4)
  return Buffer.concat([GZIP_HEADER, await deflateFragment(plain, level), FINAL_BLOCK, trailer])
}

/** A member written by `gzipMember`, taken apart: its deflate data (not final), CRC-32 and length. */
export interface MemberParts {
  readonly deflate: Buffer
  readonly crc: number
  readonly size: number
}

/** Takes apart a member written by `gzipMember`; throws on any other gzip (it could not be spliced). */
export function memberParts(member: Buffer): MemberParts {
  const end = member.length - 10
  if (
    member.length < MEMBER_OVERHEAD ||
    !member.subarray(0, GZIP_HEADER.length).equals(GZIP_HEADER) ||
    !member.subarray(end, end + 2).equals(FINAL_BLOCK)
  )
    throw new Error('stored chunk is not a spliceable gzip member')
  return {
    deflate: member.subarray(GZIP_HEADER.length, end),
    crc: member.readUInt32LE(end + 2),
    size: member.readUInt32LE(end + 6),
  }
}

/** The plain bytes of a stored chunk: decompressed when it is gzip, as stored when it is an old plain one. */
export async function plainChunk(stored: Buffer): Promise<Buffer> {
  return isGzip(stored) ? gunzipAsync(stored) : stored
}
