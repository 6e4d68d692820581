/**
 * Turns a domain's row batches (whatever size the source fetched) into fixed-size chunks, each encoded once
 * as the NDJSON `records` line it will be sent as, compressed once into a gzip member (chunk-gzip.ts) and stored
 * before the next rows are taken.
 */
import type { Domain } from '../../shared/domains.ts'
import type { RecordsLine } from '../../shared/ndjson-lines.ts'
import { gzipMember } from '../storage/chunk-gzip.ts'
import type { ResultStore } from '../storage/result-store.ts'

export interface ChunkWriterOptions {
  readonly results: ResultStore
  readonly jobId: string
  readonly domain: Domain
  /** Rows per chunk (TRACE_STREAM_BATCH_SIZE). */
  readonly chunkSize: number
  /** Called after each stored chunk with the domain's totals so far. */
  readonly onChunk?: (totals: { readonly chunks: number; readonly count: number }) => void
}

export interface ChunkWriter {
  /** Buffers rows and stores every chunk that fills up; resolves once those are stored. */
  add(rows: readonly unknown[][]): Promise<void>
  /** Stores the last, partial chunk and returns the domain's totals. */
  finish(): Promise<{ chunks: number; count: number }>
}

/** Encodes one `records` line, newline included. */
export function encodeRecordsLine(domain: Domain, batch: number, rows: unknown[][]): Buffer {
  const line: RecordsLine = { type: 'records', domain, batch, count: rows.length, rows }
  return Buffer.from(JSON.stringify(line) + '\n', 'utf8')
}

/** A writer for one domain of one job. */
export function createChunkWriter(options: ChunkWriterOptions): ChunkWriter {
  const { results, jobId, domain, chunkSize } = options
  let buffer: unknown[][] = []
  let chunks = 0
  let count = 0

  async function store(rows: unknown[][]): Promise<void> {
    await results.writeChunk(jobId, domain, chunks, await gzipMember(encodeRecordsLine(domain, chunks, rows)))
    chunks += 1
    count += rows.length
    options.onChunk?.({ chunks, count })
  }

  return {
    async add(rows) {
      for (const row of rows) {
        buffer.push(row)
        if (buffer.length === chunkSize) {
          const full = buffer
          buffer = []
          await store(full)
        }
      }
    },
    async finish() {
      if (buffer.length > 0) {
        const last = buffer
        buffer = []
        await store(last)
      }
      return { chunks, count }
    },
  }
}
