import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisKeys } from '../../../src/server/storage/redis-keys.ts'
import { createRedisResultStore } from '../../../src/server/storage/redis-result-store.ts'
import type { ResultMeta, ResultStore } from '../../../src/server/storage/result-store.ts'
import { TEST_REDIS_URL, requireRedis } from '../../helpers/services.ts'

const JOB = 'trace-evt-fedcba9876543210fedcba9876543210'

describe.skipIf(await requireRedis())('redis result store', () => {
  const prefix = `mes-trace-test-${randomBytes(4).toString('hex')}`
  const keys = redisKeys(prefix)
  let redis: Redis
  let store: ResultStore

  const meta = (partial: Partial<ResultMeta> = {}): ResultMeta => ({
    job_id: JOB,
    attempt: 1,
    chunk_size: 2,
    order: ['history'],
    domains: {},
    aggregation: false,
    failed_domains: [],
    complete: false,
    ...partial,
  })

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL)
    store = createRedisResultStore(redis, { prefix, writeTtlSeconds: 600 })
  })
  afterAll(async () => {
    const stale = await redis.keys(`${prefix}:*`)
    if (stale.length) await redis.del(...stale)
    await redis.quit()
  })

  it('stores chunks under <prefix>:trace:job:<id>:result:<domain>:<idx> with a TTL', async () => {
    const line = Buffer.from('{"type":"records","domain":"history","batch":0,"count":1,"rows":[["測試"]]}\n')
    await store.writeChunk(JOB, 'history', 0, line)
    expect(await redis.exists(`${prefix}:trace:job:${JOB}:result:history:0`)).toBe(1)
    expect((await store.readChunk(JOB, 'history', 0))?.equals(line)).toBe(true)
    const ttl = await redis.ttl(keys.chunk(JOB, 'history', 0))
    expect(ttl).toBeGreaterThan(500)
    expect(ttl).toBeLessThanOrEqual(600)
    await store.writeMeta(meta())
    expect(await redis.exists(`${prefix}:trace:job:${JOB}:result:meta`)).toBe(1)
    await store.writeAggregation(JOB, Buffer.from('{"type":"aggregation","data":null}\n'))
    expect(await redis.exists(`${prefix}:trace:job:${JOB}:result:aggregation`)).toBe(1)
  })

  it('shortens every key of a finished result to the job TTL', async () => {
    for (let i = 0; i < 3; i++) await store.writeChunk(JOB, 'history', i, Buffer.from(`${i}\n`))
    await store.writeMeta(
      meta({ domains: { history: { columns: ['A'], chunks: 3, count: 5, done: true } }, complete: true }),
    )
    await store.expire(JOB, 30)
    for (const k of [
      keys.chunk(JOB, 'history', 0),
      keys.chunk(JOB, 'history', 2),
      keys.resultMeta(JOB),
      keys.aggregation(JOB),
    ]) {
      const ttl = await redis.ttl(k)
      expect(ttl, k).toBeGreaterThan(0)
      expect(ttl, k).toBeLessThanOrEqual(30)
    }
  })

  it('deletes every chunk, including ones written after the meta was last updated', async () => {
    await store.writeMeta(meta({ domains: { history: { columns: ['A'], chunks: 1, count: 2, done: false } } }))
    for (let i = 0; i < 450; i++) await store.writeChunk(JOB, 'history', i, Buffer.from(`${i}\n`))
    await store.writeChunk(JOB, 'materials', 0, Buffer.from('m\n'))
    await store.delete(JOB)
    expect(await redis.keys(`${prefix}:trace:job:${JOB}:*`)).toEqual([])
  })

  it('reads a result stored whole by the old system under ...:result', async () => {
    await redis.set(`${prefix}:trace:job:${JOB}:result`, '{"results":{}}')
    expect((await store.readLegacy(JOB))?.toString()).toBe('{"results":{}}')
    await store.delete(JOB)
    expect(await store.readLegacy(JOB)).toBeUndefined()
  })
})
