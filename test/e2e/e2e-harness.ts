/**
 * What the browser end-to-end test and `npm run bench:browser` share: the client built by vite into a folder of
 * their own, the real server (SQLite source, embedded job workers) on a free port, and Debian's Chromium
 * driven by playwright-core.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { loadConfig, type Config } from '../../src/server/config.ts'
import { createJobService } from '../../src/server/jobs/create-job-service.ts'
import type { JobService } from '../../src/server/jobs/job-service.ts'
import { startServer, type RunningServer } from '../../src/server/serve.ts'
import { openSource } from '../../src/server/source/open-source.ts'

/** Debian's Chromium package. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

/** The flags every run uses: headless, no sandbox (containers), nothing that talks to the network on its own. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
]

/** Whether the browser exists on this machine. */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH)
}

/**
 * Builds the client with `vite build --outDir <outDir>` (a child process, as `npm start` does); rejects on failure.
 * `minify: false` keeps function names readable in a CPU profile (default true, as shipped).
 */
export function buildClient(projectRoot: string, outDir: string, options: { minify?: boolean } = {}): Promise<void> {
  const args = ['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn']
  if (options.minify === false) args.push('--minify', 'false')
  return new Promise((resolve, reject) => {
    const child = spawn(join(projectRoot, 'node_modules', '.bin', 'vite'), args, {
      cwd: projectRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0 && existsSync(join(outDir, 'index.html'))
        ? resolve()
        : reject(new Error(`vite build exited with code ${code}`)),
    )
  })
}

/** Launches Chromium with a fresh profile in `userDataDir` (playwright's way to pass --user-data-dir); downloads allowed. */
export function launchChromium(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1400, height: 900 },
  })
}

/** A server around a SQLite demo database with embedded job workers. */
export interface TraceServer {
  readonly url: string
  readonly config: Config
  close(): Promise<void>
}

function isEmbedded(jobs: JobService): jobs is JobService & { workers(): { state: string }[] } {
  return 'workers' in jobs
}

/**
 * Starts the real server on a free port: `env` is the whole configuration (process.env is not read, so a
 * REDIS_URL in the shell does not switch the test to BullMQ). Resolves once the job workers are idle.
 */
export async function startTraceServer(env: Record<string, string>, staticRoot: string): Promise<TraceServer> {
  const config = loadConfig(env)
  const source = await openSource(config)
  const jobs = await createJobService(config)
  if (isEmbedded(jobs)) {
    while (!jobs.workers().every((w) => w.state === 'idle')) await new Promise((r) => setTimeout(r, 50))
  }
  let server: RunningServer
  try {
    server = await startServer({ config, source, jobs, port: 0, host: '127.0.0.1', staticRoot })
  } catch (err) {
    await jobs.close()
    await source.close()
    throw err
  }
  return {
    url: server.url,
    config,
    close: async () => {
      await server.close()
      await jobs.close()
      await source.close()
    },
  }
}
