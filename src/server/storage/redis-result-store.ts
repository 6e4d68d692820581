/**
 * Results as Redis keys `<prefix>:trace:job:<id>:result:<domain>:<idx>`, `...:result:meta` and
 * `...:result:aggregation` (and `:analysis`, `:lineage`). A chunk's value is a gzip member, or plain NDJSON for a chunk written before chunks
 * were compressed (told apart by the gzip magic number, chunk-gzip.ts). Every key carries a TTL from the moment it is written, so nothing outlives a
 * worker that died; `expire` shortens them to TRACE_JOB_TTL_SECONDS when the job ends.
 */
import type { Redis } from 'ioredis'
import { DOMAINS } from '../../shared/domains.ts'
import { redisKeys } from './redis-keys.ts'
import type { ResultMeta, ResultStore } from './result-store.ts'

export interface RedisResultStoreOptions {
  readonly prefix: string
  /** TTL of keys written while the job runs: long enough to outlast the job plus its result TTL. */
  readonly writeTtlSeconds: number
}

/** Keys deleted or expired per round trip. */
const KEY_BATCH = 200

/** A result store on an open ioredis client (not closed by the store). */
export function createRedisResultStore(redis: Redis, options: RedisResultStoreOptions): ResultStore {
  const keys = redisKeys(options.prefix)
  const ttl = options.writeTtlSeconds

  /** Every key of the job's result, chunk keys by contiguous index up to what the meta (or probing) finds. */
  async function forEachKeyBatch(
    jobId: string,
    meta: ResultMeta | undefined,
    fn: (batch: string[]) => Promise<number>,
  ): Promise<void> {
    await fn([
      keys.resultMeta(jobId),
      keys.aggregation(jobId),
      keys.analysis(jobId),
      keys.lineage(jobId),
      keys.legacyResult(jobId),
    ])
    for (const domain of DOMAINS) {
      const known = meta?.domains[domain]?.chunks ?? 0
      // Chunks past what the meta lists may exist (written after its last update): probe until a batch is empty.
      for (let start = 0; ; start += KEY_BATCH) {
        const batch = Array.from({ length: KEY_BATCH }, (_, i) => keys.chunk(jobId, domain, start + i))
        const hit = await fn(batch)
        if (start + KEY_BATCH >= known && hit === 0) break
      }
    }
  }

  return {
    async writeChunk(jobId, domain, idx, line) {
      await redis.set(
        keys.chunk(jobId, domain, idx),
        Buffer.from(line.buffer, line.byteOffset, line.byteLength),
        'EX',
        ttl,
      )
    },
    async readChunk(jobId, domain, idx) {
      return (await redis.getBuffer(keys.chunk(jobId, domain, idx))) ?? undefined
    },
    async writeMeta(meta) {
      await redis.set(keys.resultMeta(meta.job_id), JSON.stringify(meta), 'EX', ttl)
    },
    async readMeta(jobId) {
      const raw = await redis.get(keys.resultMeta(jobId))
      return raw ? (JSON.parse(raw) as ResultMeta) : undefined
    },
    async writeAggregation(jobId, line) {
      await redis.set(keys.aggregation(jobId), Buffer.from(line.buffer, line.byteOffset, line.byteLength), 'EX', ttl)
    },
    async readAggregation(jobId) {
      return (await redis.getBuffer(keys.aggregation(jobId))) ?? undefined
    },
    async writeAnalysis(jobId, data) {
      await redis.set(keys.analysis(jobId), Buffer.from(data.buffer, data.byteOffset, data.byteLength), 'EX', ttl)
    },
    async readAnalysis(jobId) {
      return (await redis.getBuffer(keys.analysis(jobId))) ?? undefined
    },
    async writeLineage(jobId, data) {
      await redis.set(keys.lineage(jobId), Buffer.from(data.buffer, data.byteOffset, data.byteLength), 'EX', ttl)
    },
    async readLineage(jobId) {
      return (await redis.getBuffer(keys.lineage(jobId))) ?? undefined
    },
    async storedChunks(jobId, domain, count) {
      let stored = 0
      for (let start = 0; start < count; start += KEY_BATCH) {
        const batch = Array.from({ length: Math.min(KEY_BATCH, count - start) }, (_, i) =>
          keys.chunk(jobId, domain, start + i),
        )
        stored += await redis.exists(...batch)
      }
      return stored
    },
    async readLegacy(jobId) {
      return (await redis.getBuffer(keys.legacyResult(jobId))) ?? undefined
    },
    async expire(jobId, ttlSeconds) {
      const meta = await this.readMeta(jobId)
      await forEachKeyBatch(jobId, meta, async (batch) => {
        const pipe = redis.pipeline()
        for (const k of batch) pipe.expire(k, ttlSeconds)
        const res = (await pipe.exec()) ?? []
        return res.filter(([err, n]) => !err && n === 1).length
      })
    },
    async delete(jobId) {
      const meta = await this.readMeta(jobId)
      await forEachKeyBatch(jobId, meta, (batch) => redis.del(...batch))
    },
    async *listJobIds() {},
    async close() {},
  }
}
