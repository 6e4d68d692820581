/** Job metadata as `<dir>/<id>.json` (rewritten atomically) and `<dir>/<id>.input.json` (written once). */
import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { isMissing, readFileIfExists, writeFileAtomic } from '../storage/atomic-file.ts'
import { assertJobId } from '../storage/job-id-guard.ts'
import type { JobRecord } from './job-record.ts'
import type { JobInput } from './job-service.ts'
import type { JobStore } from './job-store.ts'

const RECORD_FILE = /^(trace-evt-[0-9a-f]{32})\.json$/

/** A job store in `dir` (TRACE_JOB_DIR), created on first write. */
export function createFileJobStore(dir: string): JobStore {
  const path = (jobId: string, suffix: string): string => {
    assertJobId(jobId)
    return join(dir, jobId + suffix)
  }
  const readJson = async <T>(file: string): Promise<T | undefined> => {
    const buf = await readFileIfExists(file)
    return buf ? (JSON.parse(buf.toString('utf8')) as T) : undefined
  }

  return {
    async create(record, input) {
      await mkdir(dir, { recursive: true })
      await writeFileAtomic(path(record.job_id, '.input.json'), JSON.stringify(input))
      await writeFileAtomic(path(record.job_id, '.json'), JSON.stringify(record))
    },
    get: async (jobId) => readJson<JobRecord>(path(jobId, '.json')),
    put: async (record) => writeFileAtomic(path(record.job_id, '.json'), JSON.stringify(record)),
    readInput: async (jobId) => readJson<JobInput>(path(jobId, '.input.json')),
    async delete(jobId) {
      await rm(path(jobId, '.json'), { force: true })
      await rm(path(jobId, '.input.json'), { force: true })
    },
    async *list() {
      let names: string[]
      try {
        names = await readdir(dir)
      } catch (err) {
        if (isMissing(err)) return
        throw err
      }
      for (const name of names) {
        const m = RECORD_FILE.exec(name)
        if (!m) continue
        const record = await readJson<JobRecord>(join(dir, name))
        if (record) yield record
      }
    },
  }
}
