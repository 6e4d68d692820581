import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../../src/server/config.ts'
import { setLogLevel } from '../../../../src/server/logger.ts'
import type { Batch } from '../../../../src/server/source/mes-source.ts'
import { createOracleSource, type OracleSource } from '../../../../src/server/source/oracle/oracle-source.ts'
import { SourceTimeoutError } from '../../../../src/server/source/postgres/source-timeout-error.ts'
import { idsIn, sql, type SqlQuery } from '../../../../src/server/source/sql.ts'
import { oracleError, ScriptedDriver, TEST_SETTINGS, type Script } from './scripted-driver.ts'

const numbers = (n: number): unknown[][] => Array.from({ length: n }, (_, i) => [i + 1])
const Q = sql`SELECT N FROM T`

let driver: ScriptedDriver
let source: OracleSource

function open(script: Script, env: Record<string, string> = {}, cancelGraceMs = 200): OracleSource {
  driver = new ScriptedDriver(script)
  const config = loadConfig({ DB_POOL_SIZE: '3', DB_SLOW_MAX_CONCURRENT: '2', DB_SLOW_FETCHMANY_SIZE: '5', ...env })
  source = createOracleSource(config, { driver, settings: TEST_SETTINGS, cancelGraceMs })
  return source
}

async function collect(query: SqlQuery = Q, signal?: AbortSignal): Promise<Batch[]> {
  const batches: Batch[] = []
  for await (const batch of source.stream(query, { signal })) batches.push(batch)
  return batches
}

