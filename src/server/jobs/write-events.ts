/**
 * The events stage of a job: each domain streamed from the source one batch at a time into chunks, domains
 * one after another, with the result meta rewritten at every domain start and end so readers can follow.
 * A domain that fails keeps the rows it stored and is listed in `failed_domains`, as the synchronous route
 * does; a storage failure fails the whole job.
 */
import { DOMAIN_COLUMNS, type Direction, type Domain, type Profile } from '../../shared/domains.ts'
import type { AggregationLine, WarningLine } from '../../shared/ndjson-lines.ts'
import type { Config } from '../config.ts'
import { ApiError } from '../http/api-error.ts'
import { streamDomain } from '../pipeline/events.ts'
import { createMsdAggregator } from '../pipeline/msd-aggregator.ts'
import type { MesSource } from '../source/mes-source.ts'
import type { ResultMeta, ResultStore } from '../storage/result-store.ts'
import { DefectAnalysis } from '../analysis/defect-analysis.ts'
import type { ForwardAnalysis } from '../analysis/forward-analysis.ts'
import { createChunkWriter } from './chunk-writer.ts'

export interface WriteEventsInput {
  readonly source: MesSource
  readonly config: Config
  readonly results: ResultStore
  readonly jobId: string
  readonly attempt: number
  readonly profile: Profile
  readonly direction: Direction
  readonly domains: readonly Domain[]
  readonly cids: readonly string[]
  /** An MSD date range's defect analysis, fed every row; the backward one's state is stored with the result. */
  readonly analysis?: DefectAnalysis | ForwardAnalysis
  /** Why an MSD date range has no analysis; sent in the aggregation line. */
  readonly analysisSkipped?: string
  readonly signal: AbortSignal
  /** Totals so far: `domainIndex` and the share of its CIDs fetched drive the job's pct. */
  readonly onProgress: (p: { domainIndex: number; cidsDone: number; rows: number; chunks: number }) => void
}

/** Thrown for a failed chunk write, so it fails the job instead of passing as one domain's failure. */
class ResultWriteError extends Error {}

/** Streams every domain into chunks; returns the final result meta. */
export async function writeEvents(input: WriteEventsInput): Promise<ResultMeta> {
  const { results, jobId, signal, config } = input
  const aggregator = input.profile === 'mid_section_defect' ? createMsdAggregator(input.direction) : undefined
  const failed: WarningLine['failed_domains'] = []
  let meta: ResultMeta = {
    job_id: jobId,
    attempt: input.attempt,
    chunk_size: config.TRACE_STREAM_BATCH_SIZE,
    order: [],
    domains: {},
    aggregation: false,
    failed_domains: [],
    complete: false,
  }
  await results.writeMeta(meta)
  let rowsBefore = 0
  let chunksBefore = 0

  for (const [domainIndex, domain] of input.domains.entries()) {
    const columns = DOMAIN_COLUMNS[domain]
    meta = {
      ...meta,
      order: [...meta.order, domain],
      domains: { ...meta.domains, [domain]: { columns, chunks: 0, count: 0, done: false } },
    }
    await results.writeMeta(meta)
    let cidsDone = 0
    let domainTotals = { chunks: 0, count: 0 }
    const report = (): void =>
      input.onProgress({
        domainIndex,
        cidsDone,
        rows: rowsBefore + domainTotals.count,
        chunks: chunksBefore + domainTotals.chunks,
      })
    const writer = createChunkWriter({
      results,
      jobId,
      domain,
      chunkSize: config.TRACE_STREAM_BATCH_SIZE,
      onChunk: (t) => {
        domainTotals = t
        report()
      },
    })
    report()
    try {
      if (input.cids.length > 0) {
        const onProgress = (done: number): void => {
          cidsDone = done
          report()
        }
        for await (const rows of streamDomain(input.source, domain, input.cids, { config, signal, onProgress })) {
          aggregator?.add(domain, rows)
          input.analysis?.add(domain, rows)
          await writer.add(rows).catch((err: unknown) => {
            throw new ResultWriteError(`storing results failed: ${err instanceof Error ? err.message : String(err)}`, {
              cause: err,
            })
          })
        }
      }
    } catch (err) {
      if (signal.aborted) throw signal.reason
      if (err instanceof ResultWriteError) throw err
      failed.push(
        err instanceof ApiError
          ? { domain, code: err.code, message: err.message }
          : { domain, code: 'EVENTS_FAILED', message: err instanceof Error ? err.message : String(err) },
      )
    }
    const totals = await writer.finish()
    rowsBefore += totals.count
    chunksBefore += totals.chunks
    meta = { ...meta, domains: { ...meta.domains, [domain]: { columns, ...totals, done: true } } }
    await results.writeMeta(meta)
  }

  if (input.analysis instanceof DefectAnalysis) {
    await results.writeAnalysis(jobId, input.analysis.attribution.toBytes())
  }
  if (aggregator) {
    const analysis =
      input.analysis instanceof DefectAnalysis ? input.analysis.attribution.analyse() : input.analysis?.result()
    const line: AggregationLine = {
      type: 'aggregation',
      data: {
        ...aggregator.result(),
        ...(analysis ? { analysis } : {}),
        ...(input.analysisSkipped ? { analysis_skipped: input.analysisSkipped } : {}),
      },
    }
    await results.writeAggregation(jobId, Buffer.from(JSON.stringify(line) + '\n', 'utf8'))
  }
  meta = { ...meta, aggregation: Boolean(aggregator), failed_domains: failed, complete: true }
  await results.writeMeta(meta)
  if (failed.length > 0 && failed.length === input.domains.length) {
    throw new ApiError(
      500,
      'EVENTS_FAILED',
      `every domain failed: ${failed.map((f) => `${f.domain}: ${f.message}`).join('; ')}`,
    )
  }
  return meta
}
