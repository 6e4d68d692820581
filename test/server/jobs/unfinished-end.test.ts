import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFileJobStore } from '../../../src/server/jobs/file-job-store.ts'
import { newJobId } from '../../../src/server/jobs/job-id.ts'
import { endRecord, newJobRecord, type JobRecord } from '../../../src/server/jobs/job-record.ts'
import type { JobStore } from '../../../src/server/jobs/job-store.ts'
import { recordUnfinishedEnd } from '../../../src/server/jobs/unfinished-end.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { createFileResultStore } from '../../../src/server/storage/file-result-store.ts'
import type { ResultStore } from '../../../src/server/storage/result-store.ts'

describe('recording the end of an unfinished job', () => {
  let dir: string
  let jobs: JobStore
  let results: ResultStore
  let record: JobRecord
  beforeEach(async () => {
    setLogLevel('error')
    dir = mkdtempSync(join(tmpdir(), 'unfinished-end-'))
    jobs = createFileJobStore(join(dir, 'jobs'))
    results = createFileResultStore(join(dir, 'results'))
    const spec = {
      profile: 'query_tool' as const,
      domains: ['history' as const],
      input: { kind: 'container_ids' as const, container_ids: ['C1'], direction: 'forward' as const },
      cid_count: 1,
    }
    record = { ...newJobRecord(newJobId(), spec), status: 'started' }
    await jobs.create(record, spec.input)
    await results.writeMeta({
      job_id: record.job_id,
      attempt: 1,
      chunk_size: 50,
      order: ['history'],
      domains: { history: { columns: ['CONTAINERID'], chunks: 0, count: 0, done: false } },
      aggregation: false,
      failed_domains: [],
      complete: false,
    })
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('deletes the chunks before a client can read the failed status', async () => {
    const resultDir = join(dir, 'results', record.job_id)
    expect(existsSync(resultDir)).toBe(true)
    let chunksAtPut: boolean | undefined
    const watched: JobStore = {
      ...jobs,
      async put(r) {
        chunksAtPut = existsSync(resultDir)
        await jobs.put(r)
      },
    }
    await recordUnfinishedEnd(watched, results, endRecord(record, 'failed', { code: 'WORKER_DIED', message: 'killed' }))
    expect(chunksAtPut).toBe(false)
    expect((await jobs.get(record.job_id))?.status).toBe('failed')
  })

  it('still records the end when the chunks cannot be deleted', async () => {
    const failing: ResultStore = {
      ...results,
      delete: async () => {
        throw new Error('disk gone')
      },
    }
    await recordUnfinishedEnd(
      jobs,
      failing,
      endRecord(record, 'cancelled', { code: 'JOB_CANCELLED', message: 'cancelled by request' }),
    )
    expect((await jobs.get(record.job_id))?.status).toBe('cancelled')
  })
})
