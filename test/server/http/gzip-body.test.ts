import { mkdtempSync, rmSync } from 'node:fs'
import { get } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { crc32, gunzipSync } from 'node:zlib'
import { serve, type ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import { stream } from 'hono/streaming'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { crc32Combine } from '../../../src/server/http/crc32-combine.ts'
import { acceptsGzip, bodyWriter, negotiateGzip } from '../../../src/server/http/gzip-body.ts'
import { gzipMember, StoredGzip } from '../../../src/server/storage/chunk-gzip.ts'
import { chromiumAvailable, launchChromium } from '../../e2e/e2e-harness.ts'

const PIECES = ['{"type":"meta"}\n', '{"type":"records","rows":[[1,"a"]]}\n'.repeat(2000), '{"type":"complete"}\n']
const EXPECTED = PIECES.join('')

describe('gzip bodies spliced from stored members', () => {
  let server: ServerType
  let url: string

  beforeAll(async () => {
    const stored = await gzipMember(Buffer.from(PIECES[1]))
    const app = new Hono()
    app.get('/body', (c) => {
      const gzip = negotiateGzip(c)
      return stream(c, async (s) => {
        const body = bodyWriter(s, gzip)
        await body.write(PIECES[0])
        await body.write(new StoredGzip(stored))
        await body.write(PIECES[2])
        await body.end()
      })
    })
    app.get('/page', (c) => c.html('<p>page</p>'))
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 })
    await new Promise((resolve) => server.once('listening', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('combines CRC-32s as zlib does', () => {
    for (const [a, b] of [
      ['abc', 'defgh'],
      ['x'.repeat(1000), 'y'.repeat(70_000)],
      ['', 'q'],
      ['q', ''],
    ])
      expect(crc32Combine(crc32(a), crc32(b), Buffer.byteLength(b))).toBe(crc32(a + b))
  })

  it('reads Accept-Encoding', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true)
    expect(acceptsGzip('br;q=1, gzip;q=0.5')).toBe(true)
    expect(acceptsGzip('gzip;q=0')).toBe(false)
    expect(acceptsGzip('*')).toBe(true)
    expect(acceptsGzip('identity')).toBe(false)
    expect(acceptsGzip(undefined)).toBe(false)
  })

  it('is one gzip stream that zlib decodes whole (not one member per piece)', async () => {
    const res = await fetch(`${url}/body`, { headers: { 'Accept-Encoding': 'identity' } })
    expect(await res.text()).toBe(EXPECTED)
    const raw = await new Promise<Buffer>((resolve, reject) => {
      get(`${url}/body`, { headers: { 'Accept-Encoding': 'gzip' } }, (r) => {
        const parts: Buffer[] = []
        r.on('data', (d: Buffer) => parts.push(d)).on('end', () => resolve(Buffer.concat(parts)))
      }).on('error', reject)
    })
    expect(raw.indexOf(Buffer.from([0x1f, 0x8b]), 2)).toBe(-1)
    expect(gunzipSync(raw).toString('utf8')).toBe(EXPECTED)
  })

  it("decodes in Node's fetch", async () => {
    const res = await fetch(`${url}/body`, { headers: { 'Accept-Encoding': 'gzip' } })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(await res.text()).toBe(EXPECTED)
  })

  it.skipIf(!chromiumAvailable())("decodes in Chromium's fetch", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gzip-body-chromium-'))
    const context = await launchChromium(dir)
    try {
      const page = await context.newPage()
      await page.goto(`${url}/page`)
      const text = await page.evaluate(async () => (await fetch('/body')).text())
      expect(text).toBe(EXPECTED)
    } finally {
      await context.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
