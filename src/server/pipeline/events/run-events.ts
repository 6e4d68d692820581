/**
 * The events stage's loop, shared by the synchronous route and the job worker: the domains one after another,
 * each streamed batch by batch into a sink (the response body, or stored chunks), every batch fed to the MSD
 * aggregator and to an analysis on the way. A domain whose rows fail is listed in `failed` and the next one
 * runs; a sink that fails, or an abort, ends the whole run.
 */
import type { Direction, Domain, Profile } from '../../../shared/domains.ts'
import type { ErrorCode } from '../../../shared/errors.ts'
import type { MsdAggregation } from '../../../shared/msd-aggregation.ts'
import type { Config } from '../../config.ts'
import { DomainError } from '../../errors/domain-error.ts'
import { log } from '../../logger.ts'
import type { MesSource } from '../../source/mes-source.ts'
import { createMsdAggregator } from '../msd-aggregator.ts'
import { errorMessage } from '../stage-errors.ts'
import { streamDomain } from './stream-domain.ts'

/** A domain that failed part-way: the `failed_domains` entry of the body or the stored result. */
export interface FailedDomain {
  readonly domain: Domain
  readonly code: ErrorCode
  readonly message: string
}

/** Where the rows go; each call is awaited before the next batch is fetched. */
export interface EventsSink {
  /** Before the domain's first batch. */
  openDomain(domain: Domain, index: number): Promise<void>
  /** One batch of the open domain's rows (arrays in DOMAIN_COLUMNS order, never empty). */
  writeRows(rows: unknown[][]): Promise<void>
  /** After the domain's last batch, with its failure when its rows stopped early. */
  closeDomain(domain: Domain, failure: FailedDomain | undefined): Promise<void>
  /** How many of the open domain's CIDs are done (after each statement). Default: not reported. */
  cidsDone?(done: number): void
}

/** What else reads every row: the defect analyses of an MSD date range. */
export interface RowObserver {
  add(domain: Domain, rows: readonly unknown[][]): void
}

export interface RunEventsInput {
  readonly source: MesSource
  readonly config: Config
  readonly profile: Profile
  readonly direction: Direction
  readonly domains: readonly Domain[]
  readonly cids: readonly string[]
  /** Fed every batch beside the sink; its failure is the domain's. Default none. */
  readonly observer?: RowObserver
  /** Stops the queries and the run; the run rejects with its reason. */
  readonly signal: AbortSignal
}

/** What the run leaves besides the rows: the failed domains, and the MSD aggregation (null for other profiles). */
export interface EventsRun {
  readonly failed: FailedDomain[]
  readonly aggregation: MsdAggregation | null
}

/** Marks a sink's own failure, so it ends the run instead of passing as the domain's. */
class SinkFailure {
  constructor(readonly cause: unknown) {}
}

/** A domain error keeps its code and message; anything else is logged, and the client reads a plain sentence. */
function failureOf(domain: Domain, err: unknown): FailedDomain {
  if (err instanceof DomainError) return { domain, code: err.code, message: err.message }
  log.warn('events domain failed', { domain, error: errorMessage(err) })
  return { domain, code: 'EVENTS_FAILED', message: `${domain} failed; the server log has the details` }
}

/** Runs every domain into `sink`; rejects with the abort reason, or with the sink's own error. */
export async function runEvents(input: RunEventsInput, sink: EventsSink): Promise<EventsRun> {
  const { signal, config } = input
  const aggregator = input.profile === 'mid_section_defect' ? createMsdAggregator(input.direction) : undefined
  const failed: FailedDomain[] = []
  const onProgress = sink.cidsDone?.bind(sink)
  for (const [index, domain] of input.domains.entries()) {
    await sink.openDomain(domain, index)
    let failure: FailedDomain | undefined
    try {
      for await (const rows of streamDomain(input.source, domain, input.cids, { config, signal, onProgress })) {
        aggregator?.add(domain, rows)
        input.observer?.add(domain, rows)
        await sink.writeRows(rows).catch((err: unknown) => {
          throw new SinkFailure(err)
        })
      }
    } catch (err) {
      if (err instanceof SinkFailure) throw err.cause
      if (signal.aborted) throw signal.reason
      failure = failureOf(domain, err)
      failed.push(failure)
    }
    await sink.closeDomain(domain, failure)
  }
  return { failed, aggregation: aggregator ? aggregator.result() : null }
}
