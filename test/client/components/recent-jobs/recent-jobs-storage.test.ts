import { describe, expect, it } from 'vitest'
import {
  RECENT_JOBS_KEY,
  loadRecentJobs,
  saveRecentJobs,
  type RecentJob,
} from '../../../../src/client/components/recent-jobs/recent-jobs-storage.ts'

function memoryStorage(): Storage {
  const data = new Map<string, string>()
  return {
    get length() {
      return data.size
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, v),
  }
}

const job: RecentJob = {
  job_id: 'trace-evt-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  label: 'Forward',
  submitted_at: '2026-11-29T10:00:00Z',
  request: null,
  run_mode: 'job',
}

describe('recent jobs storage', () => {
  it('keeps the run mode a job was started with', () => {
    const storage = memoryStorage()
    saveRecentJobs([job], storage)
    expect(loadRecentJobs(storage)).toEqual([job])
  })

  it('still reads entries stored before the run mode was remembered, and drops an unknown mode', () => {
    const storage = memoryStorage()
    const { run_mode: _omit, ...old } = job
    storage.setItem(
      RECENT_JOBS_KEY,
      JSON.stringify([old, { ...job, job_id: 'trace-evt-dddddddddddddddddddddddddddddddd', run_mode: 'fast' }]),
    )
    expect(loadRecentJobs(storage)).toEqual([old])
  })
})
