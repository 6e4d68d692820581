/**
 * Starts the HTTP server around an opened source (and job service): what `npm start` runs after its setup, and
 * what tests and benches call to get a real server on a random port.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Config } from './config.ts'
import { createApp, type AppDeps } from './app.ts'

/** How long `close()` lets running responses (long event streams) finish before cutting their sockets. */
const CLOSE_GRACE_MS = 5000

export interface ServeOptions extends AppDeps {
  /** Port to listen on; default config.PORT, 0 for a free one. */
  readonly port?: number
  /** Interface to bind; default config.HOST. */
  readonly host?: string
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:8787` */
  readonly url: string
  readonly port: number
  /** Stops accepting, waits for responses in flight (at most a few seconds), then closes sockets. Safe twice. */
  close(): Promise<void>
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

/** Listens with the app built from `options`; resolves once the port is bound. */
export function startServer(options: ServeOptions): Promise<RunningServer> {
  const config: Config = options.config
  const host = options.host ?? config.HOST
  const app = createApp(options)
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? config.PORT, hostname: host }, (info: AddressInfo) => {
      server.off('error', reject)
      let closing: Promise<void> | undefined
      const close = (): Promise<void> =>
        (closing ??= new Promise<void>((done) => {
          const force = setTimeout(() => 'closeAllConnections' in server && server.closeAllConnections(), CLOSE_GRACE_MS)
          force.unref()
          server.close(() => {
            clearTimeout(force)
            done()
          })
          if ('closeIdleConnections' in server) server.closeIdleConnections()
        }))
      resolve({ url: `http://${urlHost(host)}:${info.port}`, port: info.port, close })
    })
    server.once('error', reject)
  })
}
