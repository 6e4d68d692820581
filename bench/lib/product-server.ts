/**
 * The real `npm start` in a child process, compiled (package.json's start script as it is: the up-to-date check
 * of dist-server/, then dist-server/start.js) or the way it ran before the server build (the same Node flags,
 * src/server/cli/start.ts through the tsx loader, workers forked through tsx too). Times the start to the first
 * answer of /api/health and to every embedded worker being ready, and reads the resting RSS of the web process
 * and of a worker once they are.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { ensureClientBuild } from '../../src/server/cli/client-build.ts'
import { childPids, cmdline, rssKb } from './proc.ts'
import { startNodeFlags, startScript, TSX_FLAGS } from './start-flags.ts'

const ROOT = resolve(import.meta.dirname, '..', '..')

/** `compiled`: what `npm start` runs now; `tsx`: TypeScript through the tsx loader, as before the server build. */
export type Runtime = 'compiled' | 'tsx'

export const RUNTIMES: readonly Runtime[] = ['compiled', 'tsx']

/** Matches a worker process's command line, compiled or not. */
export const WORKER_CMDLINE = /worker-main/

export interface ProductServer {
  readonly runtime: Runtime
  readonly url: string
  /** The web process (the `node` the start command ends in). */
  readonly pid: number
  /** From spawning the start command to the first answer of /api/health, ms. */
  readonly healthMs: number
  /** From spawning the start command to every embedded worker ready (idle), ms. */
  readonly readyMs: number
  /** RSS (MB) of the web process and of the first worker, RESTING_MS after the workers were ready. */
  readonly restingWebMb: number
  readonly restingWorkerMb: number
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`, default 15 s); safe to call twice. */
  stop(graceMs?: number): Promise<void>
}

const POLL_MS = 20
/** Time left to the processes after start-up before their resting RSS is read (lazy initialisation settles). */
const RESTING_MS = 2_000

/** The shell command that starts the server in `runtime`. */
export function startCommand(runtime: Runtime): string {
  if (runtime === 'compiled') return startScript()
  const flags = startNodeFlags().filter((f) => f !== '--enable-source-maps')
  return ['exec', 'node', ...TSX_FLAGS, ...flags, 'src/server/cli/start.ts'].join(' ')
}

/**
 * Builds the browser app when missing (so no measured start runs vite) and the server afresh; resolves to the
 * server build's time, Node start-up included (what a first `npm start` adds).
 */
export async function prepareBuilds(): Promise<number> {
  const client = await ensureClientBuild(ROOT, join(ROOT, 'dist'))
  if (client.status === 'failed') throw new Error(`browser app not built: ${client.reason}`)
  const started = performance.now()
  const child = spawn(process.execPath, ['scripts/build-server.mjs'], { cwd: ROOT, stdio: 'inherit' })
  const code = await new Promise<number | null>((r) => child.once('exit', r))
  if (code !== 0) throw new Error(`server build failed (exit ${code})`)
  return performance.now() - started
}

/** A TCP port free at the time of asking. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const address = server.address()
  await new Promise<void>((r) => server.close(() => r()))
  if (address === null || typeof address === 'string') throw new Error('no free port')
  return address.port
}

interface Health {
  readonly queue: { readonly workers: number }
  readonly process: { readonly pid: number }
}

async function health(url: string): Promise<Health | undefined> {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) })
    return (await res.json()) as Health
  } catch {
    return undefined
  }
}

function exitedPromise(child: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r()
    else child.once('exit', () => r())
  })
}

/**
 * Starts the server with `env` added to this process's environment (HOST and PORT are set here) and
 * resolves once `workers` embedded workers are ready; stderr goes to this terminal.
 */
export async function startProductServer(
  runtime: Runtime,
  env: Readonly<Record<string, string>>,
  workers = 1,
): Promise<ProductServer> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const started = performance.now()
  const child = spawn('sh', ['-c', startCommand(runtime)], {
    cwd: ROOT,
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const exited = exitedPromise(child)
  let gone = false
  void exited.then(() => (gone = true))
  const stop = async (graceMs = 15_000): Promise<void> => {
    if (gone) return
    child.kill('SIGTERM')
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs)
    await exited
    clearTimeout(force)
  }
  try {
    let first: Health | undefined
    while (!(first = await health(url))) {
      if (gone) throw new Error(`the server exited before it answered (exit ${child.exitCode ?? child.signalCode})`)
      await new Promise((r) => setTimeout(r, POLL_MS))
    }
    const healthMs = performance.now() - started
    let last = first
    while (last.queue.workers < workers) {
      if (gone) throw new Error('the server exited before its workers were ready')
      await new Promise((r) => setTimeout(r, POLL_MS))
      last = (await health(url)) ?? last
    }
    const readyMs = performance.now() - started
    // `exec` makes the shell's pid the server's; the health body says so either way.
    const pid = last.process.pid
    await new Promise((r) => setTimeout(r, RESTING_MS))
    const worker = childPids(pid).find((p) => WORKER_CMDLINE.test(cmdline(p)))
    return {
      runtime,
      url,
      pid,
      healthMs,
      readyMs,
      restingWebMb: rssKb(pid) / 1024,
      restingWorkerMb: worker === undefined ? 0 : rssKb(worker) / 1024,
      stop,
    }
  } catch (err) {
    await stop()
    throw err
  }
}
