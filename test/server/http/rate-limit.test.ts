import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { clientKey } from '../../../src/server/http/client-key.ts'
import { handleError } from '../../../src/server/http/error-handler.ts'
import { rateLimit } from '../../../src/server/http/rate-limit.ts'

function limitedApp(limit: number, windowSeconds: number, clock: { t: number }): Hono {
  const app = new Hono()
  app.onError(handleError)
  app.use(
    '*',
    rateLimit({
      name: 'test',
      limit,
      windowSeconds,
      keyOf: (c) => c.req.header('x-client') ?? 'anon',
      now: () => clock.t,
    }),
  )
  app.get('/', (c) => c.text('ok'))
  return app
}

const from = (app: Hono, client: string) => app.request('/', { headers: { 'x-client': client } })

describe('rateLimit', () => {
  it('allows `limit` requests per window, then refuses with the seconds left in the window', async () => {
    const clock = { t: 1_000_000 }
    const app = limitedApp(2, 10, clock)
    expect((await from(app, 'a')).status).toBe(200)
    clock.t += 1000
    expect((await from(app, 'a')).status).toBe(200)
    clock.t += 3000
    const refused = await from(app, 'a')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('6')
    const body = (await refused.json()) as { error: { code: string; message: string; retry_after: number } }
    expect(body.error).toMatchObject({ code: 'TOO_MANY_REQUESTS', retry_after: 6 })
    expect(body.error.message).toContain('at most 2 per 10 s')
  })

  it('counts each client on its own and starts a new window when the old one ended', async () => {
    const clock = { t: 0 }
    const app = limitedApp(1, 10, clock)
    expect((await from(app, 'a')).status).toBe(200)
    expect((await from(app, 'a')).status).toBe(429)
    expect((await from(app, 'b')).status).toBe(200)
    clock.t += 10_000
    expect((await from(app, 'a')).status).toBe(200)
    expect((await from(app, 'a')).status).toBe(429)
  })

  it('never sends a Retry-After below one second', async () => {
    const clock = { t: 0 }
    const app = limitedApp(1, 1, clock)
    await from(app, 'a')
    clock.t += 999
    expect((await from(app, 'a')).headers.get('retry-after')).toBe('1')
  })
})

describe('clientKey', () => {
  const keyApp = (trust: boolean) => {
    const app = new Hono()
    app.get('/', (c) => c.text(clientKey(c, trust)))
    return app
  }
  const ask = (app: Hono, xff?: string) =>
    app.request(
      '/',
      { headers: xff ? { 'x-forwarded-for': xff } : {} },
      { incoming: { socket: { remoteAddress: '192.0.2.7' } } },
    )

  it('is the socket address unless the proxy is trusted', async () => {
    expect(await (await ask(keyApp(false), '203.0.113.9')).text()).toBe('192.0.2.7')
  })

  it('behind a trusted proxy, is the last X-Forwarded-For entry (the one the proxy appended)', async () => {
    expect(await (await ask(keyApp(true), 'forged, 203.0.113.9 ')).text()).toBe('203.0.113.9')
    expect(await (await ask(keyApp(true))).text()).toBe('192.0.2.7')
  })

  it('falls back to one shared key when the runtime has no socket', async () => {
    const app = keyApp(false)
    expect(await (await app.request('/')).text()).toBe('local')
  })
})
