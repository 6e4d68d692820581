/**
 * Stage 2: genealogy of the seeds, forward (descendants and their serial numbers) or backward (ancestors).
 * The full response costs O(nodes + edges) of memory; the CID list alone (traceLineageIds, for jobs) only
 * the found CIDs and one batch's rows. The whole walk is bounded by LINEAGE_TIMEOUT_SECONDS.
 */
import type { Direction, Profile } from '../../shared/domains.ts'
import type { LineageResponse } from '../../shared/responses.ts'
import { DomainError } from '../errors/domain-error.ts'
import { log } from '../logger.ts'
import type { MesSource } from '../source/mes-source.ts'
import { chunks, collectRows, sortedUnique, text } from './batching.ts'
import { LineageGraph } from './lineage-graph.ts'
import { serialsOf } from './lineage-queries.ts'
import { lineageQueryId } from './lineage-query-id.ts'
export { lineageContainerIds, lineageQueryId } from './lineage-query-id.ts'
import { backwardResponse, forwardResponse } from './lineage-response.ts'
import { walkLineage, type WalkCollector } from './lineage-walk.ts'
import { stageError } from './stage-errors.ts'
import type { StageOptions } from './stage-options.ts'

/** What to trace: the profile (part of the query id), seed CIDs, and the direction. */
export interface LineageInput {
  readonly profile: Profile
  readonly seeds: readonly string[]
  readonly direction: Direction
}

/**
 * Serial numbers of every node of the family, by the assembled lot they are attached to: an assembly lot that
 * was later reworked or merged again is no leaf, yet it shipped the serial it carries.
 */
async function familySerials(
  graph: LineageGraph,
  source: MesSource,
  opts: StageOptions,
): Promise<Map<string, string[]>> {
  const serials = new Map<string, string[]>()
  for (const batch of chunks([...graph.depth.keys()].sort(), opts.config.TRACE_IN_BATCH_SIZE)) {
    for (const r of await collectRows(source, serialsOf(batch), opts)) {
      const cid = text(r[0])
      const serial = text(r[1])
      if (!cid || !serial) continue
      const list = serials.get(cid)
      if (list) list.push(serial)
      else serials.set(cid, [serial])
    }
  }
  return serials
}

/** The full response of a walked graph (its serials read here): seeds sorted and unique. */
export async function lineageFromGraph(
  source: MesSource,
  graph: LineageGraph,
  input: LineageInput,
  opts: StageOptions,
): Promise<LineageResponse> {
  const id = lineageQueryId(input.profile, input.direction, input.seeds)
  const serials = await familySerials(graph, source, opts)
  return input.direction === 'backward'
    ? backwardResponse(graph, input.seeds, serials, id)
    : forwardResponse(graph, input.seeds, serials, id)
}

/**
 * Runs `work` under LINEAGE_TIMEOUT_SECONDS with the caller's signal: 504 LINEAGE_TIMEOUT when the time runs
 * out, 500 LINEAGE_FAILED for a failed query (message only, no stack), the caller's abort reason as is.
 */
async function withLineageDeadline<T>(
  opts: StageOptions,
  seedCount: number,
  work: (walkOpts: StageOptions) => Promise<T>,
): Promise<T> {
  const seconds = opts.config.LINEAGE_TIMEOUT_SECONDS
  const timeout = AbortSignal.timeout(seconds * 1000)
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout
  try {
    return await work({ config: opts.config, signal })
  } catch (err) {
    if (timeout.aborted && !opts.signal?.aborted) {
      throw new DomainError('LINEAGE_TIMEOUT', `lineage did not finish within ${seconds} s (${seedCount} seeds)`)
    }
    throw stageError(err, opts.signal, 'LINEAGE_FAILED', 'lineage failed')
  }
}

/**
 * Traces the seeds' genealogy into the full response (names, nodes, edges, roots). Throws DomainError
 * LINEAGE_TIMEOUT after LINEAGE_TIMEOUT_SECONDS, LINEAGE_FAILED when a query fails (message only, no
 * stack); a caller's abort rejects with its reason.
 */
export async function traceLineage(
  source: MesSource,
  input: LineageInput,
  opts: StageOptions,
): Promise<LineageResponse> {
  const seeds = sortedUnique(input.seeds)
  const started = Date.now()
  return withLineageDeadline(opts, seeds.length, async (walkOpts) => {
    const graph = new LineageGraph()
    await walkLineage(source, walkOpts, seeds, input.direction, opts.config.LINEAGE_MAX_DEPTH, graph)
    const result = await lineageFromGraph(source, graph, { ...input, seeds }, walkOpts)
    log.info('lineage traced', {
      lineage_query_id: result.lineage_query_id,
      direction: input.direction,
      seeds: seeds.length,
      nodes: result.total_nodes,
      ms: Date.now() - started,
    })
    return result
  })
}

/**
 * The CIDs of the seeds' genealogy (seeds included), sorted: equal to `lineageContainerIds(traceLineage(…))`
 * from the same walk, without building names, nodes, edges or roots, so 100 K+ nodes stay a few MB. Fails
 * like traceLineage. `collector` sees the walk (a defect analysis keeps its edges).
 */
export async function traceLineageIds(
  source: MesSource,
  input: LineageInput,
  opts: StageOptions,
  collector: WalkCollector = {},
): Promise<string[]> {
  const started = Date.now()
  const seedCount = input.seeds.length
  const found = await withLineageDeadline(opts, seedCount, (walkOpts) =>
    walkLineage(source, walkOpts, input.seeds, input.direction, opts.config.LINEAGE_MAX_DEPTH, collector),
  )
  const cids = [...found].sort()
  found.clear()
  log.info('lineage ids traced', {
    direction: input.direction,
    seeds: seedCount,
    nodes: cids.length,
    ms: Date.now() - started,
  })
  return cids
}
