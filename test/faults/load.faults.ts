/**
 * 20 jobs and 50 stream readers at once against one embedded web process with two workers: memory stays bounded
 * (RSS sampled from /proc), and every finished job's rows are the same through the stream (every reader), the
 * result pages and the CSV export: 0 mismatches.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CSV_BOM, csvRow } from '../../src/shared/csv.ts'
import type { Domain } from '../../src/shared/domains.ts'
import type { JobResultPage } from '../../src/shared/responses.ts'
import { loadConfig } from '../../src/server/config.ts'
import { setLogLevel } from '../../src/server/logger.ts'
import { createFixtureDb, removeFixtureDb } from '../helpers/fixture-db.ts'
import { jobFixtureRows } from '../server/jobs/job-fixture.ts'
import { ndjsonLines, wholeTraceBody } from '../server/jobs/job-harness.ts'
import { Processes, submitJob, waitForJob } from '../server/scale-out/scale-out-harness.ts'
import { figure, sampleRss, since, spread } from './faults-harness.ts'

const JOBS = 20
const READERS = 50
const LOTS = 200
const DOMAIN_SETS: Domain[][] = [['history', 'materials', 'rejects'], ['history'], ['materials', 'rejects']]
/** Bounds the web process and each worker must stay under (npm start caps the web heap at 1 GB, workers at 512 MB). */
const WEB_RSS_BOUND_MIB = 400
const WORKER_RSS_BOUND_MIB = 400

type Rows = Partial<Record<Domain, unknown[][]>>

/** Reads a job's stream to its end; returns the rows per domain and how it ended. */
async function readStream(url: string, jobId: string): Promise<{ rows: Rows; last: string; ms: number }> {
  const t0 = Date.now()
  const rows: Rows = {}
  let last = 'none'
  for await (const line of ndjsonLines(await fetch(`${url}/api/trace/job/${jobId}/stream?shape=compact`))) {
    if (line.type === 'records') (rows[line.domain] ??= []).push(...(line.rows ?? []))
    last = line.type === 'error' ? `error ${line.code}` : line.type
  }
  return { rows, last, ms: since(t0) }
}

describe('20 jobs and 50 stream readers at once', () => {
  const procs = new Processes()
  let dir: string
  let dbPath: string
  beforeAll(() => {
    setLogLevel('error')
    dir = mkdtempSync(join(tmpdir(), 'faults-load-'))
    dbPath = createFixtureDb(jobFixtureRows(LOTS, 10))
  })
  afterAll(async () => {
    await procs.killAll()
    if (dir) rmSync(dir, { recursive: true, force: true })
    if (dbPath) removeFixtureDb(dbPath)
  })

  it('keeps memory bounded and serves the same rows through stream, result pages and CSV: 0 mismatches', async () => {
    const config = loadConfig({
      MES_DB_PATH: dbPath,
      TRACE_JOB_DIR: join(dir, 'jobs'),
      TRACE_RESULT_DIR: join(dir, 'results'),
      TRACE_WORKER_CONCURRENCY: '2',
      TRACE_STREAM_BATCH_SIZE: '100',
      TRACE_JOB_PROGRESS_INTERVAL_MS: '100',
      DB_POOL_SIZE: '2',
      RATE_LIMIT_JOBS: '1000',
      LOG_LEVEL: 'error',
    })
    const web = await procs.web(config)
    const rss = sampleRss(web.pid)
    const t0 = Date.now()
    const ids: string[] = []
    for (let i = 0; i < JOBS; i++)
      ids.push((await submitJob(web.url, wholeTraceBody(DOMAIN_SETS[i % DOMAIN_SETS.length]))).job_id)
    const reads = await Promise.all(Array.from({ length: READERS }, (_, r) => readStream(web.url, ids[r % JOBS])))
    for (const id of ids) await waitForJob(web.url, id, (s) => s.status !== 'queued' && s.status !== 'started', 300_000)
    const allMs = since(t0)
    const peaks = rss.stop()

    let mismatches = 0
    let rowsChecked = 0
    for (const [j, id] of ids.entries()) {
      const mine = reads.filter((_, r) => r % JOBS === j)
      for (const read of mine) {
        expect(read.last).toBe('complete')
        if (JSON.stringify(read.rows) !== JSON.stringify(mine[0].rows)) mismatches++
      }
      for (const domain of DOMAIN_SETS[j % DOMAIN_SETS.length]) {
        const streamed = mine[0].rows[domain] ?? []
        const page = (await (
          await fetch(`${web.url}/api/trace/job/${id}/result?domain=${domain}&offset=0&limit=50000&shape=compact`)
        ).json()) as JobResultPage
        if (page.total !== streamed.length || JSON.stringify(page.data) !== JSON.stringify(streamed)) mismatches++
        // Decoded by hand: Response.text() drops the BOM, which is part of what the export promises.
        const csv = Buffer.from(
          await (await fetch(`${web.url}/api/trace/job/${id}/export.csv?domain=${domain}`)).arrayBuffer(),
        ).toString('utf8')
        const expected = CSV_BOM + csvRow(page.columns) + streamed.map((row) => csvRow(row)).join('')
        if (csv !== expected) mismatches++
        rowsChecked += streamed.length
      }
    }
    expect(mismatches).toBe(0)
    expect(peaks.self).toBeLessThan(WEB_RSS_BOUND_MIB)
    expect(peaks.children).toBeLessThan(WORKER_RSS_BOUND_MIB)
    figure('load-20-jobs-50-readers', {
      jobs: JOBS,
      readers: READERS,
      rows_checked: rowsChecked,
      mismatches,
      all_finished_ms: allMs,
      reader_ms: spread(reads.map((r) => r.ms)),
      web_peak_rss_mib: peaks.self,
      worker_peak_rss_mib: peaks.children,
      bounds_mib: { web: WEB_RSS_BOUND_MIB, worker: WORKER_RSS_BOUND_MIB },
    })
  })
})
