import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { createFileResultStore } from '../../../src/server/storage/file-result-store.ts'
import { createRedisResultStore } from '../../../src/server/storage/redis-result-store.ts'
import type { ResultStore } from '../../../src/server/storage/result-store.ts'
import { TEST_REDIS_URL, requireRedis } from '../../helpers/services.ts'

const JOB = 'trace-evt-0123456789abcdef0123456789abcdef'
const KEPT = Buffer.from(
  JSON.stringify({ total_nodes: 3, seed_count: 1, max_nodes: 10, seed_ids: ['C1'], lineage: null }),
)

function keepsAndDeletes(store: () => ResultStore): void {
  it('reads back the lineage a job stored, nothing before, and nothing once the result is deleted', async () => {
    expect(await store().readLineage(JOB)).toBeUndefined()
    await store().writeLineage(JOB, KEPT)
    expect((await store().readLineage(JOB))?.equals(KEPT)).toBe(true)
    await store().delete(JOB)
    expect(await store().readLineage(JOB)).toBeUndefined()
  })
}

describe('job lineage in the file result store', () => {
  const root = mkdtempSync(join(tmpdir(), 'mes-lineage-'))
  const store = createFileResultStore(join(root, 'results'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  keepsAndDeletes(() => store)
})

describe.skipIf(await requireRedis())('job lineage in the redis result store', () => {
  const prefix = `mes-trace-test-${randomBytes(4).toString('hex')}`
  const redis = new Redis(TEST_REDIS_URL)
  const store = createRedisResultStore(redis, { prefix, writeTtlSeconds: 600 })
  afterAll(async () => {
    const stale = await redis.keys(`${prefix}:*`)
    if (stale.length) await redis.del(...stale)
    await redis.quit()
  })
  keepsAndDeletes(() => store)

  it('gives the stored lineage a TTL like every result key', async () => {
    await store.writeLineage(JOB, KEPT)
    expect(await redis.ttl(`${prefix}:trace:job:${JOB}:result:lineage`)).toBeGreaterThan(500)
  })
})
