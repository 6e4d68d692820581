/**
 * An embedded job system around a fixture database, in temp directories, with the job routes mounted the
 * way the app mounts them, plus the helpers job tests share (NDJSON reading, status polling).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hono } from 'hono'
import type { Redis } from 'ioredis'
import type { StreamLine } from '../../../src/shared/ndjson-lines.ts'
import type { JobAccepted, JobStatusResponse } from '../../../src/shared/responses.ts'
import { createApp } from '../../../src/server/app.ts'
import { loadConfig, type Config } from '../../../src/server/config.ts'
import { createEmbeddedJobService, type EmbeddedJobService } from '../../../src/server/jobs/embedded-job-service.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import type { MesSource } from '../../../src/server/source/mes-source.ts'
import { createSqliteSource } from '../../../src/server/source/sqlite/sqlite-source.ts'
import { createFixtureDb } from '../../helpers/fixture-db.ts'
import { FIXTURE_WORK_ORDER, jobFixtureRows } from './job-fixture.ts'

export interface HarnessOptions {
  readonly lots: number
  readonly historyPerLot: number
  /** Configuration overrides (env names). */
  readonly env?: Record<string, string>
  /** Passed to createEmbeddedJobService. */
  readonly workerEntry?: string
}

export interface JobHarness {
  readonly config: Config
  readonly dir: string
  readonly source: MesSource
  readonly jobs: EmbeddedJobService
  readonly app: Hono
  /** Starts another job service on the same directories (a restarted server); the caller closes it. */
  restart(): Promise<EmbeddedJobService>
  close(): Promise<void>
}

/** Quick defaults: small chunks so a small fixture spans several, short TTL and poll-friendly timings. */
const DEFAULT_ENV: Record<string, string> = {
  // Test jobs run for a fraction of a second: progress saved every 500 ms would show them only queued or done.
  TRACE_JOB_PROGRESS_INTERVAL_MS: '20',
  TRACE_STREAM_BATCH_SIZE: '50',
  TRACE_IN_BATCH_SIZE: '25',
  DB_SLOW_FETCHMANY_SIZE: '40',
  DB_POOL_SIZE: '1',
  TRACE_WORKER_CONCURRENCY: '1',
  TRACE_WORKER_MAX_HEAP_MB: '256',
  RATE_LIMIT_JOBS: '1000',
  RATE_LIMIT_EVENTS: '1000',
  LOG_LEVEL: 'error',
}

/** Builds the fixture and starts the job system; workers are ready when this resolves. */
export async function startJobHarness(options: HarnessOptions): Promise<JobHarness> {
  setLogLevel('error')
  const dir = mkdtempSync(join(tmpdir(), 'mes-jobs-'))
  const dbPath = createFixtureDb(jobFixtureRows(options.lots, options.historyPerLot))
  const config = loadConfig({
    ...DEFAULT_ENV,
    MES_DB_PATH: dbPath,
    TRACE_JOB_DIR: join(dir, 'jobs'),
    TRACE_RESULT_DIR: join(dir, 'results'),
    ...options.env,
  })
  const source = createSqliteSource(dbPath, config)
  const jobs = await createEmbeddedJobService(config, { workerEntry: options.workerEntry })
  const app = createApp({ config, source, jobs, staticRoot: join(dir, 'no-client') })
  await waitUntil(() => jobs.workers().every((w) => w.state === 'idle' || w.state === 'backoff'), 60_000)
  return {
    config,
    dir,
    source,
    jobs,
    app,
    restart: () => createEmbeddedJobService(config),
    async close() {
      await jobs.close()
      await source.close()
      rmSync(dir, { recursive: true, force: true })
      rmSync(join(dbPath, '..'), { recursive: true, force: true })
    },
  }
}

/** Polls `check` every `intervalMs` (default 50) until it is true; throws after `timeoutMs`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  what = 'condition',
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

/**
 * Waits until a job on Redis has written more than `chunks` result chunks, watching the keys themselves: its
 * progress record is saved every 500 ms, and on a fast machine a test job's events stage is over sooner.
 */
export function waitForChunkKeys(redis: Pick<Redis, 'keys'>, prefix: string, jobId: string, chunks = 2): Promise<void> {
  return waitUntil(
    async () => (await redis.keys(`${prefix}:trace:job:${jobId}:result:*:*`)).length > chunks,
    60_000,
    `job ${jobId} to write ${chunks + 1} chunks`,
    5,
  )
}

/** The body of a whole-trace job over every fixture lot. */
export function wholeTraceBody(
  domains: readonly string[] = ['history', 'materials', 'rejects'],
): Record<string, unknown> {
  return { profile: 'query_tool', params: { input_type: 'work_order', values: [FIXTURE_WORK_ORDER] }, domains }
}

/** POSTs a whole-trace job and returns the 202 body. */
export async function submitTrace(app: Hono, body: Record<string, unknown> = wholeTraceBody()): Promise<JobAccepted> {
  const res = await app.request('/api/trace/jobs', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (res.status !== 202) throw new Error(`submit answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as JobAccepted
}

/** GET /api/trace/job/<id>. */
export async function getStatus(app: Hono, jobId: string): Promise<JobStatusResponse> {
  const res = await app.request(`/api/trace/job/${jobId}`)
  if (res.status !== 200) throw new Error(`status answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as JobStatusResponse
}

/** Polls the status until `done(status)`; returns that status. */
export async function waitForStatus(
  app: Hono,
  jobId: string,
  done: (s: JobStatusResponse) => boolean,
  timeoutMs = 60_000,
): Promise<JobStatusResponse> {
  let last: JobStatusResponse | undefined
  await waitUntil(
    async () => done((last = await getStatus(app, jobId))),
    timeoutMs,
    `job ${jobId} (last: ${JSON.stringify(last?.status)})`,
  )
  return last as JobStatusResponse
}

/** Reads an NDJSON body to the end, line by line. */
export async function readNdjson(res: Response): Promise<StreamLine[]> {
  const lines: StreamLine[] = []
  for await (const line of ndjsonLines(res)) lines.push(line)
  return lines
}

/** Yields an NDJSON body's lines as they arrive; breaking out cancels the body. */
export async function* ndjsonLines(res: Response): AsyncGenerator<StreamLine> {
  if (!res.body) return
  const reader = res.body.getReader()
  const decoder = new TextDecoder()
  let buffered = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      buffered += decoder.decode(value, { stream: true })
      let nl: number
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const text = buffered.slice(0, nl)
        buffered = buffered.slice(nl + 1)
        if (text.trim()) yield JSON.parse(text) as StreamLine
      }
    }
    if (buffered.trim()) yield JSON.parse(buffered) as StreamLine
  } finally {
    await reader.cancel().catch(() => undefined)
  }
}
