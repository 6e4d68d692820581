/**
 * What the fault tests share: the figures they publish (RELIABILITY.md), RSS sampling from /proc, and an
 * engineer's browser read of a job stream (the client's own session code, run in Node).
 */
import { appendFileSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { linksOfJobId } from '../../src/client/api/job-urls.ts'
import { streamJob } from '../../src/client/stream/job-stream-session.ts'
import { RowStore } from '../../src/client/rows/row-store.ts'
import { StreamIngest, type IngestOutcome } from '../../src/client/rows/stream-ingest.ts'
import type { Domain } from '../../src/shared/domains.ts'

/** Where figures go, one JSON line each (FAULTS_FIGURES overrides). */
export const FIGURES_FILE = process.env.FAULTS_FIGURES ?? join(tmpdir(), 'mes-trace-faults.ndjson')

/** Records one figure of the suite (printed, and appended to FIGURES_FILE). */
export function figure(name: string, data: Record<string, unknown>): void {
  const line = JSON.stringify({ name, at: new Date().toISOString(), ...data })
  console.log(`FIGURE ${line}`)
  appendFileSync(FIGURES_FILE, line + '\n')
}

/** VmRSS of a process in MiB, or 0 once it is gone. */
export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : 0
  } catch {
    return 0
  }
}

/** Direct children of a process (its worker processes). */
export function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    )
  } catch {
    return []
  }
}

/** Samples the RSS of a process and of its children every `intervalMs`; `stop()` returns the peaks in MiB. */
export function sampleRss(pid: number, intervalMs = 50): { stop(): { self: number; children: number } } {
  let self = 0
  let children = 0
  const timer = setInterval(() => {
    self = Math.max(self, rssMiB(pid))
    for (const c of childPids(pid)) children = Math.max(children, rssMiB(c))
  }, intervalMs)
  return {
    stop() {
      clearInterval(timer)
      return { self: Math.round(self * 10) / 10, children: Math.round(children * 10) / 10 }
    },
  }
}

/** What an engineer's browser ended up with. */
export interface ClientRead {
  readonly rows: Partial<Record<Domain, number>>
  readonly outcomes: readonly IngestOutcome[]
  readonly resumes: number
}

/** Reads a job's stream the way the browser does (resuming after drops) from `baseUrl`. */
export async function clientRead(
  baseUrl: string,
  jobId: string,
  signal = new AbortController().signal,
): Promise<ClientRead> {
  const store = new RowStore()
  const ingest = new StreamIngest(store)
  const outcomes: IngestOutcome[] = []
  let resumes = 0
  await streamJob({
    streamUrl: linksOfJobId(jobId).streamUrl,
    ingest,
    signal,
    api: { baseUrl: `${baseUrl}/` },
    resumeDelayMs: 250,
    resumeWindowMs: 90_000,
    onOutcomes: (o) => void outcomes.push(...o),
    onResume: () => void resumes++,
  })
  const rows: Partial<Record<Domain, number>> = {}
  for (const d of store.domains()) rows[d] = store.get(d)?.length ?? 0
  return { rows, outcomes, resumes }
}

/** Milliseconds since `t0`, rounded. */
export function since(t0: number): number {
  return Math.round(Date.now() - t0)
}

/** Median and max of a list of numbers. */
export function spread(values: readonly number[]): { n: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b)
  return { n: sorted.length, median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted.at(-1) ?? 0 }
}
