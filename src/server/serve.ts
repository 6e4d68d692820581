/**
 * Starts the HTTP server around an opened source (and job service): what `npm start` runs after its setup, and
 * what tests and benches call to get a real server on a random port.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Config } from './config.ts'
import type { AppDeps } from './app-deps.ts'
import { createApp } from './app.ts'
import { assertBindAllowed } from './http/bind-policy.ts'

/** How long `close()` lets running responses (long event streams) finish before cutting their sockets. */
const CLOSE_GRACE_MS = 5000

/**
 * How often Node looks for connections past HTTP_HEADERS_TIMEOUT_MS / HTTP_REQUEST_TIMEOUT_MS (its default,
 * 30 s, would let a slow client overstay its limit by that much).
 */
const CONNECTIONS_CHECK_MS = 1000

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

/**
 * Listens with the app built from `options`; resolves once the port is bound. Rejects without listening when
 * the address is not loopback and no authentication is configured (bind-policy.ts).
 */
export function startServer(options: ServeOptions): Promise<RunningServer> {
  const config: Config = options.config
  const host = options.host ?? config.HOST
  try {
    assertBindAllowed(config, host)
  } catch (err) {
    return Promise.reject(err)
  }
  const app = createApp(options)
  // The request timeout bounds receiving a request (headers and body), not sending the response: long event
  // streams are unaffected, a client trickling or withholding its body is answered 408 and dropped.
  const serverOptions = {
    headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeout: Math.max(config.HTTP_REQUEST_TIMEOUT_MS, config.HTTP_HEADERS_TIMEOUT_MS),
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: CONNECTIONS_CHECK_MS,
  }
  return new Promise((resolve, reject) => {
    const listen = { fetch: app.fetch, port: options.port ?? config.PORT, hostname: host, serverOptions }
    const server = serve(listen, (info: AddressInfo) => {
      server.off('error', reject)
      let closing: Promise<void> | undefined
      const close = (): Promise<void> =>
        (closing ??= new Promise<void>((done) => {
          const force = setTimeout(
            () => 'closeAllConnections' in server && server.closeAllConnections(),
            CLOSE_GRACE_MS,
          )
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
