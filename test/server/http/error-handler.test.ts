import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { beforeAll, describe, expect, it } from 'vitest'
import { DomainError } from '../../../src/server/errors/domain-error.ts'
import { ApiError } from '../../../src/server/http/api-error.ts'
import { handleError } from '../../../src/server/http/error-handler.ts'
import { setLogLevel } from '../../../src/server/logger.ts'

function throwingApp(err: () => Error): Hono {
  const app = new Hono()
  app.onError(handleError)
  app.get('/', () => {
    throw err()
  })
  return app
}

beforeAll(() => setLogLevel('silent'))

describe('handleError', () => {
  it('answers an unknown error with 500 INTERNAL_ERROR and neither its message nor its stack', async () => {
    const res = await throwingApp(
      () => new TypeError('secret /etc/passwd at Object.<anonymous> (app.ts:12:5)'),
    ).request('/')
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(text).not.toMatch(/secret|passwd|app\.ts|stack/)
    expect(JSON.parse(text)).toEqual({
      success: false,
      error: { code: 'INTERNAL_ERROR', message: 'internal error' },
      meta: { timestamp: expect.any(String) },
    })
  })

  it('answers a domain error with the status of its code, its details and its Retry-After', async () => {
    const res = await throwingApp(
      () => new DomainError('SERVICE_UNAVAILABLE', 'no worker', { details: { retry_after: 5 }, retryAfterSeconds: 5 }),
    ).request('/')
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('5')
    expect(((await res.json()) as { error: unknown }).error).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      message: 'no worker',
      retry_after: 5,
    })
  })

  it('answers a domain timeout 504 without a Retry-After', async () => {
    const res = await throwingApp(() => new DomainError('LINEAGE_TIMEOUT', 'too slow')).request('/')
    expect(res.status).toBe(504)
    expect(res.headers.get('retry-after')).toBeNull()
  })

  it('keeps an ApiError status, code, details and headers', async () => {
    const res = await throwingApp(
      () => new ApiError(503, 'SERVICE_UNAVAILABLE', 'busy', { cid_count: 9 }, { 'Retry-After': '12' }),
    ).request('/')
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('12')
    expect(((await res.json()) as { error: unknown }).error).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      message: 'busy',
      cid_count: 9,
    })
  })

  it('maps a framework 413 to PAYLOAD_TOO_LARGE', async () => {
    const res = await throwingApp(() => new HTTPException(413)).request('/')
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE')
  })
})
