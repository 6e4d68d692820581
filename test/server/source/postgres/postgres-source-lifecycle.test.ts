import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setLogLevel } from '../../../../src/server/logger.ts'
import type { PostgresSource } from '../../../../src/server/source/postgres/postgres-source.ts'
import { sql } from '../../../../src/server/source/sql.ts'
import { requirePostgres } from '../../../helpers/services.ts'
import { openTestDatabase, type TestDatabase } from './pg-test-support.ts'

const skip = await requirePostgres()
const bigQuery = sql`SELECT g, repeat('x', 20) AS pad FROM generate_series(1, 20000) g`

describe.skipIf(skip)('postgres source: every path closes the cursor and releases the connection', () => {
  let db: TestDatabase
  let source: PostgresSource
  let backendPid: number

  /** Nothing leased, no cursor open, and the one connection idle on the server (not idle in transaction). */
  async function expectReleased(): Promise<void> {
    expect(source.stats()).toMatchObject({ busy: 0, queued: 0, openCursors: 0 })
    const activity = await db.activity()
    expect(activity.map((a) => a.state)).toEqual(['idle'])
    // The same backend served every statement: the connection went back to the pool instead of being replaced.
    expect(activity[0].pid).toBe(backendPid)
  }

  beforeAll(async () => {
    setLogLevel('silent')
    db = await openTestDatabase('pglife')
    // One connection only: a client that was not returned would make the next statement wait forever.
    source = db.source({ DB_POOL_SIZE: '1', DB_SLOW_MAX_CONCURRENT: '1' })
    backendPid = (await source.all(sql`SELECT pg_backend_pid()`)).rows[0][0] as number
  })
  afterAll(async () => {
    await db?.dispose()
  })

  it('holds the portal open on the server while the consumer is between batches', async () => {
    const iterator = source.stream(bigQuery, { fetchSize: 100 })
    await iterator.next()
    expect(source.stats()).toMatchObject({ busy: 1, openCursors: 1 })
    expect((await db.activity()).map((a) => a.state)).not.toEqual(['idle'])
    await iterator.return()
    await expectReleased()
  })

  it('releases after the rows are exhausted', async () => {
    let rows = 0
    for await (const batch of source.stream(bigQuery, { fetchSize: 3000 })) rows += batch.rows.length
    expect(rows).toBe(20000)
    await expectReleased()
  })

  it('releases after the consumer breaks out early', async () => {
    let batches = 0
    for await (const batch of source.stream(bigQuery, { fetchSize: 100 })) {
      batches += batch.rows.length > 0 ? 1 : 0
      if (batches === 2) break
    }
    await expectReleased()
  })

  it('releases after the consumer throws', async () => {
    const consume = async (): Promise<void> => {
      for await (const batch of source.stream(bigQuery, { fetchSize: 100 })) {
        if (batch.rows.length > 0) throw new Error('consumer failed')
      }
    }
    await expect(consume()).rejects.toThrow('consumer failed')
    await expectReleased()
  })

  it('throws the abort reason when aborted between batches, then releases', async () => {
    const controller = new AbortController()
    const consume = async (): Promise<number> => {
      let n = 0
      for await (const batch of source.stream(bigQuery, { fetchSize: 100, signal: controller.signal })) {
        n += batch.rows.length
        if (n === 200) controller.abort(new Error('user cancelled'))
      }
      return n
    }
    await expect(consume()).rejects.toThrow('user cancelled')
    await expectReleased()
  })

  it('fails with the server error for bad SQL, then releases', async () => {
    const consume = async (): Promise<void> => {
      for await (const _ of source.stream(sql`SELECT * FROM no_such_table`)) void _
    }
    await expect(consume()).rejects.toThrow(/no_such_table/)
    await expectReleased()
  })

  it('fails with the server error raised mid-stream after some batches, then releases', async () => {
    const seen: number[] = []
    const consume = async (): Promise<void> => {
      const q = sql`SELECT 100 / (500 - g) FROM generate_series(1, 1000) g`
      for await (const batch of source.stream(q, { fetchSize: 100 })) seen.push(batch.rows.length)
    }
    await expect(consume()).rejects.toThrow(/division by zero/)
    expect(seen).toEqual([100, 100, 100, 100])
    await expectReleased()
  })

  it('collects all() and releases, including when all() fails', async () => {
    expect((await source.all(sql`SELECT g FROM generate_series(1, 7) g`, { fetchSize: 3 })).rows).toHaveLength(7)
    await expect(source.all(sql`SELECT 1/0`)).rejects.toThrow(/division by zero/)
    await expectReleased()
  })
})
