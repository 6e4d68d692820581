/** Stand-ins for worker-main.ts, for tests that need a worker process misbehaving in one known way. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { startJobHarness, type JobHarness } from './job-harness.ts'

/** Exits at once: the worker can never start. */
export const BROKEN_WORKER = 'process.exit(3)\n'

/** Reports ready and takes every job without ever ending it; exits when told to shut down. */
export const IDLE_WORKER =
  "process.send({ type: 'ready' })\nprocess.on('message', (m) => { if (m.type === 'shutdown') process.exit(0) })\n"

/** Writes `script` as a worker module in a temp directory; `remove()` deletes it. */
export function writeWorkerScript(script: string): { readonly entry: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'scripted-worker-'))
  const entry = join(dir, 'worker.mjs')
  writeFileSync(entry, script)
  return { entry, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * Starts a small job harness whose workers run `script` before the suite and closes it after; returns it.
 * `env` overrides configuration (env names).
 */
export function useScriptedWorkerHarness(script: string, env: Record<string, string> = {}): () => JobHarness {
  let h: JobHarness | undefined
  let worker: ReturnType<typeof writeWorkerScript> | undefined
  beforeAll(async () => {
    worker = writeWorkerScript(script)
    h = await startJobHarness({ lots: 2, historyPerLot: 1, workerEntry: worker.entry, env })
  })
  afterAll(async () => {
    await h?.close()
    worker?.remove()
  })
  return () => {
    if (!h) throw new Error('the scripted worker harness has not started')
    return h
  }
}
