import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setLogLevel } from '../../../../src/server/logger.ts'
import { sql } from '../../../../src/server/source/sql.ts'
import { requirePostgres } from '../../../helpers/services.ts'
import { eventually, openTestDatabase, type TestDatabase } from './pg-test-support.ts'

const skip = await requirePostgres()
const rowsQuery = sql`SELECT g FROM generate_series(1, 1000) g`

describe.skipIf(skip)('postgres source: pool and slow-query limits', () => {
  let db: TestDatabase

  beforeAll(async () => {
    setLogLevel('silent')
    db = await openTestDatabase('pglimits')
  })
  afterAll(async () => {
    await db?.dispose()
  })

  it('runs at most DB_SLOW_MAX_CONCURRENT streams at once; the next waits for a slot', async () => {
    const source = db.source(
      { DB_POOL_SIZE: '4', DB_SLOW_MAX_CONCURRENT: '2' },
      { applicationName: `${db.applicationName}-slots` },
    )
    const a = source.stream(rowsQuery, { fetchSize: 10 })
    const b = source.stream(rowsQuery, { fetchSize: 10 })
    await Promise.all([a.next(), b.next()])
    const c = source.stream(rowsQuery, { fetchSize: 10 })
    let cStarted = false
    const cFirst = c.next().then((r) => {
      cStarted = true
      return r
    })
    expect(await eventually(async () => source.stats().queued === 1)).toBe(true)
    await new Promise((r) => setTimeout(r, 200))
    expect(cStarted).toBe(false)
    expect(source.stats()).toMatchObject({ busy: 2, openCursors: 2 })
    // all() is not a slow trace stream: it only needs a connection, and two are still free.
    expect((await source.all(sql`SELECT 'free' AS s`)).rows).toEqual([['free']])
    await a.return()
    expect((await cFirst).done).toBe(false)
    expect(source.stats()).toMatchObject({ busy: 2, openCursors: 2, queued: 0 })
    await Promise.all([b.return(), c.return()])
    expect(source.stats()).toMatchObject({ busy: 0, openCursors: 0 })
  })

  it('never opens more than DB_POOL_SIZE connections, however many statements are waiting', async () => {
    const applicationName = `${db.applicationName}-pool`
    const source = db.source({ DB_POOL_SIZE: '2', DB_SLOW_MAX_CONCURRENT: '1' }, { applicationName })
    let peak = 0
    let done = false
    const watcher = (async () => {
      while (!done) {
        peak = Math.max(peak, (await db.activity(applicationName)).length)
        await new Promise((r) => setTimeout(r, 20))
      }
    })()
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => source.all(sql`SELECT ${i}::int AS i, pg_sleep(0.2)`)),
    )
    done = true
    await watcher
    expect(results.map((r) => r.rows[0][0])).toEqual([0, 1, 2, 3, 4, 5])
    expect(peak).toBeGreaterThan(0)
    expect(peak).toBeLessThanOrEqual(2)
    expect(source.stats().connections).toBeLessThanOrEqual(2)
  })

  it('makes all() wait for a connection while streams hold the whole pool', async () => {
    const source = db.source(
      { DB_POOL_SIZE: '2', DB_SLOW_MAX_CONCURRENT: '2' },
      { applicationName: `${db.applicationName}-full` },
    )
    const a = source.stream(rowsQuery, { fetchSize: 10 })
    const b = source.stream(rowsQuery, { fetchSize: 10 })
    await Promise.all([a.next(), b.next()])
    let answered = false
    const waiting = source.all(sql`SELECT 1 AS one`).then((r) => {
      answered = true
      return r
    })
    expect(await eventually(async () => source.stats().queued === 1)).toBe(true)
    expect(answered).toBe(false)
    await b.return()
    expect((await waiting).rows).toEqual([[1]])
    await a.return()
    expect(source.stats()).toMatchObject({ connections: 2, busy: 0, queued: 0 })
  })
})
