import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setLogLevel } from '../../../../src/server/logger.ts'
import type { Batch } from '../../../../src/server/source/mes-source.ts'
import type { PostgresSource } from '../../../../src/server/source/postgres/postgres-source.ts'
import { SourceTimeoutError } from '../../../../src/server/source/postgres/source-timeout-error.ts'
import { sql, type SqlQuery } from '../../../../src/server/source/sql.ts'
import { requirePostgres } from '../../../helpers/services.ts'
import { eventually, openTestDatabase, type TestDatabase } from './pg-test-support.ts'

const skip = await requirePostgres()

async function drain(source: PostgresSource, query: SqlQuery, signal?: AbortSignal): Promise<number> {
  let rows = 0
  for await (const batch of source.stream(query, { signal, fetchSize: 100 })) rows += batch.rows.length
  return rows
}

describe.skipIf(skip)('postgres source: cancellation on the server', () => {
  let db: TestDatabase

  /** True once no statement of this file's sources is running on the server. */
  const serverQuiet = async (): Promise<boolean> => (await db.activity()).every((a) => a.state !== 'active')

  beforeAll(async () => {
    setLogLevel('silent')
    db = await openTestDatabase('pgcancel')
  })
  afterAll(async () => {
    await db?.dispose()
  })

  it('cancels a running pg_sleep on the server when aborted and reuses the connection', async () => {
    const source = db.source({ DB_POOL_SIZE: '2', DB_SLOW_MAX_CONCURRENT: '1' })
    const pid = (await source.all(sql`SELECT pg_backend_pid()`)).rows[0][0]
    const controller = new AbortController()
    const running = drain(source, sql`SELECT pg_sleep(30)`, controller.signal)
    expect(
      await eventually(async () =>
        (await db.activity()).some((a) => a.query.includes('pg_sleep(30)') && a.state === 'active'),
      ),
    ).toBe(true)
    const started = Date.now()
    controller.abort(new Error('job cancelled'))
    await expect(running).rejects.toThrow('job cancelled')
    expect(Date.now() - started).toBeLessThan(2000)
    expect(await eventually(serverQuiet, 2000)).toBe(true)
    expect(source.stats()).toMatchObject({ busy: 0, openCursors: 0, connections: 1 })
    expect((await source.all(sql`SELECT pg_backend_pid(), 1 + 1`)).rows).toEqual([[pid, 2]])
  })

  it('cancels a heavy generate_series aggregate on the server when aborted', async () => {
    const source = db.source()
    const controller = new AbortController()
    const running = drain(source, sql`SELECT count(*) FROM generate_series(1, 10000000000) g`, controller.signal)
    expect(
      await eventually(async () =>
        (await db.activity()).some((a) => a.query.includes('generate_series') && a.state === 'active'),
      ),
    ).toBe(true)
    controller.abort(new Error('stop'))
    await expect(running).rejects.toThrow('stop')
    expect(await eventually(serverQuiet, 2000)).toBe(true)
    expect((await source.all(sql`SELECT 'ok' AS s`)).rows).toEqual([['ok']])
  })

  it('fails a round trip that outlives DB_SLOW_CALL_TIMEOUT_MS with a timeout error and cancels it', async () => {
    const source = db.source({ DB_SLOW_CALL_TIMEOUT_MS: '500' })
    const started = Date.now()
    const error = await drain(source, sql`SELECT pg_sleep(20)`).then(
      () => undefined,
      (err: unknown) => err,
    )
    expect(error).toBeInstanceOf(SourceTimeoutError)
    expect((error as Error).message).toMatch(/DB_SLOW_CALL_TIMEOUT_MS \(500 ms\)/)
    expect(Date.now() - started).toBeLessThan(5000)
    expect(await eventually(serverQuiet, 2000)).toBe(true)
    expect((await source.all(sql`SELECT 1 AS one`)).rows).toEqual([[1]])
  })

  it('applies the timeout to each round trip, not to the whole stream', async () => {
    const source = db.source({ DB_SLOW_CALL_TIMEOUT_MS: '1500' })
    const started = Date.now()
    const sizes: number[] = []
    // Each batch takes ~0.3 s on the server and the consumer waits 0.4 s: together far over 1.5 s.
    for await (const batch of source.stream(sql`SELECT g, pg_sleep(0.1) FROM generate_series(1, 15) g`, {
      fetchSize: 3,
    })) {
      sizes.push(batch.rows.length)
      await new Promise((r) => setTimeout(r, 400))
    }
    expect(sizes).toEqual([3, 3, 3, 3, 3])
    expect(Date.now() - started).toBeGreaterThan(1500)
  })

  it('gives up waiting for a slot when aborted', async () => {
    const source = db.source({ DB_POOL_SIZE: '2', DB_SLOW_MAX_CONCURRENT: '1' })
    const holder = source.stream(sql`SELECT g FROM generate_series(1, 1000) g`, { fetchSize: 10 })
    await holder.next()
    const controller = new AbortController()
    const waiting = drain(source, sql`SELECT 1`, controller.signal)
    expect(await eventually(async () => source.stats().queued === 1)).toBe(true)
    controller.abort(new Error('gave up'))
    await expect(waiting).rejects.toThrow('gave up')
    expect(source.stats()).toMatchObject({ queued: 0, busy: 1 })
    await holder.return()
    expect(source.stats()).toMatchObject({ busy: 0, openCursors: 0 })
  })

  it('close() cancels running streams, ends every connection, and is safe twice', async () => {
    const applicationName = `${db.applicationName}-close`
    const source = db.source({ DB_POOL_SIZE: '3', DB_SLOW_MAX_CONCURRENT: '2' }, { applicationName })
    const running = drain(source, sql`SELECT pg_sleep(30)`).then(
      () => undefined,
      (err: unknown) => err,
    )
    const idle = source.stream(sql`SELECT g FROM generate_series(1, 1000) g`, { fetchSize: 10 })
    const first: IteratorResult<Batch> = await idle.next()
    expect(first.done).toBe(false)
    expect(
      await eventually(async () => (await db.activity(applicationName)).some((a) => a.query.includes('pg_sleep(30)'))),
    ).toBe(true)
    await Promise.all([source.close(), source.close()])
    expect(String(await running)).toMatch(/closed/)
    expect(await eventually(async () => (await db.activity(applicationName)).length === 0, 2000)).toBe(true)
    await expect(idle.next()).rejects.toThrow('closed')
    await expect(source.all(sql`SELECT 1`)).rejects.toThrow('closed')
    await expect(source.ping()).rejects.toThrow('closed')
    await source.close()
  })
})
