/**
 * A stand-in for "the server is on another machine": an HTTP server that answers one job's NDJSON stream from
 * memory (recorded once from the real server) and forwards every other request to the real server. On a
 * two-core bench machine the real server's stream route takes a core the browser would otherwise have; from
 * memory the stream costs next to nothing, so the browser's ingest rate is measured on its own.
 */
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { COMPACT_ACCEPT_NDJSON } from '../../src/shared/row-shape.ts'

async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader()
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) yield r.value
  } finally {
    reader.releaseLock()
  }
}

/** The job's whole stream, as the real server sends it from the start. */
export async function recordStream(serverUrl: string, jobId: string): Promise<Buffer[]> {
  const res = await fetch(`${serverUrl}/api/trace/job/${encodeURIComponent(jobId)}/stream`, {
    headers: { accept: COMPACT_ACCEPT_NDJSON },
  })
  if (!res.ok || !res.body) throw new Error(`recording the stream: HTTP ${res.status}`)
  const chunks: Buffer[] = []
  for await (const chunk of chunksOf(res.body))
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
  return chunks
}

async function forward(target: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body: Buffer[] = []
  for await (const chunk of req) body.push(chunk as Buffer)
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers))
    if (typeof value === 'string' && name !== 'host') headers.set(name, value)
  const answer = await fetch(`${target}${req.url}`, {
    method: req.method,
    headers,
    body: body.length > 0 ? Buffer.concat(body) : undefined,
    redirect: 'manual',
  })
  const out: Record<string, string> = {}
  answer.headers.forEach((value, name) => {
    if (name !== 'content-encoding' && name !== 'content-length' && name !== 'transfer-encoding') out[name] = value
  })
  res.writeHead(answer.status, out)
  if (answer.body) for await (const chunk of chunksOf(answer.body)) if (!res.write(chunk)) await once(res, 'drain')
  res.end()
}

async function replay(chunks: readonly Buffer[], res: ServerResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache, no-transform' })
  for (const chunk of chunks) if (!res.write(chunk)) await once(res, 'drain')
  res.end()
}

/** Starts the proxy; `url` is where the page should go instead of `serverUrl`. */
export async function startMemoryStreamProxy(
  serverUrl: string,
  jobId: string,
  chunks: readonly Buffer[],
): Promise<{ url: string; close: () => Promise<void> }> {
  const streamPath = `/api/trace/job/${encodeURIComponent(jobId)}/stream`
  const server = createServer((req, res) => {
    const done = req.method === 'GET' && req.url === streamPath ? replay(chunks, res) : forward(serverUrl, req, res)
    done.catch((err: unknown) => res.destroy(err instanceof Error ? err : new Error(String(err))))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
