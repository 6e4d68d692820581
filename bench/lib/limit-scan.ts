/**
 * The limit (`node --import tsx bench/lib/limit-scan.ts --request '<JobRequest JSON>'`): the job's CIDs as the
 * raw scan gets them, then the very statements the job's events stage runs (same domains, TRACE_IN_BATCH_SIZE
 * CIDs per statement) iterated with better-sqlite3 on this process's own thread: no worker thread, no message,
 * no JSON, nothing crossing a thread boundary. Rows are counted and dropped. The connection is opened the way
 * the source's threads open theirs (read-only, same page cache, no mmap), so the only difference from the raw
 * scan is the transport. Prints one JSON result line.
 */
import Database from 'better-sqlite3'
import type { Domain } from '../../src/shared/domains.ts'
import { DOMAIN_QUERIES } from '../../src/server/pipeline/events/domain-queries.ts'
import { compileSqlite } from '../../src/server/source/sqlite/compile-sqlite.ts'
import type { SqlQuery } from '../../src/server/source/sql.ts'
import type { RawScanResult } from './raw-scan.ts'
import { printResult, requestFromArgv, setUpTrace } from './trace-setup.ts'

/** The SQLite page cache of a source thread (THREAD_CACHE_KB in sqlite-source.ts). */
const THREAD_CACHE_KB = 2000

function open(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  db.pragma('query_only = ON')
  db.pragma(`cache_size = -${THREAD_CACHE_KB}`)
  db.pragma('mmap_size = 0')
  return db
}

function rowsOf(db: Database.Database, query: SqlQuery): IterableIterator<unknown[]> {
  const { text, params } = compileSqlite(query)
  return db
    .prepare(text)
    .raw(true)
    .iterate(...params) as IterableIterator<unknown[]>
}

function scanDomain(db: Database.Database, domain: Domain, cids: readonly string[], batchSize: number): number {
  const spec = DOMAIN_QUERIES[domain]
  let n = 0
  if (spec.kind === 'scan') {
    // As in the raw scan: a scan domain's rows only count once matched to the CIDs.
    const wanted = new Set(cids)
    const ctx = { nowMs: Date.now() }
    for (const row of rowsOf(db, spec.query())) n += spec.mapRows(row, wanted, ctx).length
    return n
  }
  for (let start = 0; start < cids.length; start += batchSize) {
    for (const _row of rowsOf(db, spec.query(cids.slice(start, start + batchSize)))) n++
  }
  return n
}

async function main(): Promise<void> {
  const setup = await setUpTrace(requestFromArgv())
  const { config, cids } = setup
  // The CIDs came through the source like the raw scan's; its threads are done before the limit starts.
  await setup.source.close()
  const db = open(config.MES_DB_PATH)
  try {
    const eventsStarted = performance.now()
    const byDomain: Record<string, number> = {}
    for (const domain of setup.domains) byDomain[domain] = scanDomain(db, domain, cids, config.TRACE_IN_BATCH_SIZE)
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
    db.close()
  }
}

await main()
