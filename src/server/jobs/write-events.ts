/**
 * The events stage of a job: each domain streamed from the source one batch at a time into chunks, domains
 * one after another, with the result meta rewritten at every domain start and end so readers can follow.
 * The loop over domains is the events stage's own (pipeline/events/run-events.ts), as in the synchronous
 * route: a domain that fails keeps the rows it stored and is listed in `failed_domains`; a storage failure
 * fails the whole job.
 */
import { DOMAIN_COLUMNS, type Direction, type Domain, type Profile } from '../../shared/domains.ts'
import type { AggregationLine } from '../../shared/ndjson-lines.ts'
import type { Config } from '../config.ts'
import { DomainError } from '../errors/domain-error.ts'
import { runEvents } from '../pipeline/events.ts'
import type { MesSource } from '../source/mes-source.ts'
import type { ResultMeta, ResultStore } from '../storage/result-store.ts'
import { DefectAnalysis } from '../analysis/defect-analysis.ts'
import type { ForwardAnalysis } from '../analysis/forward-analysis.ts'
import { createChunkWriter, type ChunkWriter } from './chunk-writer.ts'

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

/** Streams every domain into chunks; returns the final result meta. */
export async function writeEvents(input: WriteEventsInput): Promise<ResultMeta> {
  const { results, jobId, config } = input
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
  let domainIndex = 0
  let cidsDone = 0
  let domainTotals = { chunks: 0, count: 0 }
  let writer!: ChunkWriter
  const report = (): void =>
    input.onProgress({
      domainIndex,
      cidsDone,
      rows: rowsBefore + domainTotals.count,
      chunks: chunksBefore + domainTotals.chunks,
    })

  const run = await runEvents(
    { ...input, observer: input.analysis },
    {
      async openDomain(domain, index) {
        meta = {
          ...meta,
          order: [...meta.order, domain],
          domains: { ...meta.domains, [domain]: { columns: DOMAIN_COLUMNS[domain], chunks: 0, count: 0, done: false } },
        }
        await results.writeMeta(meta)
        domainIndex = index
        cidsDone = 0
        domainTotals = { chunks: 0, count: 0 }
        writer = createChunkWriter({
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
      },
      async writeRows(rows) {
        await writer.add(rows).catch((err: unknown) => {
          throw new Error(`storing results failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
        })
      },
      async closeDomain(domain) {
        const totals = await writer.finish()
        rowsBefore += totals.count
        chunksBefore += totals.chunks
        meta = {
          ...meta,
          domains: { ...meta.domains, [domain]: { columns: DOMAIN_COLUMNS[domain], ...totals, done: true } },
        }
        await results.writeMeta(meta)
      },
      cidsDone(done) {
        cidsDone = done
        report()
      },
    },
  )

  if (input.analysis instanceof DefectAnalysis) {
    await results.writeAnalysis(jobId, input.analysis.attribution.toBytes())
  }
  if (run.aggregation) {
    const analysis =
      input.analysis instanceof DefectAnalysis ? input.analysis.attribution.analyse() : input.analysis?.result()
    const line: AggregationLine = {
      type: 'aggregation',
      data: {
        ...run.aggregation,
        ...(analysis ? { analysis } : {}),
        ...(input.analysisSkipped ? { analysis_skipped: input.analysisSkipped } : {}),
      },
    }
    await results.writeAggregation(jobId, Buffer.from(JSON.stringify(line) + '\n', 'utf8'))
  }
  const failed = run.failed
  meta = { ...meta, aggregation: run.aggregation !== null, failed_domains: failed, complete: true }
  await results.writeMeta(meta)
  if (failed.length > 0 && failed.length === input.domains.length) {
    throw new DomainError(
      'EVENTS_FAILED',
      `every domain failed: ${failed.map((f) => `${f.domain}: ${f.message}`).join('; ')}`,
    )
  }
  return meta
}
