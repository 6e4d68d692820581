/**
 * The state of the page's one trace run and the verbs that move it (advance a stage, succeed, fail, end), shared
 * by the two ways a run goes: the staged calls (staged-run.ts) and following a job (job-follow.ts). Every verb
 * takes the run it acts for and does nothing once that run is no longer the live one, so a late answer of an
 * older run never touches the state.
 */
import { shallowRef, type ShallowRef } from 'vue'
import type { StageError } from '../api/index.ts'
import { RowStore, StreamIngest } from '../rows/index.ts'
import { createFrameBatcher, type FrameCanceller, type FrameScheduler } from './frame-batcher.ts'
import type { TraceProgress } from './trace-progress-types.ts'
import {
  NO_STAGE_ERRORS,
  TRACE_STAGES,
  stageErrorKey,
  stagesBefore,
  type RunStatus,
  type TraceStage,
} from './trace-stages.ts'

/** One run: its abort, its stream ingest, the job it follows (if any) and that job's give-up timer. */
export interface Run {
  readonly id: number
  readonly controller: AbortController
  readonly ingest: StreamIngest
  jobId: string | null
  timer: ReturnType<typeof setTimeout> | null
}

/** The run's state that TraceProgress shows read-only, writable here (see TraceProgress for each field). */
type RunStateKey = Exclude<keyof TraceProgress, 'isRunning' | 'store' | 'execute' | 'attach' | 'cancel' | 'reset'>
type Unwrapped<R> = R extends Readonly<ShallowRef<infer T>> ? T : never
export type RunState = { readonly [K in RunStateKey]: ShallowRef<Unwrapped<TraceProgress[K]>> }

/** The run's state and verbs. */
export interface TraceRun {
  readonly state: RunState
  readonly store: RowStore
  /** The live run, if any. */
  current(): Run | null
  /** Changes on every begin and reset: an answer read under an older generation is dropped. */
  generation(): number
  /** True while `r` is the live run and not aborted. */
  live(r: Run): boolean
  /** Starts a new run (stopping and clearing the one before). */
  begin(): Run
  /** Moves the stepper forward to `stage` (never back). */
  advance(stage: TraceStage): void
  /** Asks for the rows to be shown (at most once per frame). */
  showRows(): void
  fail(r: Run, error: StageError, stage?: TraceStage): void
  succeed(r: Run): void
  /** Ends `cancelled`, keeping the rows received. */
  endCancelled(r: Run): void
  /** No seed: the run ends after seed resolution, neither failed nor a finished trace with empty tables. */
  endEmpty(r: Run): void
  /** Ends the run with `status` (stream, timers and the job's poll stopped; every row received shown). */
  stop(r: Run, status: RunStatus): void
  /** Stops any run and clears everything. */
  reset(): void
  /** Stops any run and drops the frame batcher (scope disposal). */
  dispose(): void
}

export interface TraceRunHooks {
  /** Told when a run stops, to stop following its job. */
  readonly onStop: (r: Run) => void
  /** Told when a run that followed a job succeeded: its final status is read once more. */
  readonly onJobSucceeded: (jobId: string) => void
  readonly scheduleFrame?: FrameScheduler
  readonly cancelFrame?: FrameCanceller
}

/** The run state with its verbs; `hooks` connect the job following. */
export function createTraceRun(hooks: TraceRunHooks): TraceRun {
  const store = new RowStore()
  const state: RunState = {
    currentStage: shallowRef(null),
    completedStages: shallowRef([]),
    runStatus: shallowRef('idle'),
    stageErrors: shallowRef(NO_STAGE_ERRORS),
    progress: shallowRef(null),
    jobId: shallowRef(null),
    path: shallowRef(null),
    seeds: shallowRef(null),
    lineage: shallowRef(null),
    aggregation: shallowRef(null),
    warnings: shallowRef([]),
    rowsReceived: shallowRef(0),
    version: shallowRef(0),
    resumes: shallowRef(0),
    startedAt: shallowRef(null),
    finishedAt: shallowRef(null),
    jobRequest: shallowRef(null),
    readAt: shallowRef(null),
  }
  const batcher = createFrameBatcher(
    () => {
      state.rowsReceived.value = store.totalRows()
      state.version.value++
    },
    hooks.scheduleFrame,
    hooks.cancelFrame,
  )
  let run: Run | null = null
  let runs = 0
  let generation = 0

  const live = (r: Run): boolean => run === r && !r.controller.signal.aborted
  const foundNothing = (): boolean => state.seeds.value?.seed_count === 0

  function advance(stage: TraceStage): void {
    const at = TRACE_STAGES.indexOf(stage)
    const current = state.currentStage.value
    if (current !== null && at < TRACE_STAGES.indexOf(current)) return
    if (current === null && state.completedStages.value.length > at) return
    state.completedStages.value = stagesBefore(stage)
    state.currentStage.value = stage
  }

  function stop(r: Run, status: RunStatus): void {
    run = null
    r.controller.abort()
    if (r.timer !== null) clearTimeout(r.timer)
    hooks.onStop(r)
    batcher.flushNow()
    state.runStatus.value = status
    state.finishedAt.value = Date.now()
  }

  function fail(r: Run, error: StageError, stage: TraceStage = state.currentStage.value ?? 'seed-resolve'): void {
    if (!live(r)) return
    state.stageErrors.value = { ...state.stageErrors.value, [stageErrorKey(stage)]: error }
    stop(r, 'failed')
  }

  function succeed(r: Run): void {
    if (!live(r)) return
    // With no seed, only seed resolution ran, whichever path: the stepper reads the same for both.
    state.completedStages.value = foundNothing() ? ['seed-resolve'] : [...TRACE_STAGES]
    state.currentStage.value = null
    const p = state.progress.value
    if (p) state.progress.value = { ...p, status: 'finished', stage: 'done', pct: 100 }
    stop(r, foundNothing() ? 'empty' : 'finished')
    if (r.jobId !== null) hooks.onJobSucceeded(r.jobId)
  }

  function endCancelled(r: Run): void {
    if (live(r)) stop(r, 'cancelled')
  }

  function endEmpty(r: Run): void {
    if (!live(r)) return
    state.completedStages.value = ['seed-resolve']
    state.currentStage.value = null
    stop(r, 'empty')
  }

  function reset(): void {
    generation++
    if (run) stop(run, 'idle')
    store.clear()
    state.currentStage.value = null
    state.completedStages.value = []
    state.runStatus.value = 'idle'
    state.stageErrors.value = NO_STAGE_ERRORS
    state.progress.value = null
    state.jobId.value = null
    state.path.value = null
    state.seeds.value = null
    state.lineage.value = null
    state.aggregation.value = null
    state.warnings.value = []
    state.resumes.value = 0
    state.startedAt.value = null
    state.finishedAt.value = null
    state.jobRequest.value = null
    state.readAt.value = null
    state.rowsReceived.value = 0
    state.version.value++
  }

  function begin(): Run {
    reset()
    const r: Run = {
      id: ++runs,
      controller: new AbortController(),
      ingest: new StreamIngest(store),
      jobId: null,
      timer: null,
    }
    run = r
    state.runStatus.value = 'running'
    state.startedAt.value = Date.now()
    state.readAt.value = new Date(state.startedAt.value).toISOString()
    return r
  }

  return {
    state,
    store,
    current: () => run,
    generation: () => generation,
    live,
    begin,
    advance,
    showRows: () => batcher.request(),
    fail,
    succeed,
    endCancelled,
    endEmpty,
    stop,
    reset,
    dispose() {
      if (run) stop(run, 'idle')
      batcher.dispose()
    },
  }
}
