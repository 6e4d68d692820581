/**
 * The server a bench starts in a child process (`node --import tsx bench/lib/job-server.ts`): the same
 * bootstrap as `npm start` without the client build and demo steps. Source and job system come from the
 * environment (SQLite or PostgreSQL; embedded workers, or BullMQ when REDIS_URL is set). Once the embedded
 * workers are idle and HTTP listens on a free port it prints one JSON line `{url, pid}`; SIGTERM stops it.
 */
import { join } from 'node:path'
import { loadConfig } from '../../src/server/config.ts'
import { createJobService } from '../../src/server/jobs/create-job-service.ts'
import type { EmbeddedJobService } from '../../src/server/jobs/embedded-job-service.ts'
import type { JobService } from '../../src/server/jobs/job-service.ts'
import { startServer } from '../../src/server/serve.ts'
import { openSource } from '../../src/server/source/open-source.ts'

/** The line a bench waits for on stdout. */
export interface JobServerReady {
  readonly url: string
  readonly pid: number
}

function isEmbedded(jobs: JobService): jobs is EmbeddedJobService {
  return 'workers' in jobs
}

async function workersReady(jobs: JobService): Promise<void> {
  if (!isEmbedded(jobs)) return
  // Worker start-up (tsx compiling the worker's modules) is not part of any measured run.
  while (!jobs.workers().every((w) => w.state === 'idle')) await new Promise((r) => setTimeout(r, 50))
}

async function main(): Promise<void> {
  const config = loadConfig()
  const source = await openSource(config)
  const jobs = await createJobService(config)
  await workersReady(jobs)
  const server = await startServer({ config, source, jobs, port: 0, staticRoot: join(config.TRACE_JOB_DIR, 'no-client') })
  const ready: JobServerReady = { url: server.url, pid: process.pid }
  process.stdout.write(JSON.stringify(ready) + '\n')
  process.once('SIGTERM', () => {
    void (async () => {
      await server.close()
      await jobs.close()
      await source.close()
      process.exit(0)
    })()
  })
}

await main()
