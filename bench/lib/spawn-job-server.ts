/**
 * Starts bench/lib/job-server.ts in a child process, with the Node flags of `npm start`, and waits until it
 * listens with its workers ready.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import type { JobServerReady } from './job-server.ts'
import { startNodeFlags, TSX_FLAGS } from './start-flags.ts'

const ROOT = resolve(import.meta.dirname, '..', '..')
const ENTRY = resolve(import.meta.dirname, 'job-server.ts')

/** A running bench server. */
export interface JobServerProcess extends JobServerReady {
  readonly child: ChildProcess
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`, default 15 s); safe to call twice. */
  stop(graceMs?: number): Promise<void>
}

/** Spawns the server with `env` added to this process's environment; stderr goes to this terminal. */
export async function spawnJobServer(env: Readonly<Record<string, string>>): Promise<JobServerProcess> {
  const child = spawn(process.execPath, [...TSX_FLAGS, ...startNodeFlags(), ENTRY], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())))
  const stop = async (graceMs = 15_000): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const force = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(force)
    }
  }
  try {
    const ready = await readyLine(child)
    return { ...ready, child, stop }
  } catch (err) {
    await stop()
    throw err
  }
}

function readyLine(child: ChildProcess): Promise<JobServerReady> {
  const stdout = child.stdout
  if (!stdout) return Promise.reject(new Error('server has no stdout'))
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stdout })
    const onExit = (): void => reject(new Error(`server exited before it was ready (exit ${child.exitCode ?? child.signalCode})`))
    child.once('exit', onExit)
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return
      child.off('exit', onExit)
      lines.close()
      // Later stdout is drained unread, so a chatty server never blocks on a full pipe.
      stdout.resume()
      resolve(JSON.parse(line) as JobServerReady)
    })
  })
}
