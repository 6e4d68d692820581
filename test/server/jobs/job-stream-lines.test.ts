import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DOMAIN_COLUMNS } from '../../../src/shared/domains.ts'
import type { StreamLine } from '../../../src/shared/ndjson-lines.ts'
import type { JobStatus, JobStatusResponse } from '../../../src/shared/responses.ts'
import { newJobId } from '../../../src/server/jobs/job-id.ts'
import { newJobRecord, toStatusResponse } from '../../../src/server/jobs/job-record.ts'
import { encodeLine, jobStreamLines } from '../../../src/server/jobs/job-stream-lines.ts'
import { pieceText } from '../../helpers/stream-pieces.ts'
import { createFileResultStore } from '../../../src/server/storage/file-result-store.ts'
import type { ResultMeta, ResultStore } from '../../../src/server/storage/result-store.ts'

/**
 * The reader against a real file result store, with the "worker" driven by the test: the job's status is
 * whatever the test says, and the status check is where the worker gets to act between two reads.
 */
const columns = DOMAIN_COLUMNS.history

function statusOf(jobId: string, status: JobStatus): JobStatusResponse {
  const spec = {
    profile: 'query_tool' as const,
    domains: ['history' as const],
    input: { kind: 'container_ids' as const, container_ids: ['C1'], direction: 'forward' as const },
    cid_count: 1,
  }
  return { ...toStatusResponse(newJobRecord(jobId, spec)), status }
}

function meta(jobId: string, chunks: number, done: boolean, attempt = 1): ResultMeta {
  return {
    job_id: jobId,
    attempt,
    chunk_size: 1,
    order: ['history'],
    domains: { history: { columns, chunks, count: chunks, done } },
    aggregation: false,
    failed_domains: [],
    complete: done,
  }
}

async function writeChunk(results: ResultStore, jobId: string, idx: number, value: number = idx): Promise<void> {
  const line = encodeLine({
    type: 'records',
    domain: 'history',
    batch: idx,
    count: 1,
    rows: [columns.map(() => value)],
  })
  await results.writeChunk(jobId, 'history', idx, Buffer.from(line))
}

async function collect(
  results: ResultStore,
  jobId: string,
  status: () => Promise<JobStatusResponse | undefined>,
): Promise<StreamLine[]> {
  const lines: StreamLine[] = []
  const options = { results, status, jobId, shape: 'compact' as const, signal: new AbortController().signal, pollMs: 1 }
  for await (const line of jobStreamLines(options, statusOf(jobId, 'started'))) {
    lines.push(JSON.parse(pieceText(line)) as StreamLine)
  }
  return lines
}

