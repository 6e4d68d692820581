/**
 * Real processes around the real Redis for the scale-out tests: `npm run worker` processes (worker-main.ts)
 * and web processes (web-process.ts), all configured through the environment like on a plant's hosts, each
 * test on its own REDIS_KEY_PREFIX and queue so tests sharing the Redis server never see each other's jobs.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import { Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import type { JobAccepted, JobStatusResponse } from '../../../src/shared/responses.ts'
import { loadConfig, type Config } from '../../../src/server/config.ts'
import { configEnv } from '../../../src/server/jobs/config-env.ts'
import { TEST_REDIS_URL } from '../../helpers/services.ts'
import { waitUntil } from '../jobs/job-harness.ts'

/** Small chunks and short locks: a fixture job spans many chunks, and a killed worker is noticed in seconds. */
const SCALE_OUT_ENV: Record<string, string> = {
  // Test jobs run for a fraction of a second: progress saved every 500 ms would show them only queued or done.
  TRACE_JOB_PROGRESS_INTERVAL_MS: '20',
  TRACE_STREAM_BATCH_SIZE: '50',
  TRACE_IN_BATCH_SIZE: '1',
  DB_SLOW_FETCHMANY_SIZE: '10',
  DB_POOL_SIZE: '1',
  TRACE_WORKER_LOCK_MS: '5000',
  TRACE_WORKER_STALLED_INTERVAL_MS: '2000',
  RATE_LIMIT_JOBS: '1000',
  LOG_LEVEL: 'error',
}

/** A unique key prefix and queue for one test file. */
export interface Namespace {
  readonly prefix: string
  readonly queue: string
}

/** A fresh namespace: `mes-trace-test-<random>` and `<what>-<random>`. */
export function namespace(what: string): Namespace {
  const tag = randomBytes(4).toString('hex')
  return { prefix: `mes-trace-test-${tag}`, queue: `${what}-${tag}` }
}

/** The configuration every process of a test shares (env names; `env` overrides the quick defaults). */
export function scaleOutConfig(ns: Namespace, env: Record<string, string>): Config {
  return loadConfig({
    ...SCALE_OUT_ENV,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: ns.prefix,
    TRACE_WORKER_QUEUE: ns.queue,
    ...env,
  })
}

/** Every child a test started, so afterAll can stop what a failed test left running. */
export class Processes {
  readonly #children: ChildProcess[] = []

  /** `npm run worker`: node --import tsx src/server/jobs/worker-main.ts with the configuration as environment. */
  worker(config: Config): ChildProcess {
    return this.#spawn(['src/server/jobs/worker-main.ts'], config, 'ignore')
  }

  /** A web process; resolves once it listens (on `port` when given, else on any free port). */
  async web(config: Config, port?: number): Promise<WebProcess> {
    const child = this.#spawn(
      ['test/server/scale-out/web-process.ts'],
      config,
      'pipe',
      port ? { WEB_PROCESS_PORT: String(port) } : {},
    )
    if (!child.stdout) throw new Error('web process has no stdout')
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith('{')) {
        const { url, pid } = JSON.parse(line) as { url: string; pid: number }
        return { url, pid, child }
      }
    }
    throw new Error(`web process exited before listening (code ${child.exitCode})`)
  }

  /** Kills whatever is still running. */
  async killAll(): Promise<void> {
    await Promise.all(this.#children.map((c) => stopProcess(c, 'SIGKILL')))
  }

  #spawn(
    args: string[],
    config: Config,
    stdout: 'ignore' | 'pipe',
    extraEnv: Record<string, string> = {},
  ): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      env: { ...process.env, ...configEnv(config), ...extraEnv },
      stdio: ['ignore', stdout, 'inherit'],
    })
    this.#children.push(child)
    return child
  }
}

/** A running web process. */
export interface WebProcess {
  readonly url: string
  readonly pid: number
  readonly child: ChildProcess
}

/** Sends `signal` and resolves once the process has exited. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill(signal)
  await exited
}

/** Workers connected to the test's queue, as BullMQ counts them (its client names in CLIENT LIST). */
export async function queueWorkers(config: Config): Promise<number> {
  // skipMetasUpdate: an inspecting queue must not rewrite the queue's options (the events stream cap).
  const queue = new Queue(config.TRACE_WORKER_QUEUE, {
    connection: { url: config.REDIS_URL },
    prefix: `${config.REDIS_KEY_PREFIX}:bull`,
    skipMetasUpdate: true,
  })
  try {
    return await queue.getWorkersCount()
  } finally {
    await queue.close()
  }
}

/** Waits until `n` workers consume the queue (a worker process takes a few seconds to load and connect). */
export function waitForWorkers(config: Config, n: number): Promise<void> {
  return waitUntil(
    async () => (await queueWorkers(config)) >= n,
    60_000,
    `${n} workers on ${config.TRACE_WORKER_QUEUE}`,
  )
}

/** Deletes every key under the prefix. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    cursor = next
    if (keys.length) await redis.del(...keys)
  } while (cursor !== '0')
}

/** POSTs a job to a web process; returns the 202 body. */
export async function submitJob(url: string, body: Record<string, unknown>): Promise<JobAccepted> {
  const res = await fetch(`${url}/api/trace/jobs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (res.status !== 202) throw new Error(`submit answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as JobAccepted
}

/** GET /api/trace/job/<id> from a web process. */
export async function jobStatus(url: string, jobId: string): Promise<JobStatusResponse> {
  const res = await fetch(`${url}/api/trace/job/${jobId}`)
  if (res.status !== 200) throw new Error(`status answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as JobStatusResponse
}

/** Polls a web process until the job's status satisfies `done`; returns that status. */
export async function waitForJob(
  url: string,
  jobId: string,
  done: (s: JobStatusResponse) => boolean,
  timeoutMs = 90_000,
): Promise<JobStatusResponse> {
  let last: JobStatusResponse | undefined
  await waitUntil(
    async () => done((last = await jobStatus(url, jobId))),
    timeoutMs,
    `job ${jobId} (last: ${last?.status})`,
  )
  return last as JobStatusResponse
}
