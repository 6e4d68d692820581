import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorBody } from '../../../src/server/http/api-error.ts'
import { mountClient, PLACEHOLDER_HTML } from '../../../src/server/http/static-files.ts'
import { compressAssets } from '../../../scripts/compress-assets.mjs'

let root: string

function clientApp(dir: string): Hono {
  const app = new Hono()
  app.get('/api/ping', (c) => c.text('pong'))
  app.notFound((c) => c.json(errorBody('NOT_FOUND', 'nothing'), 404))
  mountClient(app, dir)
  return app
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mes-trace-dist-'))
  mkdirSync(join(root, 'dist', 'assets'), { recursive: true })
  writeFileSync(join(root, 'dist', 'index.html'), '<!doctype html><title>app</title>')
  writeFileSync(join(root, 'dist', 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(root, 'secret.txt'), 'outside dist')
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('mountClient', () => {
  it('serves the built files and index.html at /', async () => {
    const app = clientApp(join(root, 'dist'))
    const js = await app.request('/assets/app.js')
    expect(js.headers.get('content-type')).toMatch(/javascript/)
    expect(await js.text()).toBe('console.log(1)')
    expect(await (await app.request('/')).text()).toBe('<!doctype html><title>app</title>')
  })

  it('sends the build-time gzip/brotli copy of an asset when accepted, plain otherwise, cached for good', async () => {
    const dir = join(root, 'dist-compressed')
    mkdirSync(join(dir, 'assets'), { recursive: true })
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>')
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("app");'.repeat(200))
    expect(await compressAssets(dir)).toBe(1)
    const app = clientApp(dir)
    const plain = await app.request('/assets/index-abc123.js')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(plain.headers.get('vary')).toMatch(/Accept-Encoding/)
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(await plain.text()).toBe('console.log("app");'.repeat(200))
    const gz = await app.request('/assets/index-abc123.js', { headers: { 'Accept-Encoding': 'gzip' } })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(gz.headers.get('vary')).toMatch(/Accept-Encoding/)
    expect(gz.headers.get('content-type')).toMatch(/javascript/)
    expect(gz.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe('console.log("app");'.repeat(200))
    const br = await app.request('/assets/index-abc123.js', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } })
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe('console.log("app");'.repeat(200))
    const index = await app.request('/', { headers: { 'Accept-Encoding': 'gzip' } })
    expect(index.headers.get('cache-control')).toBe('no-cache')
  })

  it('answers client-side routes with index.html but leaves /api paths to the API', async () => {
    const app = clientApp(join(root, 'dist'))
    const page = await app.request('/trace/jobs/trace-evt-1')
    expect(page.status).toBe(200)
    expect(await page.text()).toBe('<!doctype html><title>app</title>')
    expect(await (await app.request('/api/ping')).text()).toBe('pong')
    const missing = await app.request('/api/unknown')
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND')
  })

  it('never serves a file outside the root', async () => {
    const res = await clientApp(join(root, 'dist')).request('/..%2fsecret.txt')
    expect(await res.text()).not.toContain('outside dist')
  })

  it('serves a placeholder page while the client is not built', async () => {
    const app = clientApp(join(root, 'not-built'))
    const res = await app.request('/')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(PLACEHOLDER_HTML)
  })
})
