import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childPids, cmdline } from '../../bench/lib/proc.ts'
import { createFixtureDb, removeFixtureDb } from '../helpers/fixture-db.ts'

const ROOT = resolve(import.meta.dirname, '..', '..')
// Inside the project, so the compiled files find node_modules as dist-server/ does.
mkdirSync(join(ROOT, 'data'), { recursive: true })
const work = mkdtempSync(join(ROOT, 'data', '.server-build-test-'))
const outDir = join(work, 'dist-server')
const ENTRIES = ['start', 'worker-main', 'sqlite-thread', 'generate-cli', 'load-postgres-cli']

function runBuild(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['scripts/build-server.mjs', '--out-dir', outDir, ...args], { cwd: ROOT })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolvePromise({ code, stderr }))
  })
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const address = server.address()
  await new Promise<void>((r) => server.close(() => r()))
  if (address === null || typeof address === 'string') throw new Error('no free port')
  return address.port
}

beforeAll(async () => {
  const { code, stderr } = await runBuild()
  expect(stderr).not.toContain('failed')
  expect(code).toBe(0)
})

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('the server build', () => {
  it('emits the server, the worker, the SQLite thread body and the CLIs as JavaScript with source maps', () => {
    for (const name of ENTRIES) {
      expect(existsSync(join(outDir, `${name}.js`)), `${name}.js`).toBe(true)
      expect(readFileSync(join(outDir, `${name}.js`), 'utf8')).toContain(`//# sourceMappingURL=${name}.js.map`)
    }
    const map = JSON.parse(readFileSync(join(outDir, 'start.js.map'), 'utf8')) as { sources: string[] }
    expect(map.sources.map((s) => resolve(outDir, s))).toContain(join(ROOT, 'src/server/cli/start.ts'))
    // Every file sits flat beside the others: code finds worker-main.js and sqlite-thread.js through import.meta.url.
    expect(readdirSync(outDir, { withFileTypes: true }).every((e) => e.isFile())).toBe(true)
  })

  it('rebuilds only when a file it was built from is newer than the build', async () => {
    const meta = join(outDir, 'meta.json')
    const builtAt = statSync(meta).mtimeMs
    const fresh = await runBuild('--if-stale')
    expect(fresh).toEqual({ code: 0, stderr: '' })
    expect(statSync(meta).mtimeMs).toBe(builtAt)

    const longAgo = new Date('2000-01-01T00:00:00Z')
    utimesSync(meta, longAgo, longAgo)
    const stale = await runBuild('--if-stale')
    expect(stale.code).toBe(0)
    expect(stale.stderr).toMatch(/server built into .* \((the build script|src\/.*) changed\)/)
    expect(statSync(meta).mtimeMs).toBeGreaterThan(longAgo.getTime())
  })

  it('runs: the compiled server answers /api/health with a compiled worker ready', async () => {
    const dbPath = createFixtureDb({})
    const port = await freePort()
    // cwd without index.html: the browser app build is skipped at once (placeholder page), nothing else uses cwd.
    const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', join(outDir, 'start.js')], {
      cwd: work,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        MES_DB_PATH: dbPath,
        MES_DATABASE_URL: '',
        REDIS_URL: '',
        TRACE_WORKER_CONCURRENCY: '1',
        TRACE_JOB_DIR: join(work, 'jobs'),
        TRACE_RESULT_DIR: join(work, 'results'),
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    })
    const exited = new Promise<void>((r) => child.once('exit', () => r()))
    try {
      const deadline = Date.now() + 45_000
      let body: { status: string; queue: { workers: number }; process: { pid: number } } | undefined
      while (Date.now() < deadline && body?.status !== 'ok') {
        await new Promise((r) => setTimeout(r, 100))
        body = await fetch(`http://127.0.0.1:${port}/api/health`)
          .then((r) => r.json() as Promise<typeof body>)
          .catch(() => undefined)
      }
      expect(body?.status).toBe('ok')
      expect(body?.queue.workers).toBe(1)
      const workers = childPids(body?.process.pid ?? -1).map(cmdline)
      expect(workers).toEqual([expect.stringMatching(/--enable-source-maps .*dist-server\/worker-main\.js$/)])
    } finally {
      child.kill('SIGTERM')
      await exited
      removeFixtureDb(dbPath)
    }
  }, 60_000)
})
