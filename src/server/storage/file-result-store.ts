/**
 * Results as files: `<root>/<job id>/meta.json`, `<domain>.<idx>.ndjson.gz` per chunk (`.ndjson` for a chunk
 * written before chunks were compressed, still read), `aggregation.ndjson`,
 * `analysis.bin` (defect analysis state, see DefectAttribution.toBytes), `lineage.json` (the genealogy the job kept),
 * and `result.json` for a job stored whole by the old system. One directory per job, so deleting is one rm.
 */
import { access, mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Domain } from '../../shared/domains.ts'
import { jobIdSchema } from '../../shared/schemas.ts'
import { isMissing, readFileIfExists, writeFileAtomic } from './atomic-file.ts'
import { isGzip } from './chunk-gzip.ts'
import { assertJobId } from './job-id-guard.ts'
import type { ResultMeta, ResultStore } from './result-store.ts'

/** A result store rooted at `root` (TRACE_RESULT_DIR); the directory is created on first use. */
export function createFileResultStore(root: string): ResultStore {
  const dir = (jobId: string): string => {
    assertJobId(jobId)
    return join(root, jobId)
  }

  return {
    async writeChunk(jobId, domain, idx, line) {
      // No mkdir here: a chunk written after the job was cancelled must fail, not resurrect the directory.
      await writeFileAtomic(join(dir(jobId), chunkName(domain, idx, isGzip(line))), line)
    },
    async readChunk(jobId, domain, idx) {
      return (
        (await readFileIfExists(join(dir(jobId), chunkName(domain, idx, true)))) ??
        readFileIfExists(join(dir(jobId), chunkName(domain, idx, false)))
      )
    },
    async writeMeta(meta) {
      await mkdir(dir(meta.job_id), { recursive: true })
      await writeFileAtomic(join(dir(meta.job_id), 'meta.json'), JSON.stringify(meta))
    },
    async readMeta(jobId) {
      const buf = await readFileIfExists(join(dir(jobId), 'meta.json'))
      return buf ? (JSON.parse(buf.toString('utf8')) as ResultMeta) : undefined
    },
    writeAggregation: async (jobId, line) => writeFileAtomic(join(dir(jobId), 'aggregation.ndjson'), line),
    readAggregation: async (jobId) => readFileIfExists(join(dir(jobId), 'aggregation.ndjson')),
    writeAnalysis: async (jobId, data) => writeFileAtomic(join(dir(jobId), 'analysis.bin'), data),
    readAnalysis: async (jobId) => readFileIfExists(join(dir(jobId), 'analysis.bin')),
    async writeLineage(jobId, data) {
      // The first file of a result (stored before any chunk or meta), so it makes the directory.
      await mkdir(dir(jobId), { recursive: true })
      await writeFileAtomic(join(dir(jobId), 'lineage.json'), data)
    },
    readLineage: async (jobId) => readFileIfExists(join(dir(jobId), 'lineage.json')),
    async storedChunks(jobId, domain, count) {
      let stored = 0
      for (let idx = 0; idx < count; idx++) {
        if (
          (await exists(join(dir(jobId), chunkName(domain, idx, true)))) ||
          (await exists(join(dir(jobId), chunkName(domain, idx, false))))
        )
          stored += 1
      }
      return stored
    },
    readLegacy: async (jobId) => readFileIfExists(join(dir(jobId), 'result.json')),
    async expire() {},
    async delete(jobId) {
      await rm(dir(jobId), { recursive: true, force: true })
    },
    async *listJobIds() {
      let names: string[]
      try {
        names = await readdir(root)
      } catch (err) {
        if (isMissing(err)) return
        throw err
      }
      for (const name of names) if (jobIdSchema.safeParse(name).success) yield name
    },
    async close() {},
  }
}

function chunkName(domain: Domain, idx: number, gzip: boolean): string {
  return `${domain}.${idx}.ndjson${gzip ? '.gz' : ''}`
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch (err) {
    if (isMissing(err)) return false
    throw err
  }
}
