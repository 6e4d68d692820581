import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setLogLevel } from '../../../../src/server/logger.ts'
import { compilePostgres } from '../../../../src/server/source/postgres/compile-postgres.ts'
import { PortalReader } from '../../../../src/server/source/postgres/portal-reader.ts'
import {
  createPool,
  lease,
  withOneOffClient,
  type PoolSettings,
} from '../../../../src/server/source/postgres/postgres-pool.ts'
import { sql } from '../../../../src/server/source/sql.ts'
import { requirePostgres, TEST_POSTGRES_URL } from '../../../helpers/services.ts'
import { eventually, openTestDatabase, type TestDatabase } from './pg-test-support.ts'

const skip = await requirePostgres()

describe.skipIf(skip)('PortalReader', () => {
  let db: TestDatabase
  let settings: PoolSettings

  beforeAll(async () => {
    setLogLevel('silent')
    db = await openTestDatabase('pgportal')
    settings = { url: TEST_POSTGRES_URL, size: 1, applicationName: `${db.applicationName}-portal`, schema: db.schema }
  })
  afterAll(async () => {
    await db?.dispose()
  })

  it('terminates the backend of a statement whose cancel requests have no effect', async () => {
    const pool = createPool(settings)
    const controller = new AbortController()
    const leased = await lease(pool, controller.signal)
    const pid = (leased.client as unknown as { processID: number }).processID
    // A wrong key makes the postmaster ignore every cancel request, as a statement stuck past its cancel would.
    ;(leased.client as unknown as { secretKey: number }).secretKey ^= 0x5a5a5a5a
    const terminated: number[] = []
    const reader = new PortalReader(leased.client, compilePostgres(sql`SELECT pg_sleep(30)`), {
      timeoutMs: 60_000,
      signal: controller.signal,
      graceMs: 500,
      terminate: async (target) => {
        terminated.push(target)
        await withOneOffClient(settings, (c) => c.query('SELECT pg_terminate_backend($1)', [target]))
      },
    })
    const reading = reader.read(10)
    expect(
      await eventually(async () => (await db.activity(settings.applicationName)).some((a) => a.state === 'active')),
    ).toBe(true)
    controller.abort(new Error('stop now'))
    await expect(reading).rejects.toThrow('stop now')
    expect(terminated).toEqual([pid])
    expect(await reader.close()).toBe(false)
    leased.release(false)
    expect(await eventually(async () => (await db.activity(settings.applicationName)).length === 0)).toBe(true)
    await pool.end()
  })

  it('closes an open portal and keeps the connection usable', async () => {
    const pool = createPool(settings)
    const leased = await lease(pool, new AbortController().signal)
    const reader = new PortalReader(leased.client, compilePostgres(sql`SELECT g FROM generate_series(1, 100) g`), {
      timeoutMs: 5000,
      signal: new AbortController().signal,
      graceMs: 1000,
      terminate: async () => {},
    })
    expect(await reader.read(10)).toHaveLength(10)
    expect(reader.columns).toEqual(['g'])
    expect(reader.exhausted).toBe(false)
    expect(await reader.close()).toBe(true)
    expect((await leased.client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }])
    leased.release(true)
    await pool.end()
  })
})
