/**
 * `npm start`: builds the client if dist/ has none, generates the demo database on first start, opens the MES
 * source, starts the job system, and serves API and app until SIGINT/SIGTERM.
 *
 * package.json runs it compiled (dist-server/start.js, built by scripts/build-server.mjs when stale) as
 * `node --enable-source-maps --max-semi-space-size=2 --max-old-space-size=1024`: a small young generation for a
 * process that streams batch after batch, and an old-space cap that makes V8 collect early yet leaves room for
 * several whole-plant lineage requests at once (README, Configuration, has the measurements).
 */
import { resolve } from 'node:path'
import { loadConfig } from '../config.ts'
import { ensureDemoDatabase } from '../demo/sqlite-demo.ts'
import { createProgressPrinter } from '../demo/progress-printer.ts'
import { createJobService } from '../jobs/create-job-service.ts'
import type { JobService } from '../jobs/job-service.ts'
import { log } from '../logger.ts'
import { startServer } from '../serve.ts'
import { openSource, usesDemoDatabase } from '../source/open-source.ts'
import { ensureClientBuild } from './client-build.ts'
import { onShutdown } from './shutdown.ts'

async function startJobs(config: ReturnType<typeof loadConfig>): Promise<JobService | undefined> {
  try {
    return await createJobService(config)
  } catch (err) {
    // Without a job system the server still answers; large events requests get the synchronous 413 rules.
    log.error('job system did not start; serving without async jobs', {
      error: err instanceof Error ? err.message : String(err),
    })
    return undefined
  }
}

async function main(): Promise<void> {
  const config = loadConfig()
  const projectRoot = process.cwd()
  const staticRoot = resolve(projectRoot, 'dist')

  const build = await ensureClientBuild(projectRoot, staticRoot)
  if (build.status === 'failed') log.warn('browser app not built; serving a placeholder page', { reason: build.reason })
  else if (build.status === 'built') log.info('browser app built', { dir: staticRoot })

  if (usesDemoDatabase(config)) {
    const progress = createProgressPrinter()
    try {
      await ensureDemoDatabase(config.MES_DB_PATH, progress.onProgress)
    } finally {
      progress.finish()
    }
  }

  const source = await openSource(config)
  const jobs = await startJobs(config)
  const server = await startServer({ config, source, jobs, staticRoot })
  log.info('mes-trace listening', { url: server.url, source: source.dialect, jobs: jobs ? 'enabled' : 'disabled' })
  process.stderr.write(`\nmes-trace is running at ${server.url}\n\n`)

  onShutdown([
    { name: 'http server', run: () => server.close() },
    { name: 'job system', run: async () => jobs?.close() },
    { name: 'MES source', run: () => source.close() },
  ])
}

main().catch((err: unknown) => {
  log.error('mes-trace failed to start', { error: err instanceof Error ? err.message : String(err) })
  process.exit(1)
})
