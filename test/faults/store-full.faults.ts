/**
 * The chunk store runs out of room mid-job: TRACE_RESULT_DIR on a 1 MiB tmpfs (root may mount one). The job must
 * fail with RESULT_STORE_FULL and serve nothing partial; once room is back the next job finishes.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  readNdjson,
  startJobHarness,
  submitTrace,
  waitForStatus,
  wholeTraceBody,
  type JobHarness,
} from '../server/jobs/job-harness.ts'
import { figure, since } from './faults-harness.ts'

/** Mounts a 1 MiB tmpfs at a new directory; undefined when this machine does not allow it. */
function mountSmallTmpfs(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'faults-full-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' })
    return dir
  } catch {
    rmSync(dir, { recursive: true, force: true })
    const message = 'cannot mount a tmpfs here (needs root): SKIPPING the full-store fault'
    if (process.env.CI === 'true') throw new Error(message)
    console.warn(`\n!!!!! ${message} !!!!!\n`)
    return undefined
  }
}

const mount = mountSmallTmpfs()
const ended = (s: { status: string }): boolean => !['queued', 'started'].includes(s.status)

describe.skipIf(!mount)('a full chunk store', () => {
  let h: JobHarness
  beforeAll(async () => {
    // About 4 MB of results: four times what the store can hold.
    h = await startJobHarness({
      lots: 1000,
      historyPerLot: 20,
      env: { TRACE_RESULT_DIR: mount as string, TRACE_IN_BATCH_SIZE: '200' },
    })
  })
  afterAll(async () => {
    await h?.close()
    if (mount) {
      execFileSync('umount', [mount])
      rmSync(mount, { recursive: true, force: true })
    }
  })

  it('fails the job with RESULT_STORE_FULL, deletes what it stored and serves nothing of it; the next job finishes', async () => {
    const t0 = Date.now()
    const { job_id, stream_url } = await submitTrace(h.app, wholeTraceBody(['history']))
    const failed = await waitForStatus(h.app, job_id, ended, 120_000)
    const failMs = since(t0)
    expect(failed.status).toBe('failed')
    expect(failed.error?.code).toBe('RESULT_STORE_FULL')
    expect(existsSync(join(mount as string, job_id))).toBe(false)

    const lines = await readNdjson(await h.app.request(stream_url))
    expect(lines.map((l) => l.type)).toEqual(['meta', 'error'])
    expect(lines.at(-1)).toMatchObject({ type: 'error', code: 'RESULT_STORE_FULL' })
    for (const path of [
      `/api/trace/job/${job_id}/result?domain=history`,
      `/api/trace/job/${job_id}/export.csv?domain=history`,
    ]) {
      const res = await h.app.request(path)
      expect(res.status).toBe(409)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('JOB_FAILED')
    }

    const small = await submitTrace(h.app, {
      profile: 'query_tool',
      params: { input_type: 'lot_id', values: ['GA2401-00001', 'GA2401-00002'] },
      domains: ['history'],
    })
    const done = await waitForStatus(h.app, small.job_id, ended, 60_000)
    expect(done.status).toBe('finished')
    expect(done.progress.rows).toBe(40)
    figure('store-full', {
      store_bytes: 1024 * 1024,
      job_failed_ms: failMs,
      code: failed.error?.code,
      left_in_store: readdirSync(mount as string).length,
    })
  })
})
