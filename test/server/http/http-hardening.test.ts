/**
 * The defects of issue 11 that the HTTP layer answers: hostile input refused with our own 400 (never a driver
 * message), seed bounds, cross-site requests, DNS rebinding, security headers, strict query integers, rate
 * limits on the job routes and the admin-only health details.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/server/app.ts'
import { loadConfig } from '../../../src/server/config.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import type { MesSource } from '../../../src/server/source/mes-source.ts'
import { expectError, openHarness, type Harness } from '../routes/route-harness.ts'
import { slowSource } from '../routes/source-wrappers.ts'
import { LOT_A, ROWS } from '../routes/trace-fixture.ts'
import { queuedStatus, stubJobs, type StubJobs } from './stub-jobs.ts'

const JOB = `trace-evt-${'a'.repeat(32)}`
const lookup = (values: string | string[]) => ({ profile: 'query_tool', params: { input_type: 'lot_id', values } })
const remote = { incoming: { socket: { remoteAddress: '10.0.0.1' } } }

beforeAll(() => setLogLevel('silent'))

describe('seed-resolve input the database cannot take', () => {
  let h: Harness
  beforeAll(() => {
    h = openHarness(ROWS, { SEED_MAX_PATTERN_TOKENS: '3', SEED_MAX_TOKEN_LENGTH: '64' })
  })
  afterAll(() => h.close())

  it('answers a 100,000-character LIKE pattern with 400 INVALID_PARAMS naming the limit, not the driver message', async () => {
    const error = await expectError(
      await h.post('/api/trace/seed-resolve', lookup(`%${'A'.repeat(100_000)}%`)),
      400,
      'INVALID_PARAMS',
    )
    expect(error).toMatchObject({ field: 'params.values', limit: 64 })
    expect(String(error.message)).not.toMatch(/LIKE|GLOB|too complex|SQLITE/i)
  })

  it('refuses more wildcard tokens than SEED_MAX_PATTERN_TOKENS with 400 and the limit', async () => {
    const error = await expectError(
      await h.post('/api/trace/seed-resolve', lookup(['GA1*', 'GA2*', 'GA3*', 'GA4*'])),
      400,
      'INVALID_PARAMS',
    )
    expect(error).toMatchObject({ field: 'params.values', limit: 3 })
  })

  it('still resolves wildcard tokens within the bounds', async () => {
    const res = await h.post('/api/trace/seed-resolve', lookup(['GA1-A0*', 'W*']))
    expect(res.status).toBe(200)
  })

  it('refuses the same bounds when a whole trace is submitted as a job', async () => {
    const jobs = stubJobs()
    const hj = openHarness(ROWS, { SEED_MAX_PATTERN_TOKENS: '1' }, { jobs })
    try {
      await expectError(await hj.post('/api/trace/jobs', lookup(['GA1*', 'GA2*'])), 400, 'INVALID_PARAMS')
      expect(jobs.submitted).toHaveLength(0)
    } finally {
      await hj.close()
    }
  })
})

describe('time limits of the synchronous stages', () => {
  it('answers 504 SEED_RESOLVE_TIMEOUT when seed resolution outlasts SEED_RESOLVE_TIMEOUT_SECONDS', async () => {
    const h = openHarness(ROWS, { SEED_RESOLVE_TIMEOUT_SECONDS: '1' }, { wrapSource: (s) => slowSource(s, 10_000) })
    try {
      const started = Date.now()
      const res = await h.post('/api/trace/seed-resolve', lookup('GA1-A01'))
      const error = await expectError(res, 504, 'SEED_RESOLVE_TIMEOUT')
      expect(error.limit).toBe(1)
      expect(Date.now() - started).toBeLessThan(5000)
    } finally {
      await h.close()
    }
  })

  it('cuts a synchronous events stream at EVENTS_TIMEOUT_SECONDS, its queries cancelled and its body unfinished', async () => {
    const h = openHarness(ROWS, { EVENTS_TIMEOUT_SECONDS: '1' }, { wrapSource: (s) => slowSource(s, 10_000) })
    try {
      const started = Date.now()
      const res = await h.post('/api/trace/events', {
        profile: 'query_tool',
        container_ids: [LOT_A],
        domains: ['history'],
      })
      expect(res.status).toBe(200)
      const text = await res.text().catch(() => '')
      expect(Date.now() - started).toBeLessThan(5000)
      expect(() => JSON.parse(text)).toThrow()
    } finally {
      await h.close()
    }
  })
})

describe('cross-site requests', () => {
  let h: Harness
  beforeAll(() => {
    h = openHarness(ROWS)
  })
  afterAll(() => h.close())

  it('refuses a POST sent as text/plain with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await h.post('/api/trace/seed-resolve', lookup('GA1-A01'), {
      headers: { 'content-type': 'text/plain' },
    })
    await expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE')
  })

  it('refuses form encodings and a missing Content-Type with 415', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      await expectError(
        await h.post('/api/trace/seed-resolve', lookup('GA1-A01'), { headers: { 'content-type': type } }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      )
    }
    const bare = await h.app.request(
      '/api/trace/seed-resolve',
      { method: 'POST', body: JSON.stringify(lookup('x')) },
      remote,
    )
    await expectError(bare, 415, 'UNSUPPORTED_MEDIA_TYPE')
  })

  it('accepts application/json with a charset', async () => {
    const res = await h.post('/api/trace/seed-resolve', lookup('GA1-A01'), {
      headers: { 'content-type': 'application/json; charset=utf-8' },
    })
    expect(res.status).toBe(200)
  })

  it('refuses a POST from another site (Sec-Fetch-Site: cross-site) with 403 FORBIDDEN', async () => {
    const res = await h.post('/api/trace/seed-resolve', lookup('GA1-A01'), {
      headers: { 'sec-fetch-site': 'cross-site' },
    })
    await expectError(res, 403, 'FORBIDDEN')
  })

  it('refuses a POST whose Origin is another host with 403 FORBIDDEN', async () => {
    for (const origin of ['https://evil.example', 'null']) {
      await expectError(
        await h.post('/api/trace/seed-resolve', lookup('GA1-A01'), { headers: { origin } }),
        403,
        'FORBIDDEN',
      )
    }
  })

  it('refuses a cross-site DELETE of a job with 403 before it reaches the job', async () => {
    const jobs = stubJobs()
    jobs.put(queuedStatus(JOB))
    const hj = openHarness(ROWS, {}, { jobs })
    try {
      const init = { method: 'DELETE', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } }
      await expectError(await hj.app.request(`/api/trace/job/${JOB}`, init, remote), 403, 'FORBIDDEN')
      expect(jobs.cancelled).toEqual([])
    } finally {
      await hj.close()
    }
  })

  it('accepts the app’s own requests (same-origin, or an Origin naming this host on any port)', async () => {
    const own: Record<string, string>[] = [
      { 'sec-fetch-site': 'same-origin', origin: 'http://localhost' },
      { origin: 'http://127.0.0.1:5173' },
    ]
    for (const headers of own) {
      expect((await h.post('/api/trace/seed-resolve', lookup('GA1-A01'), { headers })).status).toBe(200)
    }
  })
})

describe('host names (DNS rebinding)', () => {
  it('answers 403 HOST_NOT_ALLOWED to a Host that is not one of its names, on the API and the app', async () => {
    const h = openHarness(ROWS)
    try {
      for (const path of ['/api/health', '/', '/api/trace/job/x']) {
        await expectError(
          await h.app.request(`http://rebound.evil.example:8787${path}`, {}, remote),
          403,
          'HOST_NOT_ALLOWED',
        )
      }
      expect((await h.app.request('http://127.0.0.1:8787/api/health', {}, remote)).status).not.toBe(403)
      expect((await h.app.request('http://[::1]:8787/api/health', {}, remote)).status).not.toBe(403)
    } finally {
      await h.close()
    }
  })

  it('answers the names of ALLOWED_HOSTS only, once it is set', async () => {
    const h = openHarness(ROWS, { ALLOWED_HOSTS: 'trace.plant.example' })
    try {
      expect((await h.app.request('http://trace.plant.example/api/health', {}, remote)).status).not.toBe(403)
      await expectError(await h.app.request('http://localhost/api/health', {}, remote), 403, 'HOST_NOT_ALLOWED')
    } finally {
      await h.close()
    }
  })

  it('adds HOST to the default names', async () => {
    const h = openHarness(ROWS, { HOST: '192.168.5.5' })
    try {
      expect((await h.app.request('http://192.168.5.5:8787/api/health', {}, remote)).status).not.toBe(403)
    } finally {
      await h.close()
    }
  })
})

describe('security headers', () => {
  let h: Harness
  let jobs: StubJobs
  beforeAll(() => {
    jobs = stubJobs()
    jobs.put(queuedStatus(JOB))
    h = openHarness(ROWS, {}, { jobs })
  })
  afterAll(() => h.close())

  it('sends a CSP limited to the app’s own origin (workers included), nosniff, no framing and a Referrer-Policy', async () => {
    for (const path of ['/', '/api/health']) {
      const res = await h.app.request(path, {}, remote)
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("worker-src 'self'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).not.toContain('unsafe')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('referrer-policy')).toBe('same-origin')
    }
  })

  it('marks job status, result pages and errors Cache-Control: no-store', async () => {
    for (const path of [
      `/api/trace/job/${JOB}`,
      `/api/trace/job/${JOB}/result?domain=history`,
      '/api/trace/job/nope',
    ]) {
      expect((await h.app.request(path, {}, remote)).headers.get('cache-control')).toBe('no-store')
    }
  })
})

describe('strict integers in query strings', () => {
  let h: Harness
  let jobs: StubJobs
  beforeAll(() => {
    jobs = stubJobs()
    jobs.put(queuedStatus(JOB))
    h = openHarness(ROWS, {}, { jobs })
  })
  afterAll(() => h.close())

  it.each(['0x10', '1e3', '%20', '', '-1', '1.5', '+1', '99999999999999999999'])(
    'refuses offset=%s with 400 INVALID_PARAMS',
    async (bad) => {
      const error = await expectError(
        await h.app.request(`/api/trace/job/${JOB}/result?domain=history&offset=${bad}`, {}, remote),
        400,
        'INVALID_PARAMS',
      )
      expect(error.field).toBe('offset')
    },
  )

  it.each(['0x10', '1e3', '%20', '0', '50001'])('refuses limit=%s with 400 INVALID_PARAMS', async (bad) => {
    const error = await expectError(
      await h.app.request(`/api/trace/job/${JOB}/result?domain=history&limit=${bad}`, {}, remote),
      400,
      'INVALID_PARAMS',
    )
    expect(error.field).toBe('limit')
  })

  it.each(['history:0x10', 'history:1e3', 'history:%20', 'history:', 'history:-1'])(
    'refuses from=%s with 400 INVALID_PARAMS',
    async (bad) => {
      const error = await expectError(
        await h.app.request(`/api/trace/job/${JOB}/stream?from=${bad}`, {}, remote),
        400,
        'INVALID_PARAMS',
      )
      expect(error.field).toBe('from')
    },
  )

  it('takes plain decimal offsets and limits (then the job’s own state answers)', async () => {
    const res = await h.app.request(`/api/trace/job/${JOB}/result?domain=history&offset=16&limit=1000`, {}, remote)
    await expectError(res, 409, 'JOB_NOT_COMPLETE')
  })
})

describe('rate limits of the job routes', () => {
  it('answers 429 past RATE_LIMIT_JOB_READS status reads and past RATE_LIMIT_JOB_CANCEL cancels, per client', async () => {
    const jobs = stubJobs()
    jobs.put(queuedStatus(JOB))
    const h = openHarness(ROWS, { RATE_LIMIT_JOB_READS: '3', RATE_LIMIT_JOB_CANCEL: '1' }, { jobs })
    const from = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } })
    try {
      for (let i = 0; i < 3; i++)
        expect((await h.app.request(`/api/trace/job/${JOB}`, {}, from('10.3.3.3'))).status).toBe(200)
      await expectError(
        await h.app.request(`/api/trace/job/${JOB}/stream`, {}, from('10.3.3.3')),
        429,
        'TOO_MANY_REQUESTS',
      )
      expect((await h.app.request(`/api/trace/job/${JOB}`, {}, from('10.4.4.4'))).status).toBe(200)

      const del = { method: 'DELETE' }
      expect((await h.app.request(`/api/trace/job/${JOB}`, del, from('10.5.5.5'))).status).toBe(200)
      await expectError(await h.app.request(`/api/trace/job/${JOB}`, del, from('10.5.5.5')), 429, 'TOO_MANY_REQUESTS')
    } finally {
      await h.close()
    }
  })
})

describe('health details', () => {
  it('gives pid, RSS and heap to a loopback client without authentication, and to nobody else', async () => {
    const h = openHarness(ROWS)
    try {
      const local = await h.app.request('/api/health', {}, { incoming: { socket: { remoteAddress: '127.0.0.1' } } })
      expect(await local.json()).toHaveProperty('process.pid', process.pid)
      const other = await h.app.request('/api/health', {}, remote)
      const body = await other.text()
      expect(JSON.parse(body)).not.toHaveProperty('process')
      expect(body).not.toContain('rss_bytes')
    } finally {
      await h.close()
    }
  })
})

describe('authentication settings that cannot work', () => {
  const source = {} as MesSource
  it('refuse to build the app: a proxy header without trusted proxies, or a short token', () => {
    expect(() => createApp({ config: loadConfig({ AUTH_PROXY_USER_HEADER: 'X-Remote-User' }), source })).toThrow(
      /AUTH_TRUSTED_PROXIES/,
    )
    expect(() => createApp({ config: loadConfig({ AUTH_TOKENS: 'ci:short' }), source })).toThrow(/AUTH_TOKENS/)
    expect(() => createApp({ config: loadConfig({ AUTH_TOKENS: 'no-user-here' }), source })).toThrow(/AUTH_TOKENS/)
  })
})
