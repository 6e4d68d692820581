import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/server/config.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { WorkerPool } from '../../../src/server/jobs/worker-pool.ts'
import { waitUntil } from './job-harness.ts'

/** A worker that reports ready and then sits on every job it is given, until it is killed or shut down. */
const IDLE_WORKER = "process.send({ type: 'ready' })\nprocess.on('message', (m) => { if (m.type === 'shutdown') process.exit(0) })\n"

describe('worker pool', () => {
  let dir: string
  let entry: string
  beforeAll(() => {
    setLogLevel('error')
    dir = mkdtempSync(join(tmpdir(), 'worker-pool-'))
    entry = join(dir, 'idle-worker.mjs')
    writeFileSync(entry, IDLE_WORKER)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('stays available and starts the replacement while a killed worker’s job is still being recorded', async () => {
    let lostSeen: () => void = () => undefined
    const lostCalled = new Promise<void>((resolve) => (lostSeen = resolve))
    let finishRecording: () => void = () => undefined
    const recorded = new Promise<void>((resolve) => (finishRecording = resolve))
    const pool = new WorkerPool({
      config: loadConfig({ TRACE_WORKER_CONCURRENCY: '1', LOG_LEVEL: 'error' }),
      entry,
      hooks: {
        onIdle: () => undefined,
        onDone: () => undefined,
        onJobLost: async () => {
          lostSeen()
          await recorded
        },
        onUnavailable: () => undefined,
      },
    })
    pool.start()
    try {
      await waitUntil(() => pool.hasIdle(), 30_000, 'the first worker')
      const firstPid = pool.workers()[0].pid
      expect(pool.run('job-1')).toBe(true)
      const killed = pool.kill('job-1', 'cancel')
      await lostCalled
      // The lost job's end is still being written: a submission now must be queued, not refused.
      expect(pool.available()).toBe(true)
      expect(pool.workers()[0].state).toBe('starting')
      expect(pool.workers()[0].pid).not.toBe(firstPid)
      finishRecording()
      await killed
      await waitUntil(() => pool.hasIdle(), 30_000, 'the replacement worker')
    } finally {
      finishRecording()
      await pool.close()
    }
  })
})
