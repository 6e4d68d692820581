/**
 * The Node server's own limits (HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS), what a client dropping
 * mid-upload leaves in the log, and the refusal to listen beyond loopback without authentication.
 */
import { connect, type Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadConfig } from '../../../src/server/config.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { startServer, type RunningServer } from '../../../src/server/serve.ts'
import { createSqliteSource, type SqliteSource } from '../../../src/server/source/sqlite/sqlite-source.ts'
import { createFixtureDb, removeFixtureDb } from '../../helpers/fixture-db.ts'
import { eventually } from '../routes/route-harness.ts'
import { ROWS } from '../routes/trace-fixture.ts'

let path: string
let source: SqliteSource
let server: RunningServer
const env = { DB_POOL_SIZE: '1', HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '1500' }

beforeAll(async () => {
  setLogLevel('silent')
  path = createFixtureDb(ROWS)
  const config = loadConfig(env)
  source = createSqliteSource(path, config)
  server = await startServer({ config, source, port: 0, host: '127.0.0.1', staticRoot: `${path}.no-client` })
})

afterAll(async () => {
  await server.close()
  await source.close()
  removeFixtureDb(path)
})

afterEach(() => {
  vi.restoreAllMocks()
  setLogLevel('silent')
})

/** A raw connection that records what the server sent and when it closed. */
async function rawClient(): Promise<{ socket: Socket; received: () => string; closedAfter: Promise<number> }> {
  const socket = connect(server.port, '127.0.0.1')
  await new Promise((r) => socket.once('connect', r))
  const opened = Date.now()
  let text = ''
  socket.on('data', (d) => (text += d.toString()))
  socket.on('error', () => {})
  const closedAfter = new Promise<number>((r) => socket.once('close', () => r(Date.now() - opened)))
  return { socket, received: () => text, closedAfter }
}

const HEAD = 'POST /api/trace/seed-resolve HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'

describe('slow clients', () => {
  it('answers 408 and closes a connection whose body stays shorter than its Content-Length', async () => {
    const c = await rawClient()
    c.socket.write(`${HEAD}Content-Length: 1000\r\n\r\n{"profile":`)
    const ms = await Promise.race([c.closedAfter, new Promise<number>((r) => setTimeout(() => r(Infinity), 8000))])
    c.socket.destroy()
    expect(ms).toBeLessThan(5000)
    expect(c.received()).toMatch(/^HTTP\/1\.1 408/)
  }, 15_000)

  it('closes a connection that never finishes its headers', async () => {
    const c = await rawClient()
    c.socket.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ')
    const ms = await Promise.race([c.closedAfter, new Promise<number>((r) => setTimeout(() => r(Infinity), 8000))])
    c.socket.destroy()
    expect(ms).toBeLessThan(5000)
  }, 15_000)

  it('logs a client dropping mid-upload as one info line without a stack', async () => {
    setLogLevel('info')
    const lines: string[] = []
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk))
      return true
    })
    const c = await rawClient()
    c.socket.write(`${HEAD}Content-Length: 1000\r\n\r\n{"profile":`)
    await new Promise((r) => setTimeout(r, 200))
    c.socket.destroy()
    await eventually(() => lines.some((l) => l.includes('/api/trace/seed-resolve')))
    await new Promise((r) => setTimeout(r, 200))
    const about = lines.filter((l) => l.includes('/api/trace/seed-resolve'))
    expect(about).toHaveLength(1)
    expect(JSON.parse(about[0])).toMatchObject({ level: 'info', path: '/api/trace/seed-resolve' })
    expect(about[0]).not.toMatch(/stack|\bat /)
  })
})

describe('listening beyond loopback', () => {
  it('refuses to listen on 0.0.0.0 without authentication, naming the variables to set', async () => {
    const config = loadConfig({ ...env, HOST: '0.0.0.0' })
    await expect(startServer({ config, source, port: 0 })).rejects.toThrow(
      /AUTH_PROXY_USER_HEADER.*AUTH_TOKENS.*ALLOW_UNAUTHENTICATED_REMOTE/,
    )
  })

  it('listens on 0.0.0.0 when told so explicitly, or with authentication configured', async () => {
    const token = 'ops:' + 'k'.repeat(32)
    for (const extra of [{ ALLOW_UNAUTHENTICATED_REMOTE: 'true' }, { AUTH_TOKENS: token }]) {
      const config = loadConfig({ ...env, HOST: '0.0.0.0', ...extra })
      const s = await startServer({ config, source, port: 0 })
      await s.close()
    }
  })

  it('listens on loopback without authentication, as before', async () => {
    for (const host of ['127.0.0.1', '::1', 'localhost']) {
      const s = await startServer({ config: loadConfig(env), source, port: 0, host })
      await s.close()
    }
  })
})
