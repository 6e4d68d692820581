/**
 * The buffered baseline: the way the replaced system answered a trace, kept here only to be measured (the
 * product never imports it). `node --import tsx bench/baseline/buffered-trace.ts --request '<JobRequest JSON>'`
 * computes the job's CIDs, fetches every row of every domain into memory as row objects (column → value,
 * like a driver's dict rows), groups them by CID, and builds one JSON response body. Prints one JSON result
 * line with the time of each phase and the heap after it; the bench samples its RSS from outside.
 *
 * It is kept as charitable as the old way allows: rows are converted while they stream in (never held twice),
 * and grouping only references the row objects. When the response is too long for one V8 string, the body is
 * assembled as bytes instead, so the measurement still covers a complete response.
 */
import { DOMAIN_COLUMNS, type Domain } from '../../src/shared/domains.ts'
import { streamDomain } from '../../src/server/pipeline/events.ts'
import { printResult, requestFromArgv, setUpTrace } from '../lib/trace-setup.ts'

type RowObject = Record<string, unknown>
type Grouped = Record<string, Partial<Record<Domain, RowObject[]>>>

/** The baseline's result line. */
export interface BaselineResult {
  readonly cids: number
  readonly rows: number
  readonly cids_ms: number
  readonly fetch_ms: number
  readonly group_ms: number
  readonly build_ms: number
  readonly total_ms: number
  /** VmHWM (kB) when the CIDs were known: the peak of seed-resolve and lineage. */
  readonly hwm_after_cids_kb: number
  /** Size of the one response body. */
  readonly response_bytes: number
  /** Why JSON.stringify of the whole response failed, when it did (the body was then built as bytes). */
  readonly stringify_error: string | null
  /** V8 heap used (MB) after each phase. */
  readonly heap_mb: Record<string, number>
  readonly vm_hwm_kb?: number
}

const heapMb = (): number => Math.round(process.memoryUsage().heapUsed / 1048576)

/** One body for the whole trace: a single string when V8 allows it, else the same JSON as one Buffer. */
function buildBody(
  head: Record<string, unknown>,
  grouped: Grouped,
): { bytes: number; error: string | null; body: unknown } {
  try {
    const body = JSON.stringify({ ...head, results: grouped })
    return { bytes: Buffer.byteLength(body, 'utf8'), error: null, body }
  } catch (err) {
    if (!(err instanceof RangeError)) throw err
    const parts: Buffer[] = [Buffer.from(JSON.stringify(head).slice(0, -1) + ',"results":{', 'utf8')]
    let first = true
    for (const [cid, domains] of Object.entries(grouped)) {
      parts.push(Buffer.from(`${first ? '' : ','}${JSON.stringify(cid)}:${JSON.stringify(domains)}`, 'utf8'))
      first = false
    }
    parts.push(Buffer.from('}}', 'utf8'))
    const body = Buffer.concat(parts)
    return { bytes: body.byteLength, error: err.message, body }
  }
}

async function main(): Promise<void> {
  const setup = await setUpTrace(requestFromArgv())
  const { source, config, cids, domains } = setup
  const heap: Record<string, number> = { lineage: heapMb() }
  try {
    let t = performance.now()
    const fetched: Partial<Record<Domain, RowObject[]>> = {}
    for (const domain of domains) {
      const columns = DOMAIN_COLUMNS[domain]
      const list: RowObject[] = (fetched[domain] = [])
      for await (const rows of streamDomain(source, domain, cids, { config })) {
        for (const row of rows) {
          const obj: RowObject = {}
          for (let i = 0; i < columns.length; i++) obj[columns[i]] = row[i]
          list.push(obj)
        }
      }
    }
    const fetchMs = performance.now() - t
    heap.fetch = heapMb()

    t = performance.now()
    const grouped: Grouped = {}
    for (const domain of domains) {
      for (const obj of fetched[domain] ?? []) {
        const cid = String(obj.CONTAINERID)
        const perCid = (grouped[cid] ??= {})
        ;(perCid[domain] ??= []).push(obj)
      }
    }
    const groupMs = performance.now() - t
    heap.group = heapMb()

    t = performance.now()
    const built = buildBody({ profile: setup.request.profile, cid_count: cids.length, domains }, grouped)
    const buildMs = performance.now() - t
    heap.build = heapMb()

    const rows = domains.reduce((n, d) => n + (fetched[d]?.length ?? 0), 0)
    const result: BaselineResult = {
      cids: cids.length,
      rows,
      cids_ms: setup.cidsMs,
      fetch_ms: fetchMs,
      group_ms: groupMs,
      build_ms: buildMs,
      total_ms: setup.cidsMs + fetchMs + groupMs + buildMs,
      hwm_after_cids_kb: setup.hwmAfterCidsKb,
      response_bytes: built.bytes,
      stringify_error: built.error,
      heap_mb: heap,
    }
    printResult({ ...result })
  } finally {
    await source.close()
  }
}

await main()