describe('job stream lines', () => {
  let dir: string
  let results: ResultStore
  let jobId: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stream-lines-'))
    results = createFileResultStore(dir)
    jobId = newJobId()
  })
  afterEach(async () => {
    await results.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('streams the last chunks of a job that finished between the chunk read and the status check', async () => {
    await results.writeMeta(meta(jobId, 0, false))
    await writeChunk(results, jobId, 0)
    await results.writeMeta(meta(jobId, 1, false))
    let checks = 0
    const status = async (): Promise<JobStatusResponse> => {
      // The reader missed chunk 1 and saw the domain unfinished; the worker ends the job before it asks why.
      if (checks++ === 0) {
        await writeChunk(results, jobId, 1)
        await results.writeMeta(meta(jobId, 2, true))
      }
      return statusOf(jobId, 'finished')
    }
    const lines = await collect(results, jobId, status)
    expect(lines.map((l) => l.type)).toEqual(['meta', 'domain_start', 'records', 'records', 'domain_end', 'complete'])
    expect(lines.at(-1)).toEqual({ type: 'complete', total_records: 2, counts: { history: 2 } })
  })

  it('streams a domain that started and finished while the reader waited for it', async () => {
    const status = async (): Promise<JobStatusResponse> => {
      if (!(await results.readMeta(jobId))) {
        await results.writeMeta(meta(jobId, 0, false))
        await writeChunk(results, jobId, 0)
        await results.writeMeta(meta(jobId, 1, true))
      }
      return statusOf(jobId, 'finished')
    }
    const lines = await collect(results, jobId, status)
    expect(lines.map((l) => l.type)).toEqual(['meta', 'domain_start', 'records', 'domain_end', 'complete'])
  })

  it('ends with JOB_RESULT_EXPIRED when a finished job is missing a chunk it listed', async () => {
    await results.writeMeta(meta(jobId, 2, true))
    await writeChunk(results, jobId, 0)
    const lines = await collect(results, jobId, async () => statusOf(jobId, 'finished'))
    expect(lines.map((l) => l.type)).toEqual(['meta', 'domain_start', 'records', 'error'])
    expect(lines.at(-1)).toMatchObject({ type: 'error', code: 'JOB_RESULT_EXPIRED' })
  })

  it('ends with JOB_RESULT_EXPIRED when a finished job has no results left', async () => {
    const lines = await collect(results, jobId, async () => statusOf(jobId, 'finished'))
    expect(lines.map((l) => l.type)).toEqual(['meta', 'error'])
    expect(lines.at(-1)).toMatchObject({ type: 'error', code: 'JOB_RESULT_EXPIRED' })
  })

  it('keeps polling a running job until its chunks arrive', async () => {
    let checks = 0
    const status = async (): Promise<JobStatusResponse> => {
      checks += 1
      if (checks === 3) {
        await results.writeMeta(meta(jobId, 0, false))
        await writeChunk(results, jobId, 0)
        await results.writeMeta(meta(jobId, 1, true))
      }
      return statusOf(jobId, checks > 3 ? 'finished' : 'started')
    }
    const lines = await collect(results, jobId, status)
    expect(lines.map((l) => l.type)).toEqual(['meta', 'domain_start', 'records', 'domain_end', 'complete'])
  })

  /** Attempt 1 wrote chunks 0 and 1 and died; the reader has them and waits when attempt 2 starts over. */
  async function retriedUnderTheReader(rewrite: (idx: number) => number): Promise<StreamLine[]> {
    await results.writeMeta(meta(jobId, 0, false))
    await writeChunk(results, jobId, 0)
    await writeChunk(results, jobId, 1)
    await results.writeMeta(meta(jobId, 2, false))
    let checks = 0
    const status = async (): Promise<JobStatusResponse> => {
      checks += 1
      if (checks === 1) {
        await results.delete(jobId)
        await results.writeMeta(meta(jobId, 0, false, 2))
        await writeChunk(results, jobId, 0, rewrite(0))
      }
      if (checks === 3) {
        for (const idx of [1, 2]) await writeChunk(results, jobId, idx, rewrite(idx))
        await results.writeMeta(meta(jobId, 3, true, 2))
      }
      return statusOf(jobId, checks > 3 ? 'finished' : 'started')
    }
    return collect(results, jobId, status)
  }

  it('follows a job retried under the reader into its new attempt: the rows it lacked, then complete', async () => {
    const lines = await retriedUnderTheReader((idx) => idx)
    expect(lines.map((l) => l.type)).toEqual([
      'meta',
      'domain_start',
      'records',
      'records',
      'records',
      'domain_end',
      'complete',
    ])
    expect(lines.filter((l) => l.type === 'records').map((l) => l.batch)).toEqual([0, 1, 2])
    expect(lines.at(-1)).toEqual({ type: 'complete', total_records: 3, counts: { history: 3 } })
  })

  it('ends with STREAM_FAILED when the retried attempt rewrote a chunk already sent differently', async () => {
    const lines = await retriedUnderTheReader((idx) => idx + 100)
    expect(lines.map((l) => l.type)).toEqual(['meta', 'domain_start', 'records', 'records', 'error'])
    expect(lines.at(-1)).toMatchObject({
      type: 'error',
      code: 'STREAM_FAILED',
      message: expect.stringMatching(/retried/),
    })
  })
})
