/**
 * Runtime configuration, read once from environment variables. Every variable and its default is listed
 * (with what it does) in .env.example; keep the two in step.
 */
import { z } from 'zod'

const int = (def: number) => z.coerce.number().int().positive().default(def)
const optionalString = z.string().trim().min(1).optional().catch(undefined)
/** A comma-separated list, trimmed, empty entries dropped; unset is the empty list. */
const list = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  )

const envSchema = z.object({
  PORT: int(8787),
  HOST: z.string().default('127.0.0.1'),
  MES_DB_PATH: z.string().default('data/demo-mes.sqlite'),
  MES_DATABASE_URL: optionalString,
  MES_ORACLE_URL: optionalString,
  MES_ORACLE_USER: optionalString,
  // Not trimmed: a password may begin or end with a space.
  MES_ORACLE_PASSWORD: z.string().min(1).optional().catch(undefined),
  MES_SCHEMA: z.string().trim().min(1).default('DWH'),
  DB_SLOW_FETCHMANY_SIZE: int(5000),
  TRACE_IN_BATCH_SIZE: int(1000),
  DB_POOL_SIZE: int(4),
  DB_SLOW_CALL_TIMEOUT_MS: int(300_000),
  DB_SLOW_MAX_CONCURRENT: int(2),
  TRACE_EVENTS_CID_LIMIT: int(50_000),
  TRACE_ASYNC_CID_THRESHOLD: int(20_000),
  MAX_JSON_BODY_BYTES: int(8 * 1024 * 1024),
  RATE_LIMIT_WINDOW_SECONDS: int(60),
  RATE_LIMIT_SEED_RESOLVE: int(120),
  RATE_LIMIT_LINEAGE: int(60),
  RATE_LIMIT_EVENTS: int(60),
  RATE_LIMIT_JOBS: int(30),
  TRUST_PROXY: z.stringbool().default(false),
  /** GET /api/trace/job/... per client per window (status polls, streams, pages, exports). */
  RATE_LIMIT_JOB_READS: int(600),
  /** DELETE /api/trace/job/<id> per client per window. */
  RATE_LIMIT_JOB_CANCEL: int(30),
  /** Host names answered (DNS rebinding); empty: loopback names plus HOST. */
  ALLOWED_HOSTS: list,
  /** Header carrying the user name set by the trusted reverse proxy (e.g. X-Remote-User); unset: no proxy auth. */
  AUTH_PROXY_USER_HEADER: optionalString,
  /** Addresses or CIDR ranges the proxy user header is believed from. */
  AUTH_TRUSTED_PROXIES: list,
  /** `<user>:<token>` pairs for `Authorization: Bearer`. */
  AUTH_TOKENS: list,
  /** Users who see health details and may cancel any job. */
  AUTH_ADMIN_USERS: list,
  /** Serve anonymously on a non-loopback HOST anyway (default false: refuse to start). */
  ALLOW_UNAUTHENTICATED_REMOTE: z.stringbool().default(false),
  /** Node's headersTimeout: time to receive the request headers. */
  HTTP_HEADERS_TIMEOUT_MS: int(10_000),
  /** Node's requestTimeout: time to receive the whole request; not the response. */
  HTTP_REQUEST_TIMEOUT_MS: int(30_000),
  /** Node's keepAliveTimeout: how long an idle keep-alive connection stays open. */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int(5_000),
  /** Time limit of a synchronous seed-resolve request (504 SEED_RESOLVE_TIMEOUT). */
  SEED_RESOLVE_TIMEOUT_SECONDS: int(60),
  /** Most wildcard values per seed request (400 with `limit`). */
  SEED_MAX_PATTERN_TOKENS: int(20),
  /** Longest typed value in characters (400 with `limit`). */
  SEED_MAX_TOKEN_LENGTH: int(128),
  /** Time limit of a synchronous events stream. */
  EVENTS_TIMEOUT_SECONDS: int(600),
  LINEAGE_TIMEOUT_SECONDS: int(180),
  LINEAGE_MAX_DEPTH: int(20),
  SEED_PATTERN_MAX_MATCHES: int(50_000),
  TRACE_WORKER_CONCURRENCY: int(1),
  TRACE_WORKER_MAX_HEAP_MB: int(512),
  REDIS_URL: optionalString,
  REDIS_KEY_PREFIX: z.string().default('mes-trace'),
  TRACE_WORKER_QUEUE: z.string().default('trace-events'),
  TRACE_JOB_TIMEOUT_SECONDS: int(1800),
  TRACE_JOB_TTL_SECONDS: int(3600),
  TRACE_JOB_PROGRESS_INTERVAL_MS: int(500),
  TRACE_JOB_ATTEMPTS: int(2),
  /**
   * Most detection lots a defect investigation analyses (its memory grows with them: about 5 KB a lot at
   * incident scale); a wider date range still streams every row, with the analysis left out and said so.
   */
  TRACE_DEFECT_ANALYSIS_MAX_LOTS: int(20_000),
  /** Largest family whose full genealogy a whole-trace job keeps for the lineage view (bigger: counts only). */
  TRACE_JOB_LINEAGE_MAX_NODES: int(10_000),
  /** How long GET /api/trace/msd-options keeps its answer (two DISTINCT scans of large tables). */
  TRACE_MSD_OPTIONS_TTL_SECONDS: int(300),
  TRACE_WORKER_LOCK_MS: int(30_000),
  TRACE_WORKER_STALLED_INTERVAL_MS: int(30_000),
  TRACE_RESULT_DIR: z.string().default('data/results'),
  TRACE_JOB_DIR: z.string().default('data/jobs'),
  TRACE_STREAM_BATCH_SIZE: int(5000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
})

export type Config = Readonly<z.infer<typeof envSchema>>

/** Parses configuration from an environment (default: process.env); throws naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const r = envSchema.safeParse(env)
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`invalid configuration: ${issues}`)
  }
  return Object.freeze(r.data)
}
