/**
 * A plant network between the browser and the server: a TCP proxy that gives every byte the time a link of a
 * given bandwidth and round trip would. Each direction is one shared link (all connections queue on it, as on
 * one LAN/VPN path): a chunk leaves when the link has sent everything queued before it (bytes × 8 ÷ bit rate)
 * and arrives half a round trip later. A connection whose bytes wait in the link beyond WINDOW_BYTES stops
 * being read, so the server sees back-pressure the way a TCP window gives it. Chromium's own network emulation
 * does not cover fetches made by Web Workers, which is where the app reads its stream, hence a proxy.
 */
import { once } from 'node:events'
import { createServer, connect, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export interface LinkSpec {
  /** Bandwidth of each direction, bits per second. */
  readonly bitsPerSecond: number
  /** Round trip, ms (half of it added to each direction). */
  readonly rttMs: number
}

/** Pieces a chunk is cut into before it goes on the link, so a large read does not arrive in one lump. */
const PIECE_BYTES = 16 * 1024
/** Bytes one connection may have in flight on the link before its source stops being read. */
const WINDOW_BYTES = 4 * 1024 * 1024

/** One direction of the link: when the bytes queued on it leave. */
class Direction {
  private freeAt = 0
  bytes = 0
  constructor(
    private readonly bitsPerSecond: number,
    private readonly delayMs: number,
  ) {}

  /** When `n` bytes handed over now arrive at the other end (performance.now() ms). */
  arrival(n: number): number {
    const now = performance.now()
    this.freeAt = Math.max(now, this.freeAt) + (n * 8 * 1000) / this.bitsPerSecond
    this.bytes += n
    return this.freeAt + this.delayMs
  }
}

interface Pending {
  readonly at: number
  readonly piece: Buffer | null
}

/** Carries `from` → `to` over `link`, in order, one timer per connection direction. */
function carry(from: Socket, to: Socket, link: Direction): void {
  const queue: Pending[] = []
  let inFlight = 0
  let timer: NodeJS.Timeout | undefined
  const deliver = (): void => {
    timer = undefined
    const now = performance.now()
    while (queue.length > 0 && queue[0].at <= now) {
      const { piece } = queue.shift() as Pending
      if (piece === null) {
        to.end()
        return
      }
      inFlight -= piece.length
      if (!to.destroyed) to.write(piece)
    }
    if (inFlight < WINDOW_BYTES / 2 && from.isPaused()) from.resume()
    if (queue.length > 0) timer = setTimeout(deliver, Math.max(0, queue[0].at - now))
  }
  const enqueue = (p: Pending): void => {
    queue.push(p)
    timer ??= setTimeout(deliver, Math.max(0, queue[0].at - performance.now()))
  }
  from.on('data', (chunk: Buffer) => {
    for (let i = 0; i < chunk.length; i += PIECE_BYTES) {
      const piece = chunk.subarray(i, i + PIECE_BYTES)
      inFlight += piece.length
      enqueue({ at: link.arrival(piece.length), piece })
    }
    if (inFlight >= WINDOW_BYTES) from.pause()
  })
  from.on('end', () => enqueue({ at: link.arrival(0), piece: null }))
  from.on('close', () => {
    // A reset on one side resets the other (the queued bytes are dropped, as a broken link would).
    if (!from.readableEnded) to.destroy()
  })
}

export interface ThrottleProxy {
  readonly url: string
  /** Bytes carried server → browser and browser → server since the start. */
  bytes(): { down: number; up: number }
  close(): Promise<void>
}

/** Starts a proxy to `target` (http://host:port) over `link`; `url` is where the browser should go. */
export async function startThrottleProxy(target: string, link: LinkSpec): Promise<ThrottleProxy> {
  const { hostname, port } = new URL(target)
  const down = new Direction(link.bitsPerSecond, link.rttMs / 2)
  const up = new Direction(link.bitsPerSecond, link.rttMs / 2)
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.setNoDelay(true)
      s.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
      s.on('close', () => sockets.delete(s))
    }
    carry(client, upstream, up)
    carry(upstream, client, down)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${address.port}`,
    bytes: () => ({ down: down.bytes, up: up.bytes }),
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
