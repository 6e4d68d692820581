/**
 * Reading a finished job's domain from its chunks without touching the rest: a page needs chunks
 * `offset / chunk_size` … `(offset + limit - 1) / chunk_size` only, and the CSV export walks the chunks one
 * at a time. Both decode one chunk at a time, so memory holds a chunk, never the domain.
 */
import type { Domain } from '../../shared/domains.ts'
import { plainChunk } from '../storage/chunk-gzip.ts'
import type { ResultMeta, ResultStore } from '../storage/result-store.ts'
import { decodeRecordsLine } from './records-codec.ts'

/** A chunk listed in the meta is missing: the result expired (or was deleted) while it was read. */
export class ChunkMissingError extends Error {
  constructor(domain: Domain, idx: number) {
    super(`chunk ${idx} of ${domain} is missing`)
    this.name = 'ChunkMissingError'
  }
}

/** The rows `[offset, offset + limit)` of a domain, one chunk's slice at a time. */
export async function* pageRows(
  results: ResultStore,
  meta: ResultMeta,
  domain: Domain,
  offset: number,
  limit: number,
): AsyncGenerator<unknown[][], void, undefined> {
  const total = meta.domains[domain]?.count ?? 0
  const end = Math.min(total, offset + limit)
  if (offset >= end) return
  const size = meta.chunk_size
  for (let idx = Math.floor(offset / size); idx <= Math.floor((end - 1) / size); idx++) {
    const rows = await chunkRows(results, meta.job_id, domain, idx)
    const base = idx * size
    yield rows.slice(Math.max(0, offset - base), end - base)
  }
}

/** Every row of a domain, chunk by chunk. */
export async function* domainRows(
  results: ResultStore,
  meta: ResultMeta,
  domain: Domain,
): AsyncGenerator<unknown[][], void, undefined> {
  const chunks = meta.domains[domain]?.chunks ?? 0
  for (let idx = 0; idx < chunks; idx++) yield await chunkRows(results, meta.job_id, domain, idx)
}

async function chunkRows(results: ResultStore, jobId: string, domain: Domain, idx: number): Promise<unknown[][]> {
  const chunk = await results.readChunk(jobId, domain, idx)
  if (!chunk) throw new ChunkMissingError(domain, idx)
  return decodeRecordsLine(await plainChunk(chunk)).rows
}
