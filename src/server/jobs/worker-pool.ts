/**
 * The embedded supervisor's worker processes: TRACE_WORKER_CONCURRENCY forked Node processes (compiled, or
 * through tsx when the server runs TypeScript; heap capped at TRACE_WORKER_MAX_HEAP_MB), each running one job
 * at a time. A worker that dies is replaced; one that cannot even start backs off, and while every slot is
 * backing off the pool is unavailable, so the service refuses submissions instead of queueing jobs nobody
 * will run.
 */
import { fork, type ChildProcess } from 'node:child_process'
import type { JobStatus } from '../../shared/responses.ts'
import type { Config } from '../config.ts'
import { log } from '../logger.ts'
import { configEnv } from './config-env.ts'
import { describeExit } from './exit-reason.ts'
import { loaderFlags } from './worker-entry.ts'
import { EMBEDDED_WORKER_ENV, isFromWorker, type ToWorker } from './worker-protocol.ts'

export type WorkerState = 'starting' | 'idle' | 'busy' | 'backoff' | 'stopped'

/** Why the supervisor killed a worker, so its job is recorded as cancelled or timed out, not as a crash. */
export type KillReason = 'cancel' | 'timeout'

/** A worker as tests and /api/health see it. */
export interface WorkerInfo {
  readonly pid: number | undefined
  readonly state: WorkerState
  readonly job_id: string | undefined
}

export interface WorkerPoolHooks {
  /** A worker is free: hand it the next queued job. */
  onIdle(): void
  /** A worker reported the end of its job (status null: it refused or lost the job). */
  onDone(jobId: string, status: JobStatus | null): void
  /** A worker died while running `jobId`; `killReason` is set when the supervisor killed it. */
  onJobLost(jobId: string, why: string, killReason: KillReason | undefined): Promise<void>
  /** Every slot failed to start and is backing off. */
  onUnavailable(): void
}

export interface WorkerPoolOptions {
  readonly config: Config
  /** The worker module to fork (worker-main.js, or .ts under tsx: see worker-entry.ts). */
  readonly entry: string
  readonly hooks: WorkerPoolHooks
}

/** Start failures in a row after which a slot no longer counts as available. */
const MAX_START_FAILURES = 3
/** A worker that has not reported ready within this time is killed and counted as a start failure. */
const READY_TIMEOUT_MS = 30_000
/** How long a worker may take to exit after `shutdown` before it is killed. */
const SHUTDOWN_GRACE_MS = 5_000
const MAX_BACKOFF_MS = 30_000

interface Slot {
  state: WorkerState
  child: ChildProcess | undefined
  jobId: string | undefined
  killReason: KillReason | undefined
  startFailures: number
  retryAt: number
  timer: NodeJS.Timeout | undefined
  exited: Promise<void>
}

/** The pool; `start()` forks the workers. */
export class WorkerPool {
  readonly #options: WorkerPoolOptions
  readonly #slots: Slot[]
  #started = false
  #closing = false

