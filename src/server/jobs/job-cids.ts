/** The CIDs a job covers, from whichever input it was given; a whole-trace job runs seed-resolve and lineage here. */
import type { Direction, Profile } from '../../shared/domains.ts'
import type { SeedParams } from '../../shared/schemas.ts'
import type { SeedSummary } from '../../shared/job-seed-summary.ts'
import type { JobLineage, JobStage } from '../../shared/responses.ts'
import type { Config } from '../config.ts'
import { KeptLineage } from '../pipeline/kept-lineage.ts'
import { traceLineageIds, type LineageInput } from '../pipeline/lineage.ts'
import type { WalkCollector } from '../pipeline/lineage-walk.ts'
import { resolveSeedIds } from '../pipeline/seed-resolve-ids.ts'
import type { MesSource } from '../source/mes-source.ts'
import type { JobInput } from './job-service.ts'
import { DefectAnalysis } from '../analysis/defect-analysis.ts'
import { ForwardAnalysis } from '../analysis/forward-analysis.ts'
import { msdWindow } from '../pipeline/seed-msd-queries.ts'

export interface JobCidsOptions {
  readonly source: MesSource
  readonly config: Config
  readonly signal: AbortSignal
  /** Called when a stage starts, for the job's progress. */
  readonly onStage: (stage: JobStage) => void
  /** Called with what seed resolution found (whole-trace jobs only). */
  readonly onSeeds: (summary: SeedSummary) => Promise<void>
}

/** Names listed per pattern in a job's seed summary: the record is rewritten often, so it stays small. */
const SUMMARY_NAMES_PER_PATTERN = 100

/** What a job covers; `analysis` is set for an MSD date range (either direction), ready for the event rows. */
export interface JobCids {
  readonly cids: string[]
  readonly direction: Direction
  readonly analysis?: DefectAnalysis | ForwardAnalysis
  /** Why an MSD date range has no analysis (more detection lots than TRACE_DEFECT_ANALYSIS_MAX_LOTS). */
  readonly analysisSkipped?: string
  /** The genealogy the lineage walk found, kept for the lineage view (absent when the job was given CIDs). */
  readonly lineage?: JobLineage
}

/** Walks the lineage once for the CIDs, keeping the genealogy (bounded) on the way. */
async function walkAndKeep(
  input: LineageInput,
  options: JobCidsOptions,
  collector?: WalkCollector,
): Promise<{ cids: string[]; lineage: JobLineage }> {
  const { source, config, signal } = options
  const kept = new KeptLineage(config.TRACE_JOB_LINEAGE_MAX_NODES, collector)
  const cids = await traceLineageIds(source, input, { config, signal }, kept)
  return { cids, lineage: await kept.result(source, input, { config, signal }) }
}

/** The CIDs and the lineage direction of a job. */
export async function jobCids(profile: Profile, input: JobInput, options: JobCidsOptions): Promise<JobCids> {
  const { source, config, signal } = options
  if (input.kind === 'container_ids') return { cids: [...input.container_ids], direction: input.direction }
  if (input.kind === 'lineage_ref') {
    options.onStage('lineage')
    const { cids, lineage } = await walkAndKeep(
      { profile, seeds: input.seed_container_ids, direction: input.direction },
      options,
    )
    return { cids, direction: input.direction, lineage }
  }
  const { seed: seedParams, direction } = input
  options.onStage('seed-resolve')
  const seeds = await seedIds(source, seedParams, options)
  if (seeds.length === 0) return { cids: [], direction }
  const msdParams = seedParams.profile === 'mid_section_defect' ? seedParams.params : undefined
  const dateRange = msdParams?.mode === 'date_range' ? msdParams : undefined
  const limit = config.TRACE_DEFECT_ANALYSIS_MAX_LOTS
  const analysed = dateRange !== undefined && seeds.length <= limit
  const analysisSkipped =
    dateRange && !analysed
      ? `the defect analysis covers at most ${limit} detection lots (TRACE_DEFECT_ANALYSIS_MAX_LOTS); ` +
        `this range has ${seeds.length}: narrow the dates or raise the limit`
      : undefined
  const analysis = analysed
    ? direction === 'backward'
      ? new DefectAnalysis(msdWindow(dateRange))
      : new ForwardAnalysis(msdWindow(dateRange))
    : undefined
  await analysis?.loadDetections(source, { config, signal })
  options.onStage('lineage')
  const { cids, lineage } = await walkAndKeep({ profile, seeds, direction }, options, analysis?.links)
  analysis?.linkLineage()
  return { cids, direction, analysis, analysisSkipped, lineage }
}

/**
 * Resolves the seeds and reports their summary; only the ids leave this function, and MSD date ranges never
 * build the full seed list (detection details of 300 K+ lots in a wide range).
 */
async function seedIds(source: MesSource, seedParams: SeedParams, options: JobCidsOptions): Promise<string[]> {
  const resolved = await resolveSeedIds(source, seedParams, { config: options.config, signal: options.signal })
  await options.onSeeds({
    seed_count: resolved.seed_count,
    not_found: resolved.not_found,
    expansion_info: resolved.expansion_info.map((e) =>
      e.names.length > SUMMARY_NAMES_PER_PATTERN
        ? { ...e, names: e.names.slice(0, SUMMARY_NAMES_PER_PATTERN), truncated: true }
        : e,
    ),
    ...(resolved.no_seeds_reason ? { no_seeds_reason: resolved.no_seeds_reason } : {}),
  })
  return resolved.ids
}