/** Lets pending driver calls and generator steps run. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5))

beforeAll(() => setLogLevel('silent'))
afterAll(() => setLogLevel('info'))
afterEach(async () => {
  await source.close()
  expect(driver.leaks()).toEqual([])
})

describe('oracle source: batches', () => {
  it('reads DB_SLOW_FETCHMANY_SIZE rows per getRows call and ends on a short batch', async () => {
    open(() => ({ rows: numbers(12) }))
    const batches = await collect()
    expect(batches.map((b) => b.rows.length)).toEqual([5, 5, 2])
    expect(batches.flatMap((b) => b.rows.map((r) => r[0]))).toEqual(numbers(12).map((r) => r[0]))
    expect(driver.calls.filter((c) => c.startsWith('getRows'))).toEqual(['getRows 5', 'getRows 5', 'getRows 5'])
    expect(driver.executed[0].options).toMatchObject({
      resultSet: true,
      outFormat: 4001,
      fetchArraySize: 5,
      prefetchRows: 5,
    })
    expect(driver.calls.slice(-2)).toEqual(['rs.close', 'release 1'])
  })

  it('ends without an empty batch when the rows fill the last batch exactly', async () => {
    open(() => ({ rows: numbers(10) }))
    expect((await collect()).map((b) => b.rows.length)).toEqual([5, 5])
  })

  it('yields one empty batch with the columns when nothing matches', async () => {
    open(() => ({ rows: [], columns: [{ name: 'CONTAINERID', dbType: driver.DB_TYPE_VARCHAR }] }))
    expect(await collect(sql`SELECT c.CONTAINERID FROM DW_MES_CONTAINER c`)).toEqual([
      { columns: ['CONTAINERID'], rows: [] },
    ])
  })

  it('reads at most one batch ahead of the consumer', async () => {
    open(() => ({ rows: numbers(30) }))
    const it = source.stream(Q)
    await it.next()
    await settle()
    // The batch handed over plus the one read ahead; nothing more until the consumer pulls.
    expect(driver.calls.filter((c) => c.startsWith('getRows'))).toHaveLength(2)
    await it.next()
    await settle()
    expect(driver.calls.filter((c) => c.startsWith('getRows'))).toHaveLength(3)
    await it.return(undefined)
  })

  it('respells the columns as the statement writes them', async () => {
    open(() => ({
      rows: [['a', 1]],
      columns: [
        { name: 'CID', dbType: driver.DB_TYPE_VARCHAR },
        { name: 'QTY', dbType: driver.DB_TYPE_VARCHAR },
      ],
    }))
    const batch = await source.all(sql`SELECT x.COLUMN_VALUE AS cid, c.QTY FROM T x`)
    expect(batch.columns).toEqual(['cid', 'QTY'])
  })

  it('sets the call timeout of every round trip to DB_SLOW_CALL_TIMEOUT_MS', async () => {
    open(() => ({ rows: numbers(1) }), { DB_SLOW_CALL_TIMEOUT_MS: '1234' })
    await collect()
    expect(driver.connections[0].callTimeout).toBe(1234)
  })
})

describe('oracle source: ids are bound', () => {
  it('binds each id of an IN list and never puts one into the SQL text', async () => {
    open(() => ({ rows: [] }))
    const ids = ['48810380001cba48', "o'brien", '1 OR 1=1']
    await source.all(
      sql`SELECT c.CONTAINERID FROM DW_MES_CONTAINER c WHERE c.CONTAINERID ${idsIn(ids)} AND c.QTY > ${3}`,
    )
    const [{ sql: text, binds }] = driver.executed
    expect(text).toBe('SELECT c.CONTAINERID FROM DW_MES_CONTAINER c WHERE c.CONTAINERID IN (:1, :2, :3) AND c.QTY > :4')
    expect(binds).toEqual([...ids, 3])
    for (const id of ids) expect(text).not.toContain(id)
  })

  it('keeps every IN list of a long CID batch at 1000 binds at most', async () => {
    open(() => ({ rows: [] }))
    const ids = Array.from({ length: 2500 }, (_, i) => i.toString(16).padStart(16, '0'))
    await source.all(sql`SELECT 1 FROM DW_MES_CONTAINER c WHERE c.CONTAINERID ${idsIn(ids)}`)
    const [{ sql: text, binds }] = driver.executed
    expect(binds).toEqual(ids)
    const lists = [...text.matchAll(/\(((?::\d+, )*:\d+)\)/g)].map((m) => m[1].split(', ').length)
    expect(lists).toEqual([1000, 1000, 500])
  })
})

describe('oracle source: closing the result set on every path', () => {
  it('closes the result set and returns the connection when the consumer breaks out', async () => {
    open(() => ({ rows: numbers(30), hangAt: 1 }))
    for await (const batch of source.stream(Q)) {
      expect(batch.rows).toHaveLength(5)
      break
    }
    // The batch read ahead was still running: it is broken, then the result set is closed.
    expect(driver.calls.slice(-3)).toEqual(['break', 'rs.close', 'release 1'])
  })

  it('closes the result set when the consumer throws', async () => {
    open(() => ({ rows: numbers(30) }))
    await expect(
      (async () => {
        for await (const _batch of source.stream(Q)) throw new Error('consumer failed')
      })(),
    ).rejects.toThrow('consumer failed')
    expect(driver.calls).toContain('rs.close')
    expect(driver.calls.at(-1)).toBe('release 1')
  })

  it('passes a statement error through and returns the connection, which is still healthy', async () => {
    open(() => ({ executeError: oracleError('ORA-00942', 'table or view does not exist') }))
    await expect(collect()).rejects.toThrow('ORA-00942')
    expect(driver.calls.at(-1)).toBe('release 1')
  })

  it('closes the result set after a fetch fails on the server', async () => {
    open(() => ({ rows: numbers(30), fetchError: { at: 1, error: oracleError('ORA-01555', 'snapshot too old') } }))
    await expect(collect()).rejects.toThrow('ORA-01555')
    expect(driver.calls.slice(-2)).toEqual(['rs.close', 'release 1'])
  })

  it('drops a connection that was lost mid-stream, and the next statement gets a new one', async () => {
    let first = true
    open(() => {
      const script = first
        ? { rows: numbers(30), fetchError: { at: 1, error: oracleError('NJS-500', 'connection was closed') } }
        : { rows: numbers(2) }
      first = false
      return script
    })
    await expect(collect()).rejects.toThrow('NJS-500')
    expect(driver.calls.at(-1)).toBe('drop 1')
    expect((await source.all(Q)).rows).toHaveLength(2)
    expect(driver.calls.at(-1)).toBe('release 2')
  })

  it('drops a connection the driver no longer reports healthy', async () => {
    open(() => ({ rows: numbers(2) }))
    const it = source.stream(Q)
    await it.next()
    driver.connections[0].healthy = false
    await it.return(undefined)
    expect(driver.calls.at(-1)).toBe('drop 1')
  })

  it('turns a round trip over DB_SLOW_CALL_TIMEOUT_MS (NJS-123) into SourceTimeoutError and a drop', async () => {
    open(
      () => ({
        rows: numbers(30),
        fetchError: { at: 0, error: oracleError('NJS-123', 'call timeout of 50 ms exceeded') },
      }),
      {
        DB_SLOW_CALL_TIMEOUT_MS: '50',
      },
    )
    const err = await collect().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SourceTimeoutError)
    expect(driver.calls.slice(-2)).toEqual(['rs.close', 'drop 1'])
  })
})

describe('oracle source: cancelling', () => {
  it('breaks the running fetch on abort, closes the result set and returns the healthy connection', async () => {
    open(() => ({ rows: numbers(30), hangAt: 0 }))
    const controller = new AbortController()
    const reason = new Error('job cancelled')
    const done = collect(Q, controller.signal).catch((e: unknown) => e)
    await settle()
    controller.abort(reason)
    expect(await done).toBe(reason)
    expect(driver.calls.slice(-3)).toEqual(['break', 'rs.close', 'release 1'])
    expect(source.stats()).toMatchObject({ busy: 0, openCursors: 0 })
  })

  it('breaks the batch read ahead when the signal aborts while the consumer holds a batch', async () => {
    open(() => ({ rows: numbers(30), hangAt: 1 }))
    const controller = new AbortController()
    const it = source.stream(Q, { signal: controller.signal })
    await it.next()
    await settle()
    controller.abort(new Error('stop'))
    await expect(it.next()).rejects.toThrow('stop')
    expect(driver.calls.slice(-3)).toEqual(['break', 'rs.close', 'release 1'])
  })

  it('gives up on a call that ignores its break, dropping its connection once the call ends', async () => {
    open(() => ({ rows: numbers(30), hangAt: 0, ignoreBreak: true }), {}, 50)
    const controller = new AbortController()
    const done = collect(Q, controller.signal).catch((e: unknown) => e)
    await settle()
    const t0 = performance.now()
    controller.abort(new Error('stop'))
    expect(await done).toEqual(new Error('stop'))
    expect(performance.now() - t0).toBeLessThan(1000)
    expect(driver.calls).not.toContain('release 1')
    driver.connections[0].hanging?.resolve()
    await settle()
    expect(driver.calls.slice(-2)).toEqual(['rs.close', 'drop 1'])
  })

  it('drops the connection when a broken call completes anyway, since the break may still be pending', async () => {
    open(() => ({ rows: numbers(30), hangAt: 0, ignoreBreak: true }), {}, 200)
    const controller = new AbortController()
    const done = collect(Q, controller.signal).catch((e: unknown) => e)
    await settle()
    controller.abort(new Error('stop'))
    await settle()
    driver.connections[0].hanging?.resolve()
    await done
    expect(driver.calls.slice(-2)).toEqual(['rs.close', 'drop 1'])
  })

  it('stops waiting for a connection when the signal aborts, and returns the connection that came late', async () => {
    open(() => ({ rows: numbers(1) }))
    driver.holdConnections = true
    const controller = new AbortController()
    const done = collect(Q, controller.signal).catch((e: unknown) => e)
    await settle()
    expect(source.stats().queued).toBe(1)
    controller.abort(new Error('gone'))
    expect(await done).toEqual(new Error('gone'))
    driver.grantConnections()
    await settle()
    expect(driver.calls).not.toContain('execute SELECT N FROM T')
    expect(driver.calls.at(-1)).toBe('release 1')
  })

  it('runs at most DB_SLOW_MAX_CONCURRENT streams at once; all() still finds a connection', async () => {
    open((text) => (text.includes('DUAL') ? { rows: [[1]] } : { rows: numbers(30), hangAt: 1 }))
    const streams = [source.stream(Q), source.stream(Q), source.stream(Q)]
    await Promise.all(streams.slice(0, 2).map((s) => s.next()))
    const third = streams[2].next()
    await settle()
    expect(source.stats()).toMatchObject({ connections: 2, busy: 2, queued: 1, openCursors: 2 })
    expect((await source.all(sql`SELECT 1 FROM DUAL`)).rows).toEqual([[1]])
    await streams[0].return(undefined)
    expect((await third).value?.rows).toHaveLength(5)
    await streams[1].return(undefined)
    await streams[2].return(undefined)
  })

  it('close() breaks open streams, closes the pool and is safe twice', async () => {
    open(() => ({ rows: numbers(30), hangAt: 1 }))
    const it = source.stream(Q)
    await it.next()
    const pending = it.next().catch((e: unknown) => e)
    await Promise.all([source.close(), source.close()])
    expect(await pending).toEqual(new Error('MES source is closed'))
    expect(driver.calls).toContain('break')
    expect(driver.calls).toContain('rs.close')
    expect(driver.pools[0].closedWith).toBe(1)
    await expect(source.all(Q)).rejects.toThrow('MES source is closed')
  })
})

describe('oracle source: sessions and ping', () => {
  it('sizes the pool like the PostgreSQL one and sets each new session up once', async () => {
    open(() => ({ rows: numbers(1) }))
    await source.all(Q)
    await source.all(Q)
    const { options } = driver.pools[0]
    expect(options).toMatchObject({
      poolMin: 0,
      poolPingInterval: 10,
      expireTime: 1,
      poolMax: 3,
      queueTimeout: 0,
      user: 'MES_TRACE',
      connectString: 'dwh.test:1521/DWH',
    })
    expect(driver.calls.filter((c) => c.startsWith('execute ALTER SESSION'))).toEqual([
      'execute ALTER SESSION SET CURRENT_SCHEMA = DWH',
      `execute ALTER SESSION SET NLS_DATE_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS'`,
      `execute ALTER SESSION SET NLS_TIMESTAMP_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS'`,
    ])
  })

  it('pings on a connection of its own, with a deadline, and closes it', async () => {
    open(() => ({ rows: [] }))
    await source.ping()
    expect(driver.calls).toEqual(['connect dwh.test:1521/DWH', 'ping', 'drop 1'])
    expect(driver.connections[0].callTimeout).toBe(5000)
    expect(driver.pools).toHaveLength(0)
  })

  it('reports a ping failure with the driver error', async () => {
    open(() => ({ rows: [] }))
    driver.connectError = oracleError('NJS-503', 'connection to host dwh.test port 1521 could not be established')
    await expect(source.ping()).rejects.toThrow(/^NJS-503/)
  })
})
