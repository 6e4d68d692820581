/**
 * A Redis server of the test's own (the same redis-server binary CI runs), for measurements that must not
 * see other tests: INFO memory counts every key and client of the whole server, and test files run in
 * parallel against the shared one. Without the binary the suite is skipped loudly, and fails in CI.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'
import { waitUntil } from '../jobs/job-harness.ts'

/** A running private server. */
export interface PrivateRedis {
  readonly url: string
  readonly port: number
  /** Stops the server (SIGTERM, nothing persisted). */
  stop(): Promise<void>
}

/** Resolves true when the suite must be skipped (no redis-server here, outside CI); throws in CI. */
export async function requireRedisServerBinary(): Promise<boolean> {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' })
  if (probe.status === 0) return false
  const message = `redis-server is not installed (${probe.error?.message ?? probe.stderr})`
  if (process.env.CI === 'true') throw new Error(`${message}: CI must provide it (see .ci/run)`)
  console.warn(`\n!!!!! ${message}: SKIPPING the tests that need a private Redis !!!!!\n`)
  return true
}

/**
 * Starts redis-server on `port` (default a free loopback port; the same port again restarts a stopped server),
 * without persistence; resolves once it answers PING.
 */
export async function startPrivateRedis(port?: number): Promise<PrivateRedis> {
  port ??= await freePort()
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  )
  const url = `redis://127.0.0.1:${port}`
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  client.on('error', () => {})
  try {
    await waitUntil(
      async () => {
        try {
          if (client.status !== 'ready') await client.connect()
          return (await client.ping()) === 'PONG'
        } catch {
          client.disconnect()
          return false
        }
      },
      15_000,
      `redis-server on port ${port}`,
    )
  } finally {
    client.disconnect()
  }
  return {
    url,
    port,
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
    },
  }
}

/** A loopback port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as { port: number }
  await new Promise((r) => server.close(r))
  return port
}
