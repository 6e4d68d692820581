import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setLogLevel } from '../../../src/server/logger.ts'
import { startServer, type RunningServer } from '../../../src/server/serve.ts'
import { createSqliteSource, type SqliteSource } from '../../../src/server/source/sqlite/sqlite-source.ts'
import { loadConfig } from '../../../src/server/config.ts'
import { createFixtureDb, removeFixtureDb } from '../../helpers/fixture-db.ts'
import { eventually } from '../routes/route-harness.ts'
import { bulkRows } from '../routes/trace-fixture.ts'

// About 5 MB of history: more than loopback socket buffers absorb, so the server is still writing when the client leaves.
const { rows, cids } = bulkRows(400, 50)
let path: string
let source: SqliteSource
let server: RunningServer

beforeAll(async () => {
  setLogLevel('silent')
  path = createFixtureDb(rows)
  const config = loadConfig({ DB_POOL_SIZE: '2', DB_SLOW_FETCHMANY_SIZE: '50', TRACE_IN_BATCH_SIZE: '10' })
  source = createSqliteSource(path, config)
  server = await startServer({ config, source, port: 0, host: '127.0.0.1', staticRoot: `${path}.no-client` })
})

afterAll(async () => {
  await server.close()
  await source.close()
  removeFixtureDb(path)
})

/** Opens the events stream over a raw socket and resolves once its first body bytes arrived. */
function openEventsStream(): Promise<{ destroy: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/api/trace/events`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        res.once('data', () => {
          res.pause()
          resolve({ destroy: () => req.destroy() })
        })
        res.once('error', () => {})
      },
    )
    req.once('error', (err) => (req.destroyed ? undefined : reject(err)))
    req.end(JSON.stringify({ profile: 'query_tool', container_ids: cids, domains: ['history'] }))
  })
}

describe('startServer', () => {
  it('listens on a free port and serves the API', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(await (await fetch(`${server.url}/api/health`)).json()).toMatchObject({ database: { dialect: 'sqlite' } })
  })

  it('closes the database cursor when the client drops the connection mid-stream', async () => {
    const stream = await openEventsStream()
    expect(source.stats().busy).toBeGreaterThan(0)
    stream.destroy()
    await eventually(() => source.stats().busy === 0 && source.stats().openCursors === 0)
  })
})
