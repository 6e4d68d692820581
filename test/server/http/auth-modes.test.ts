/**
 * The three ways a server knows who asks, end to end on a real server with the embedded job system:
 * a trusted reverse proxy's user header, bearer tokens for scripts, and none (anonymous on loopback).
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isErrorEnvelope } from '../../../src/shared/errors.ts'
import type { HealthResponse, JobAccepted, JobStatusResponse } from '../../../src/shared/responses.ts'
import { startServer, type RunningServer } from '../../../src/server/serve.ts'
import { startJobHarness, wholeTraceBody, type JobHarness } from '../jobs/job-harness.ts'

interface Mode {
  readonly h: JobHarness
  readonly server: RunningServer
  call(
    path: string,
    init?: { method?: string; headers?: Record<string, string>; body?: unknown },
  ): Promise<{ status: number; body: unknown }>
  close(): Promise<void>
}

async function startMode(env: Record<string, string>): Promise<Mode> {
  const h = await startJobHarness({ lots: 2, historyPerLot: 1, env })
  const server = await startServer({
    config: h.config,
    source: h.source,
    jobs: h.jobs,
    port: 0,
    host: '127.0.0.1',
    staticRoot: join(h.dir, 'none'),
  })
  return {
    h,
    server,
    async call(path, init = {}) {
      const hasBody = init.body !== undefined
      const res = await fetch(server.url + path, {
        method: init.method ?? (hasBody ? 'POST' : 'GET'),
        headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...init.headers },
        body: hasBody ? JSON.stringify(init.body) : undefined,
      })
      return { status: res.status, body: await res.json() }
    },
    async close() {
      await server.close()
      await h.close()
    },
  }
}

const codeOf = (body: unknown): string | undefined => (isErrorEnvelope(body) ? body.error.code : undefined)

describe('auth mode: trusted reverse-proxy header', () => {
  let m: Mode
  const as = (user: string) => ({ 'x-remote-user': user })
  beforeAll(async () => {
    m = await startMode({
      AUTH_PROXY_USER_HEADER: 'X-Remote-User',
      AUTH_TRUSTED_PROXIES: '127.0.0.1/8',
      AUTH_ADMIN_USERS: 'root',
    })
  }, 120_000)
  afterAll(() => m?.close())

  it('answers 401 UNAUTHORIZED to a request without the user header', async () => {
    const r = await m.call('/api/trace/jobs', { body: wholeTraceBody() })
    expect(r.status).toBe(401)
    expect(codeOf(r.body)).toBe('UNAUTHORIZED')
  })

  it('records the submitting user as the owner; any signed-in user reads the job by its link', async () => {
    const submitted = await m.call('/api/trace/jobs', { body: wholeTraceBody(), headers: as('alice') })
    expect(submitted.status).toBe(202)
    const { job_id } = submitted.body as JobAccepted
    const read = await m.call(`/api/trace/job/${job_id}`, { headers: as('bob') })
    expect(read.status).toBe(200)
    expect((read.body as JobStatusResponse).owner).toBe('alice')
  })

  it('lets only the owner (or an admin) cancel: 403 FORBIDDEN for another user', async () => {
    const { job_id } = (await m.call('/api/trace/jobs', { body: wholeTraceBody(), headers: as('alice') }))
      .body as JobAccepted
    const byBob = await m.call(`/api/trace/job/${job_id}`, { method: 'DELETE', headers: as('bob') })
    expect(byBob.status).toBe(403)
    expect(codeOf(byBob.body)).toBe('FORBIDDEN')
    expect((await m.call(`/api/trace/job/${job_id}`, { method: 'DELETE', headers: as('alice') })).status).toBe(200)
    const other = (await m.call('/api/trace/jobs', { body: wholeTraceBody(), headers: as('alice') }))
      .body as JobAccepted
    expect((await m.call(`/api/trace/job/${other.job_id}`, { method: 'DELETE', headers: as('root') })).status).toBe(200)
  })

  it('shows the health details to an admin only; the verdict stays open to a load balancer', async () => {
    const admin = await m.call('/api/health', { headers: as('root') })
    expect((admin.body as HealthResponse).process?.pid).toBe(process.pid)
    const user = await m.call('/api/health', { headers: as('alice') })
    expect(user.body).not.toHaveProperty('process')
    const anonymous = await m.call('/api/health')
    expect(anonymous.status).toBe(200)
    expect(anonymous.body).toMatchObject({ status: 'ok' })
    expect(anonymous.body).not.toHaveProperty('process')
  })
})

describe('auth mode: user header from an address that is not a trusted proxy', () => {
  it('ignores the header and answers 401', async () => {
    const m = await startMode({ AUTH_PROXY_USER_HEADER: 'X-Remote-User', AUTH_TRUSTED_PROXIES: '10.9.9.9' })
    try {
      const r = await m.call('/api/trace/jobs', { body: wholeTraceBody(), headers: { 'x-remote-user': 'root' } })
      expect(r.status).toBe(401)
    } finally {
      await m.close()
    }
  }, 120_000)
})

describe('auth mode: bearer tokens', () => {
  let m: Mode
  const TOKEN = 'n'.repeat(40)
  const OTHER = 'o'.repeat(40)
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` })
  beforeAll(async () => {
    m = await startMode({ AUTH_TOKENS: `nightly:${TOKEN},report:${OTHER}` })
  }, 120_000)
  afterAll(() => m?.close())

  it('answers 401 without a token and with a wrong one', async () => {
    expect((await m.call('/api/trace/jobs', { body: wholeTraceBody() })).status).toBe(401)
    const wrong = await m.call('/api/trace/jobs', { body: wholeTraceBody(), headers: bearer('x'.repeat(40)) })
    expect(wrong.status).toBe(401)
    expect(codeOf(wrong.body)).toBe('UNAUTHORIZED')
  })

  it('runs a script’s job as the token’s user, which only that user may cancel', async () => {
    const submitted = await m.call('/api/trace/jobs', { body: wholeTraceBody(), headers: bearer(TOKEN) })
    expect(submitted.status).toBe(202)
    const { job_id } = submitted.body as JobAccepted
    expect(
      ((await m.call(`/api/trace/job/${job_id}`, { headers: bearer(OTHER) })).body as JobStatusResponse).owner,
    ).toBe('nightly')
    expect((await m.call(`/api/trace/job/${job_id}`, { method: 'DELETE', headers: bearer(OTHER) })).status).toBe(403)
    expect((await m.call(`/api/trace/job/${job_id}`, { method: 'DELETE', headers: bearer(TOKEN) })).status).toBe(200)
  })
})

describe('auth mode: none (the default, on loopback)', () => {
  let m: Mode
  beforeAll(async () => {
    m = await startMode({})
  }, 120_000)
  afterAll(() => m?.close())

  it('serves and cancels jobs anonymously, as before', async () => {
    const submitted = await m.call('/api/trace/jobs', { body: wholeTraceBody() })
    expect(submitted.status).toBe(202)
    const { job_id } = submitted.body as JobAccepted
    const status = await m.call(`/api/trace/job/${job_id}`)
    expect(status.body).not.toHaveProperty('owner')
    expect((await m.call(`/api/trace/job/${job_id}`, { method: 'DELETE' })).status).toBe(200)
  })

  it('shows the health details to the local machine', async () => {
    expect(((await m.call('/api/health')).body as HealthResponse).process?.pid).toBe(process.pid)
  })
})
