/**
 * The staged path of a run: the three calls of staged-trace.ts told to the run's state as each answers (seeds,
 * then lineage, then rows), or, when the events call answers with a job, that job followed like any other.
 */
import type { JobRequest } from '../../shared/schemas.ts'
import type { ApiOptions, JobLinks } from '../api/index.ts'
import { describeMismatches, ingestEventsResponse } from '../rows/index.ts'
import { runStagedTrace } from './staged-trace.ts'
import type { Run, TraceRun } from './trace-run.ts'

/** Runs `request` the staged way for run `r`; `follow` takes over when the server makes it a job. */
export async function runStaged(
  trace: TraceRun,
  r: Run,
  request: JobRequest,
  api: Omit<ApiOptions, 'signal'>,
  follow: (r: Run, links: JobLinks) => void,
): Promise<void> {
  const { state } = trace
  const outcome = await runStagedTrace(
    request,
    { ...api, signal: r.controller.signal },
    {
      onSeeds: (resolved) => {
        if (!trace.live(r)) return
        state.seeds.value = resolved
        if (resolved.seeds.length > 0) trace.advance('lineage')
      },
      onLineage: (family) => {
        if (!trace.live(r)) return
        state.lineage.value = family
        trace.advance('events')
      },
    },
  )
  if (!trace.live(r)) return
  if (outcome.kind === 'no_seeds') return trace.endEmpty(r)
  if (outcome.kind === 'job') return follow(r, outcome.links)
  trace.advance('streaming')
  const result = ingestEventsResponse(trace.store, outcome.body)
  state.aggregation.value = result.aggregation
  state.warnings.value = result.failed_domains
  trace.showRows()
  if (result.mismatches.length > 0)
    trace.fail(r, { code: 'COUNT_MISMATCH', message: describeMismatches(result.mismatches) }, 'streaming')
  else trace.succeed(r)
}
