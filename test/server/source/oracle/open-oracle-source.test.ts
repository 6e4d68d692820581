import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HealthResponse } from '../../../../src/shared/responses.ts'
import { createApp } from '../../../../src/server/app.ts'
import { loadConfig } from '../../../../src/server/config.ts'
import { setLogLevel } from '../../../../src/server/logger.ts'
import { openSource, usesDemoDatabase } from '../../../../src/server/source/open-source.ts'
import { openOracleSource } from '../../../../src/server/source/oracle/open-oracle-source.ts'
import { loadOracleDriver } from '../../../../src/server/source/oracle/oracle-driver.ts'
import { createOracleSource } from '../../../../src/server/source/oracle/oracle-source.ts'
import { sql } from '../../../../src/server/source/sql.ts'
import { oracleError, ScriptedDriver, TEST_SETTINGS } from './scripted-driver.ts'

const ORACLE_ENV = {
  MES_ORACLE_URL: 'dwh.test:1521/DWH',
  MES_ORACLE_USER: 'MES_TRACE',
  MES_ORACLE_PASSWORD: 'not-this-one',
}

/** A TCP port nothing listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

beforeAll(() => setLogLevel('silent'))
afterAll(() => setLogLevel('info'))

describe('choosing the Oracle source', () => {
  it('is chosen by MES_ORACLE_URL, which also turns the demo database off', () => {
    expect(usesDemoDatabase(loadConfig(ORACLE_ENV))).toBe(false)
    expect(usesDemoDatabase(loadConfig({}))).toBe(true)
    expect(loadConfig({}).MES_SCHEMA).toBe('DWH')
  })

  it('names the variable that is missing', async () => {
    await expect(openSource(loadConfig({ MES_ORACLE_URL: 'dwh.test:1521/DWH', MES_ORACLE_USER: 'u' }))).rejects.toThrow(
      'MES_ORACLE_URL is set but MES_ORACLE_PASSWORD is not',
    )
    await expect(openSource(loadConfig({ ...ORACLE_ENV, MES_SCHEMA: 'dwh; drop' }))).rejects.toThrow(
      /^MES_SCHEMA must be/,
    )
  })

  it('refuses MES_ORACLE_URL and MES_DATABASE_URL together', async () => {
    await expect(
      openSource(loadConfig({ ...ORACLE_ENV, MES_DATABASE_URL: 'postgres://x@127.0.0.1/db' })),
    ).rejects.toThrow(/not both/)
  })
})

describe('starting against the warehouse', () => {
  it('stops at an unreachable listener naming MES_ORACLE_URL and NJS-503 (real driver, Thin mode)', async () => {
    const port = await deadPort()
    const err = await openSource(loadConfig({ ...ORACLE_ENV, MES_ORACLE_URL: `127.0.0.1:${port}/DWH` })).catch(
      (e: unknown) => e,
    )
    expect(String(err)).toMatch(
      new RegExp(
        `cannot connect to the Oracle warehouse at MES_ORACLE_URL=127\\.0\\.0\\.1:${port}/DWH ` +
          '.*check MES_ORACLE_URL: NJS-503',
      ),
    )
    expect(String(err)).not.toContain('not-this-one')
  })

  it('builds a pool the real driver accepts; a statement that cannot connect fails with NJS-503', async () => {
    const port = await deadPort()
    const source = createOracleSource(loadConfig({ ...ORACLE_ENV, MES_ORACLE_URL: `127.0.0.1:${port}/DWH` }))
    try {
      await expect(source.all(sql`SELECT 1 FROM DUAL`)).rejects.toThrow(/^NJS-503/)
      expect(source.stats()).toEqual({ connections: 0, busy: 0, queued: 0, openCursors: 0 })
    } finally {
      await source.close()
    }
  })

  it('stops at a wrong password with MES_ORACLE_PASSWORD and ORA-01017, without printing the password', async () => {
    const driver = new ScriptedDriver()
    driver.connectError = oracleError('ORA-01017', 'invalid credential or not authorized; logon denied')
    const err = await openOracleSource(loadConfig(ORACLE_ENV), { driver }).catch((e: unknown) => e)
    expect(String(err)).toContain('check MES_ORACLE_USER / MES_ORACLE_PASSWORD: ORA-01017: invalid credential')
    expect(String(err)).not.toContain('not-this-one')
  })

  it('stops when a table is missing or not granted, naming MES_SCHEMA and the table', async () => {
    const driver = new ScriptedDriver((text) =>
      text.includes('DW_MES_JOB')
        ? { executeError: oracleError('ORA-00942', 'table or view does not exist') }
        : { rows: [] },
    )
    const err = await openOracleSource(loadConfig(ORACLE_ENV), { driver }).catch((e: unknown) => e)
    expect(String(err)).toContain('cannot read DW_MES_JOB in the Oracle warehouse')
    expect(String(err)).toContain('check MES_SCHEMA (and the SELECT grants on its DW_MES_* tables): ORA-00942')
    expect(driver.leaks()).toEqual([])
    expect(driver.pools[0].closedWith).toBeDefined()
  })

  it('opens once it has logged in and read each of the seven tables', async () => {
    const driver = new ScriptedDriver()
    const source = await openOracleSource(loadConfig(ORACLE_ENV), { driver })
    try {
      expect(source.dialect).toBe('oracle')
      expect(driver.calls.filter((c) => c.startsWith('execute SELECT 1 FROM'))).toHaveLength(7)
    } finally {
      await source.close()
    }
  })
})

describe('GET /api/health with the Oracle source', () => {
  async function health(source: ReturnType<typeof createOracleSource>): Promise<HealthResponse> {
    // Asked from loopback, the admin without authentication: only an admin sees the probe's error text.
    const res = await createApp({ config: loadConfig(ORACLE_ENV), source }).request(
      '/api/health',
      {},
      {
        incoming: { socket: { remoteAddress: '127.0.0.1' } },
      },
    )
    return (await res.json()) as HealthResponse
  }

  it('reports the warehouse reachable when the ping answers', async () => {
    const source = createOracleSource(loadConfig(ORACLE_ENV), { driver: new ScriptedDriver(), settings: TEST_SETTINGS })
    try {
      expect((await health(source)).database).toMatchObject({ dialect: 'oracle', reachable: true, error: null })
    } finally {
      await source.close()
    }
  })

  it('reports the driver error when the listener is down (real driver)', async () => {
    const port = await deadPort()
    const source = createOracleSource(loadConfig({ ...ORACLE_ENV, MES_ORACLE_URL: `127.0.0.1:${port}/DWH` }))
    try {
      const { database, status } = await health(source)
      expect(status).toBe('degraded')
      expect(database).toMatchObject({ dialect: 'oracle', reachable: false, latency_ms: null })
      expect(database.error).toMatch(/^NJS-503/)
      // Thin mode: pure JavaScript, no Oracle Client libraries loaded.
      expect((await loadOracleDriver()) as unknown as { thin: boolean }).toMatchObject({ thin: true })
    } finally {
      await source.close()
    }
  })
})
