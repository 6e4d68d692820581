import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DOMAIN_COLUMNS } from '../../../src/shared/domains.ts'
import { encodeRecordsLine } from '../../../src/server/jobs/chunk-writer.ts'
import { newJobId } from '../../../src/server/jobs/job-id.ts'
import { assertResultWhole } from '../../../src/server/jobs/result-check.ts'
import { createFileResultStore } from '../../../src/server/storage/file-result-store.ts'
import type { ResultMeta, ResultStore } from '../../../src/server/storage/result-store.ts'

describe('assertResultWhole', () => {
  let dir: string
  let results: ResultStore
  let meta: ResultMeta
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'result-check-'))
    results = createFileResultStore(dir)
    const jobId = newJobId()
    meta = {
      job_id: jobId,
      attempt: 1,
      chunk_size: 1,
      order: ['history'],
      domains: { history: { columns: DOMAIN_COLUMNS.history, chunks: 2, count: 2, done: true } },
      aggregation: false,
      failed_domains: [],
      complete: true,
    }
    await results.writeMeta(meta)
    for (const idx of [0, 1])
      await results.writeChunk(jobId, 'history', idx, encodeRecordsLine('history', idx, [[idx]]))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('passes a result whose every listed chunk is stored', async () => {
    await expect(assertResultWhole(results, meta)).resolves.toBeUndefined()
  })

  it('fails with RESULT_LOST when a listed chunk is gone (a store that lost keys under the job)', async () => {
    rmSync(join(dir, meta.job_id, 'history.0.ndjson'))
    await expect(assertResultWhole(results, meta)).rejects.toMatchObject({
      code: 'RESULT_LOST',
      message: expect.stringMatching(/1 of 2 chunks of history/),
    })
  })
})
