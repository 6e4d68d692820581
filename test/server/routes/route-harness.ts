/**
 * The real app around a real SQLite fixture (through the real adapter), plus readers for its responses.
 *
 *   const h = openHarness(ROWS, { TRACE_EVENTS_CID_LIMIT: '2' })
 *   const res = await h.post('/api/trace/events', { profile: 'query_tool', container_ids: [...] })
 *   await h.close()
 */
import Database from 'better-sqlite3'
import type { Hono } from 'hono'
import { expect } from 'vitest'
import { isErrorEnvelope, type ErrorCode } from '../../../src/shared/errors.ts'
import { createApp } from '../../../src/server/app.ts'
import { loadConfig, type Config } from '../../../src/server/config.ts'
import type { JobService } from '../../../src/server/jobs/job-service.ts'
import type { MesSource } from '../../../src/server/source/mes-source.ts'
import { createSqliteSource, type SqliteSource } from '../../../src/server/source/sqlite/sqlite-source.ts'
import { createFixtureDb, removeFixtureDb, type FixtureRows } from '../../helpers/fixture-db.ts'

export interface HarnessOptions {
  /** Tables dropped after the fixture is built, so queries on them fail for real. */
  readonly dropTables?: readonly string[]
  /** Wraps the real source (e.g. to slow it down or fail a batch). */
  readonly wrapSource?: (source: SqliteSource) => MesSource
  readonly jobs?: JobService
  /** Static root for the client (default: a folder that does not exist). */
  readonly staticRoot?: string
}

export interface Harness {
  readonly app: Hono
  readonly config: Config
  readonly source: SqliteSource
  /** POSTs `body` as JSON (a string is sent as is); `client` sets the socket address the server sees. */
  post(path: string, body: unknown, init?: { client?: string; headers?: Record<string, string> }): Promise<Response>
  close(): Promise<void>
}

/** Opens the fixture and builds the app; `env` overrides configuration (DB_POOL_SIZE defaults to 2). */
export function openHarness(
  rows: FixtureRows,
  env: Record<string, string> = {},
  options: HarnessOptions = {},
): Harness {
  const path = createFixtureDb(rows)
  if (options.dropTables?.length) {
    const db = new Database(path)
    for (const t of options.dropTables) db.exec(`DROP TABLE ${t}`)
    db.close()
  }
  const config = loadConfig({ DB_POOL_SIZE: '2', ...env })
  const source = createSqliteSource(path, config)
  const app = createApp({
    config,
    source: options.wrapSource ? options.wrapSource(source) : source,
    jobs: options.jobs,
    staticRoot: options.staticRoot ?? `${path}.no-client`,
  })
  let closed = false
  return {
    app,
    config,
    source,
    async post(p, body, init = {}) {
      return app.request(
        p,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...init.headers },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        },
        { incoming: { socket: { remoteAddress: init.client ?? '10.0.0.1' } } },
      )
    },
    async close() {
      if (closed) return
      closed = true
      await source.close()
      removeFixtureDb(path)
    },
  }
}

/** Reads a (possibly streamed) body to the end and parses it as JSON. */
export async function readJson(res: Response): Promise<unknown> {
  return JSON.parse(await res.text())
}

/** Asserts the one error envelope with `status` and `code`, and that no stack trace leaked; returns `error`. */
export async function expectError(res: Response, status: number, code: ErrorCode): Promise<Record<string, unknown>> {
  const text = await res.text()
  expect({ status: res.status, text }).toMatchObject({ status })
  expect(text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|stack/)
  const body: unknown = JSON.parse(text)
  expect(isErrorEnvelope(body)).toBe(true)
  const env = body as { error: Record<string, unknown>; meta: { timestamp: string } }
  expect(env.error.code).toBe(code)
  expect(typeof env.error.message).toBe('string')
  expect(Number.isNaN(Date.parse(env.meta.timestamp))).toBe(false)
  return env.error
}

/** Polls `check` until it holds or `ms` pass (for cleanup that completes after a response ended). */
export async function eventually(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}