  constructor(options: WorkerPoolOptions) {
    this.#options = options
    this.#slots = Array.from({ length: options.config.TRACE_WORKER_CONCURRENCY }, () => ({
      state: 'stopped' as WorkerState,
      child: undefined,
      jobId: undefined,
      killReason: undefined,
      startFailures: 0,
      retryAt: 0,
      timer: undefined,
      exited: Promise.resolve(),
    }))
  }

  /** Forks every worker; refuses to run twice. */
  start(): void {
    if (this.#started) throw new Error('worker pool already started')
    this.#started = true
    for (const slot of this.#slots) this.#spawn(slot)
  }

  /** True while some slot is running, starting, or has not yet failed to start too often. */
  available(): boolean {
    return !this.#closing && this.#slots.some((s) => s.state !== 'stopped' && s.startFailures < MAX_START_FAILURES)
  }

  /** Seconds until a backing-off slot tries again (for Retry-After). */
  retryAfterSeconds(): number {
    const next = Math.min(...this.#slots.map((s) => (s.state === 'backoff' ? s.retryAt : Date.now() + 5_000)))
    return Math.max(1, Math.ceil((next - Date.now()) / 1000))
  }

  hasIdle(): boolean {
    return this.#slots.some((s) => s.state === 'idle')
  }

  /** Gives `jobId` to an idle worker; false when none is idle. */
  run(jobId: string): boolean {
    const slot = this.#slots.find((s) => s.state === 'idle')
    if (!slot) return false
    slot.state = 'busy'
    slot.jobId = jobId
    this.#send(slot, { type: 'run', job_id: jobId })
    return true
  }

  /** Whether a worker is running `jobId`. */
  isRunning(jobId: string): boolean {
    return this.#slots.some((s) => s.jobId === jobId)
  }

  /** Asks the worker running `jobId` to stop it (it deletes the chunks and records `cancelled`). */
  cancel(jobId: string): void {
    const slot = this.#slots.find((s) => s.jobId === jobId)
    if (slot) this.#send(slot, { type: 'cancel', job_id: jobId })
  }

  /** Kills the worker running `jobId`; resolves once its death has been handled (job recorded, worker replaced). */
  async kill(jobId: string, reason: KillReason): Promise<void> {
    const slot = this.#slots.find((s) => s.jobId === jobId)
    if (!slot?.child) return
    slot.killReason = reason
    slot.child.kill('SIGKILL')
    await slot.exited
  }

  workers(): WorkerInfo[] {
    return this.#slots.map((s) => ({ pid: s.child?.pid, state: s.state, job_id: s.jobId }))
  }

  /** Asks every worker to shut down, kills those that do not; safe to call twice. */
  async close(): Promise<void> {
    this.#closing = true
    await Promise.all(
      this.#slots.map(async (slot) => {
        if (slot.timer) clearTimeout(slot.timer)
        const child = slot.child
        if (!child) {
          slot.state = 'stopped'
          return
        }
        this.#send(slot, { type: 'shutdown' })
        const killer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_GRACE_MS)
        await slot.exited
        clearTimeout(killer)
      }),
    )
  }

  #send(slot: Slot, msg: ToWorker): void {
    try {
      if (slot.child?.connected) slot.child.send(msg)
    } catch (err) {
      // The exit handler deals with a worker whose channel just closed.
      log.warn('message to worker not delivered', { pid: slot.child?.pid, type: msg.type, error: String(err) })
    }
  }

  #spawn(slot: Slot): void {
    if (this.#closing) return
    const { config, entry } = this.#options
    const child = fork(entry, [], {
      // 4 MB semi-spaces instead of V8's 16 MB: measured on bench:job (tenth size), worker peak RSS 170 -> 145
      // MB for 15 % more CPU; 2 MB (as the web process uses) saved 10 MB more for 35 % more CPU.
      execArgv: [
        ...loaderFlags(entry),
        '--max-semi-space-size=4',
        `--max-old-space-size=${config.TRACE_WORKER_MAX_HEAP_MB}`,
      ],
      // glibc gives each thread that allocates (the SQLite threads) its own malloc arena, up to 8 per core, and
      // freed batches stay committed in them; two arenas measured 4-10 MB less worker RSS per stage (114k bench).
      env: { MALLOC_ARENA_MAX: '2', ...process.env, ...configEnv(config), [EMBEDDED_WORKER_ENV]: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    })
    slot.child = child
    slot.state = 'starting'
    slot.timer = setTimeout(() => {
      log.error('trace worker did not become ready', { pid: child.pid, ms: READY_TIMEOUT_MS })
      child.kill('SIGKILL')
    }, READY_TIMEOUT_MS)
    child.on('message', (msg: unknown) => {
      if (!isFromWorker(msg) || slot.child !== child) return
      if (msg.type === 'ready') {
        if (slot.timer) clearTimeout(slot.timer)
        slot.timer = undefined
        slot.startFailures = 0
        slot.state = 'idle'
        this.#options.hooks.onIdle()
      } else if (slot.jobId === msg.job_id) {
        slot.jobId = undefined
        slot.state = 'idle'
        this.#options.hooks.onDone(msg.job_id, msg.status)
        this.#options.hooks.onIdle()
      }
    })
    let onExit: (code: number | null, signal: NodeJS.Signals | null) => void = () => undefined
    slot.exited = new Promise<void>((resolve) => {
      onExit = (code, signal) => void this.#onExit(slot, child, code, signal).finally(resolve)
    })
    child.once('exit', onExit)
    child.once('error', (err) => {
      log.error('trace worker could not be started', { error: err.message })
      // Without a pid no `exit` event follows: handle the failed spawn as an exit here.
      if (child.pid === undefined) onExit(null, null)
    })
  }

  async #onExit(slot: Slot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    if (slot.child !== child) return
    if (slot.timer) clearTimeout(slot.timer)
    slot.timer = undefined
    const { jobId, killReason } = slot
    const wasStarting = slot.state === 'starting'
    slot.child = undefined
    slot.jobId = undefined
    slot.killReason = undefined
    slot.state = 'stopped'
    const how = describeExit(code, signal, this.#options.config.TRACE_WORKER_MAX_HEAP_MB)
    if (this.#closing) return
    log[jobId && !killReason ? 'error' : 'warn']('trace worker exited', { pid: child.pid, how, job_id: jobId })
    // The replacement starts before the lost job is recorded: that takes a while (its chunks are deleted), and
    // a slot left `stopped` meanwhile makes a one-worker pool unavailable, so submissions would get 503.
    if (wasStarting) this.#backOff(slot)
    else this.#spawn(slot)
    if (!jobId) return
    try {
      await this.#options.hooks.onJobLost(
        jobId,
        `the worker process (pid ${child.pid}) ${how} while running the job`,
        killReason,
      )
    } catch (err) {
      log.error('lost job not recorded', { job_id: jobId, error: String(err) })
    }
  }

  /** Schedules the next start of a slot whose worker failed to start. */
  #backOff(slot: Slot): void {
    slot.startFailures += 1
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (slot.startFailures - 1))
    slot.state = 'backoff'
    slot.retryAt = Date.now() + delay
    slot.timer = setTimeout(() => {
      slot.timer = undefined
      this.#spawn(slot)
    }, delay)
    if (!this.available()) this.#options.hooks.onUnavailable()
  }
}
