/**
 * The raw scan, the limit the job is measured against (`node --import tsx bench/lib/raw-scan.ts --request
 * '<JobRequest JSON>'`): the job's CIDs, then the very statements the job's events stage runs (same domains,
 * TRACE_IN_BATCH_SIZE CIDs per statement, DB_SLOW_FETCHMANY_SIZE rows per fetch) iterated through the MES
 * source, rows counted and dropped: no mapping, no encoding, no storage. Prints one JSON result line.
 */
import type { Domain } from '../../src/shared/domains.ts'
import type { Config } from '../../src/server/config.ts'
import { DOMAIN_QUERIES } from '../../src/server/pipeline/events/domain-queries.ts'
import type { MesSource } from '../../src/server/source/mes-source.ts'
import type { SqlQuery } from '../../src/server/source/sql.ts'
import { printResult, requestFromArgv, setUpTrace } from './trace-setup.ts'

/** The raw scan's result line. */
export interface RawScanResult {
  readonly cids: number
  readonly rows: number
  readonly rows_by_domain: Record<string, number>
  /** Seed-resolve plus lineage, ms. */
  readonly cids_ms: number
  /** The events statements, ms. */
  readonly events_ms: number
  /** Both, ms (process start-up excluded). */
  readonly total_ms: number
  /** VmHWM (kB) when the CIDs were known: the peak of seed-resolve and lineage. */
  readonly hwm_after_cids_kb: number
  readonly vm_hwm_kb?: number
}

async function countRows(
  source: MesSource,
  query: SqlQuery,
  config: Config,
  count: (rows: unknown[][]) => number,
): Promise<number> {
  let n = 0
  for await (const batch of source.stream(query, { fetchSize: config.DB_SLOW_FETCHMANY_SIZE })) n += count(batch.rows)
  return n
}

async function scanDomain(source: MesSource, domain: Domain, cids: readonly string[], config: Config): Promise<number> {
  const spec = DOMAIN_QUERIES[domain]
  if (spec.kind === 'scan') {
    // A scan domain's rows only count once matched to the CIDs, which is part of its statement's work.
    const wanted = new Set(cids)
    const ctx = { nowMs: Date.now() }
    return countRows(source, spec.query(), config, (rows) =>
      rows.reduce((n, r) => n + spec.mapRows(r, wanted, ctx).length, 0),
    )
  }
  let n = 0
  for (let start = 0; start < cids.length; start += config.TRACE_IN_BATCH_SIZE) {
    n += await countRows(
      source,
      spec.query(cids.slice(start, start + config.TRACE_IN_BATCH_SIZE)),
      config,
      (rows) => rows.length,
    )
  }
  return n
}

async function main(): Promise<void> {
  const setup = await setUpTrace(requestFromArgv())
  const { source, config, cids } = setup
  try {
    const eventsStarted = performance.now()
    const byDomain: Record<string, number> = {}
    for (const domain of setup.domains) byDomain[domain] = await scanDomain(source, domain, cids, config)
    const eventsMs = performance.now() - eventsStarted
    const result: RawScanResult = {
      cids: cids.length,
      rows: Object.values(byDomain).reduce((a, b) => a + b, 0),
      rows_by_domain: byDomain,
      cids_ms: setup.cidsMs,
      events_ms: eventsMs,
      total_ms: setup.cidsMs + eventsMs,
      hwm_after_cids_kb: setup.hwmAfterCidsKb,
    }
    printResult({ ...result })
  } finally {
    await source.close()
  }
}

await main()
