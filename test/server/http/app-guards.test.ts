import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setLogLevel } from '../../../src/server/logger.ts'
import { expectError, openHarness, readJson, type Harness } from '../routes/route-harness.ts'
import { LOT_A, ROWS } from '../routes/trace-fixture.ts'

const SEED = { profile: 'query_tool', params: { input_type: 'lot_id', values: 'GA1-A01' } }
const hex = (n: number) => n.toString(16).padStart(16, '0')

beforeAll(() => setLogLevel('silent'))

describe('request body limit', () => {
  let h: Harness
  beforeAll(() => {
    h = openHarness(ROWS, { MAX_JSON_BODY_BYTES: '300' })
  })
  afterAll(() => h.close())

  it('refuses a body over MAX_JSON_BODY_BYTES by its Content-Length with 413 PAYLOAD_TOO_LARGE', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => hex(i + 1))
    const error = await expectError(
      await h.post('/api/trace/events', { profile: 'query_tool', container_ids: ids }),
      413,
      'PAYLOAD_TOO_LARGE',
    )
    expect(error.limit).toBe(300)
  })

  it('refuses a chunked body without Content-Length once it grows past the limit', async () => {
    const chunk = new TextEncoder().encode(
      '{"profile":"query_tool","container_ids":[' + '"0000000000000001",'.repeat(30),
    )
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk)
        controller.enqueue(chunk)
        controller.close()
      },
    })
    const init = { method: 'POST', body, duplex: 'half', headers: { 'content-type': 'application/json' } }
    const res = await h.app.request('/api/trace/events', init as RequestInit)
    await expectError(res, 413, 'PAYLOAD_TOO_LARGE')
  })

  it('accepts bodies under the limit', async () => {
    expect((await h.post('/api/trace/seed-resolve', SEED)).status).toBe(200)
  })
})

describe('the default body limit', () => {
  it('takes 200,000 container ids (then the CID limit answers, not the body limit)', async () => {
    const h = openHarness(ROWS)
    try {
      const ids = Array.from({ length: 200_000 }, (_, i) => hex(i + 1))
      const error = await expectError(
        await h.post('/api/trace/events', { profile: 'query_tool', container_ids: ids }),
        413,
        'CID_LIMIT_EXCEEDED',
      )
      expect(error).toMatchObject({ cid_count: 200_000, limit: 50_000 })
    } finally {
      await h.close()
    }
  })
})

describe('rate limits', () => {
  it('answers 429 TOO_MANY_REQUESTS with Retry-After past a route bucket, per client and per route', async () => {
    const h = openHarness(ROWS, { RATE_LIMIT_SEED_RESOLVE: '2', RATE_LIMIT_WINDOW_SECONDS: '60' })
    try {
      expect((await h.post('/api/trace/seed-resolve', SEED, { client: '10.1.1.1' })).status).toBe(200)
      expect((await h.post('/api/trace/seed-resolve', SEED, { client: '10.1.1.1' })).status).toBe(200)
      const refused = await h.post('/api/trace/seed-resolve', SEED, { client: '10.1.1.1' })
      const retryAfter = Number(refused.headers.get('retry-after'))
      expect(retryAfter).toBeGreaterThanOrEqual(1)
      expect(retryAfter).toBeLessThanOrEqual(60)
      const error = await expectError(refused, 429, 'TOO_MANY_REQUESTS')
      expect(error.retry_after).toBe(retryAfter)

      expect((await h.post('/api/trace/seed-resolve', SEED, { client: '10.2.2.2' })).status).toBe(200)
      expect(
        (await h.post('/api/trace/lineage', { profile: 'query_tool', container_ids: [LOT_A] }, { client: '10.1.1.1' }))
          .status,
      ).toBe(200)
    } finally {
      await h.close()
    }
  })

  it('ignores X-Forwarded-For unless TRUST_PROXY is set', async () => {
    for (const [trust, thirdStatus] of [
      ['false', 429],
      ['true', 200],
    ] as const) {
      const h = openHarness(ROWS, { RATE_LIMIT_SEED_RESOLVE: '2', TRUST_PROXY: trust })
      try {
        const from = (ip: string) =>
          h.post('/api/trace/seed-resolve', SEED, { client: '127.0.0.1', headers: { 'x-forwarded-for': ip } })
        expect((await from('10.0.0.5')).status).toBe(200)
        expect((await from('10.0.0.5')).status).toBe(200)
        expect((await from('spoofed, 10.0.0.6')).status).toBe(thirdStatus)
      } finally {
        await h.close()
      }
    }
  })
})

describe('unknown routes', () => {
  it('answers 404 NOT_FOUND in the envelope for an unknown API path or method', async () => {
    const h = openHarness(ROWS)
    try {
      const error = await expectError(await h.app.request('/api/trace/nothing'), 404, 'NOT_FOUND')
      expect(error.message).toBe('no route for GET /api/trace/nothing')
      await expectError(await h.app.request('/api/trace/events'), 404, 'NOT_FOUND')
      expect(await readJson(await h.app.request('/api/health'))).toMatchObject({
        status: 'degraded',
        queue: { mode: 'disabled' },
      })
    } finally {
      await h.close()
    }
  })
})
