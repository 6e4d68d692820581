/**
 * Which external services the tests can reach. Suites that need PostgreSQL or Redis ask here once at the top
 * of the file: on a developer machine without the service they are skipped with a loud warning; in CI
 * (CI=true), where .ci/run starts both services, an unreachable service fails the run instead.
 */
import { Redis } from 'ioredis'
import pg from 'pg'

/** PostgreSQL the tests use; TEST_DATABASE_URL overrides. */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** Redis the tests use; TEST_REDIS_URL overrides. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/**
 * Oracle the contract suite runs against, as `user/password@host:port/service` (the user creates and drops a
 * throw-away schema per fixture, e.g. SYSTEM of a disposable Oracle Free container); unset, the Oracle tests
 * are skipped. No CI here has an Oracle server.
 */
export const TEST_ORACLE_URL = process.env.TEST_ORACLE_URL

/**
 * True when the Oracle tests must be skipped: TEST_ORACLE_URL is unset (in CI too). Says so loudly, so a skip is
 * never mistaken for a pass.
 */
export function requireOracle(): boolean {
  if (TEST_ORACLE_URL !== undefined && TEST_ORACLE_URL !== '') return false
  console.warn(
    '\n!!!!! TEST_ORACLE_URL is not set: SKIPPING the Oracle runs of the contract suite ' +
      '(nothing about Oracle was verified) !!!!!\n',
  )
  return true
}

const probes = new Map<string, Promise<string | undefined>>()

/**
 * Resolves `true` when the suite must be skipped (PostgreSQL unreachable outside CI) and `false` when it can
 * run; throws in CI. Use as `describe.skipIf(await requirePostgres())(…)`.
 */
export function requirePostgres(url: string = TEST_POSTGRES_URL): Promise<boolean> {
  return decide('PostgreSQL', url, () => probePostgres(url))
}

/** Same as requirePostgres, for Redis. */
export function requireRedis(url: string = TEST_REDIS_URL): Promise<boolean> {
  return decide('Redis', url, () => probeRedis(url))
}

async function decide(service: string, url: string, probe: () => Promise<string | undefined>): Promise<boolean> {
  const key = `${service} ${url}`
  let result = probes.get(key)
  if (result === undefined) {
    result = probe()
    probes.set(key, result)
  }
  const failure = await result
  if (failure === undefined) return false
  const message = `${service} at ${url} is unreachable (${failure})`
  if (process.env.CI === 'true') throw new Error(`${message}: CI must start it (see .ci/run)`)
  console.warn(`\n!!!!! ${message}: SKIPPING the tests that need it !!!!!\n`)
  return true
}

/** Resolves an error description, or undefined when `SELECT 1` answered. */
async function probePostgres(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('SELECT 1')
    return undefined
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  } finally {
    await client.end().catch(() => {})
  }
}

async function probeRedis(url: string): Promise<string | undefined> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  redis.on('error', () => {})
  try {
    await redis.connect()
    await redis.ping()
    return undefined
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  } finally {
    redis.disconnect()
  }
}
