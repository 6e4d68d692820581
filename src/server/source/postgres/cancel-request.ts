/**
 * PostgreSQL's out-of-band CancelRequest: a 16-byte message on a fresh socket asks the postmaster to
 * interrupt whatever the target backend is running. Unlike `pg_cancel_backend()` it needs no pooled
 * connection, so a saturated pool can still cancel its own queries.
 */
import { connect } from 'node:net'

/** Where to send the request and which backend it is for (from BackendKeyData at connect time). */
export interface CancelTarget {
  readonly host: string
  readonly port: number
  readonly processID: number
  readonly secretKey: number
}

const CANCEL_REQUEST_CODE = 80877102

/** Reads a node-postgres client's backend key; undefined before it has connected. */
export function cancelTargetOf(client: object): CancelTarget | undefined {
  const c = client as { host?: unknown; port?: unknown; processID?: unknown; secretKey?: unknown }
  if (typeof c.host !== 'string' || typeof c.port !== 'number') return undefined
  if (typeof c.processID !== 'number' || typeof c.secretKey !== 'number') return undefined
  return { host: c.host, port: c.port, processID: c.processID, secretKey: c.secretKey }
}

/**
 * Sends the request; resolves once the server has closed the socket, by which time the postmaster has
 * signalled the backend. Whether the running statement was actually interrupted shows on its own connection.
 */
export function sendCancelRequest(target: CancelTarget, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = target.host.startsWith('/')
      ? connect(`${target.host}/.s.PGSQL.${target.port}`)
      : connect(target.port, target.host)
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`cancel request timed out after ${timeoutMs} ms`)))
    socket.once('connect', () => {
      const message = Buffer.alloc(16)
      message.writeInt32BE(16, 0)
      message.writeInt32BE(CANCEL_REQUEST_CODE, 4)
      message.writeInt32BE(target.processID, 8)
      message.writeInt32BE(target.secretKey, 12)
      socket.end(message)
    })
    socket.once('error', reject)
    socket.once('close', (hadError) => {
      if (!hadError) resolve()
    })
    socket.resume()
  })
}

/** A running series of cancel requests for one backend. */
export interface Cancelling {
  /** Stops sending and resolves once every request already sent has been delivered (or has failed). */
  stop(): Promise<void>
}

/**
 * Sends a cancel request now and again every `intervalMs` until stopped. One is not always enough: with the
 * extended protocol the server discards a cancel that lands while it is still between Parse, Bind and
 * Execute (measured: a cancel within ~20-50 ms of a cold connection's statement start was lost), so only a
 * request that arrives once execution runs stops it.
 */
export function startCancelling(target: CancelTarget, intervalMs: number, onError: (err: unknown) => void): Cancelling {
  const sent: Promise<void>[] = []
  const send = (): void => {
    sent.push(sendCancelRequest(target).catch(onError))
  }
  send()
  const timer = setInterval(send, intervalMs)
  return {
    async stop() {
      clearInterval(timer)
      await Promise.all(sent)
    },
  }
}
