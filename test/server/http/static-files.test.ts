import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorBody } from '../../../src/server/http/api-error.ts'
import { mountClient, PLACEHOLDER_HTML } from '../../../src/server/http/static-files.ts'

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
