/** The options and the public shape of useTraceProgress (kept apart so the composable file stays readable). */
import type { QueryClient } from '@tanstack/vue-query'
import type { ComputedRef, ShallowRef } from 'vue'
import type { LineageResponse } from '../../shared/responses.ts'
import type { JobRequest } from '../../shared/schemas.ts'
import type { FrameCanceller, FrameScheduler } from './frame-batcher.ts'
import type { RowStore, FailedDomain } from '../rows/index.ts'
import type { RunMode, RunPath } from './run-path.ts'
import type { JobProgressView, RunStatus, SeedOutcome, StageErrors, TraceStage } from './trace-stages.ts'

export interface UseTraceProgressOptions {
  /** Default: the app's client (VueQueryPlugin). */
  readonly queryClient?: QueryClient
  /** Default: globalThis.fetch. */
  readonly fetch?: typeof fetch
  /** Base for API paths. Default: the page's location. */
  readonly baseUrl?: string
  /** Timeout of each HTTP request (not of the stream body). Default 30 000 ms. */
  readonly requestTimeoutMs?: number
  /** Give up following a job after this long (POLL_TIMEOUT). Default 40 min (the server's job limit is 30). */
  readonly timeoutMs?: number
  /** First status poll interval. Default 500 ms. */
  readonly pollIntervalMs?: number
  /** Longest status poll interval. Default 5000 ms. */
  readonly pollMaxIntervalMs?: number
  /** Stream reconnects in a row without progress before STREAM_DROPPED (see resumeWindowMs). Default 5. */
  readonly maxResumes?: number
  /** Wait before reconnect n is n times this (at most five times). Default 1000 ms. */
  readonly resumeDelayMs?: number
  /** Reconnects go on past maxResumes until no stream line arrived for this long (a server restart). Default 60 s. */
  readonly resumeWindowMs?: number
  /** `auto` mode: the staged path for at most this many exact ids. Default 20. */
  readonly stagedMaxTokens?: number
  /** Frame scheduling for the version counter. Default requestAnimationFrame. */
  readonly scheduleFrame?: FrameScheduler
  readonly cancelFrame?: FrameCanceller
}

/** A read-only shallow ref. */
export type Ro<T> = Readonly<ShallowRef<T>>

export interface TraceProgress {
  readonly currentStage: Ro<TraceStage | null>
  readonly completedStages: Ro<readonly TraceStage[]>
  readonly isRunning: ComputedRef<boolean>
  readonly runStatus: Ro<RunStatus>
  readonly stageErrors: Ro<StageErrors>
  /** Job status as last polled (null on the staged path until a job exists). */
  readonly progress: Ro<JobProgressView | null>
  readonly jobId: Ro<string | null>
  readonly path: Ro<RunPath | null>
  readonly seeds: Ro<SeedOutcome | null>
  /** The genealogy (staged path only; a job keeps its own: see useLineageData). */
  readonly lineage: Ro<LineageResponse | null>
  readonly aggregation: Ro<unknown>
  /** Domains the server could not (fully) fetch. */
  readonly warnings: Ro<readonly FailedDomain[]>
  /** Rows in the store, updated with `version`. */
  readonly rowsReceived: Ro<number>
  /** Bumped (at most once per frame) when rows arrive. */
  readonly version: Ro<number>
  /** Stream reconnects so far. */
  readonly resumes: Ro<number>
  readonly startedAt: Ro<number | null>
  readonly finishedAt: Ro<number | null>
  /** The query a followed job answers, as its status tells it (whole-trace jobs with a small input). */
  readonly jobRequest: Ro<JobRequest | null>
  /** When the data was read: the job's start on the server, or the staged run's start (ISO 8601). */
  readonly readAt: Ro<string | null>
  /** The rows, per domain (not reactive: read it when `version` changes). */
  readonly store: RowStore
  /** Starts a trace (stopping any current one without cancelling its job). */
  execute(request: JobRequest, options?: { mode?: RunMode }): Promise<void>
  /** Follows an existing job (URL, recent jobs) from its first row. */
  attach(jobId: string): void
  /** Stops the run and cancels its job on the server (DELETE). */
  cancel(): Promise<void>
  /** Stops following (the job keeps running on the server) and clears everything. */
  reset(): void
}
