/**
 * The built browser app from dist/: files as they are, or their `.br`/`.gz` copy made at build
 * (scripts/compress-assets.mjs) with Content-Encoding when the browser accepts it; index.html for every other
 * non-/api GET (SPA routes). Files under assets/ have content-hashed names, so they are cached for good;
 * everything else is revalidated.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Hono, MiddlewareHandler } from 'hono'

/** Served when dist/index.html does not exist (the client was not built, or its build failed). */
export const PLACEHOLDER_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mes-trace</title></head>
<body><h1>mes-trace</h1>
<p>The API is running under <code>/api</code>; the browser app is not built yet.
Run <code>npm run build</code> (or restart <code>npm start</code>) and reload.</p></body></html>
`

/** A file under assets/: vite puts each file's content hash in its name, so a name never changes content. */
function isHashedAsset(requestPath: string): boolean {
  return requestPath.startsWith('/assets/')
}

/** Sets the caching headers of a file serveStatic answered with. */
function setCacheHeaders(headers: Headers, requestPath: string): void {
  if (!isHashedAsset(requestPath)) {
    headers.set('Cache-Control', 'no-cache')
    return
  }
  headers.set('Cache-Control', 'public, max-age=31536000, immutable')
  // serveStatic says Vary itself when it sent a compressed copy; a plain answer varies the same way.
  if (!/accept-encoding/i.test(headers.get('Vary') ?? '')) headers.append('Vary', 'Accept-Encoding')
}

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/')
}

/** Mounts the static files of `root` and the index.html fallback; /api paths fall through to notFound. */
export function mountClient(app: Hono, root: string): void {
  let files: MiddlewareHandler | undefined
  app.get('*', async (c, next) => {
    // The root may appear after the server started (a build finishing), so its existence is checked per request.
    if (isApiPath(c.req.path) || !existsSync(root)) return next()
    files ??= serveStatic({ root, precompressed: true })
    const res = await files(c, next)
    if (res instanceof Response) setCacheHeaders(res.headers, c.req.path)
    return res
  })
  app.get('*', async (c, next) => {
    if (isApiPath(c.req.path)) return next()
    c.header('Cache-Control', 'no-cache')
    const index = join(root, 'index.html')
    return c.html(existsSync(index) ? await readFile(index, 'utf8') : PLACEHOLDER_HTML)
  })
}
