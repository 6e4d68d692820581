import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/server/config.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { WorkerPool } from '../../../src/server/jobs/worker-pool.ts'
import { waitUntil } from './job-harness.ts'
import { IDLE_WORKER, writeWorkerScript } from './scripted-worker.ts'

describe('worker pool', () => {
  let worker: ReturnType<typeof writeWorkerScript>
  beforeAll(() => {
    setLogLevel('error')
    worker = writeWorkerScript(IDLE_WORKER)
  })
  afterAll(() => worker.remove())

  it('stays available and starts the replacement while a killed worker’s job is still being recorded', async () => {
    let lostSeen: () => void = () => undefined
    const lostCalled = new Promise<void>((resolve) => (lostSeen = resolve))
    let finishRecording: () => void = () => undefined
    const recorded = new Promise<void>((resolve) => (finishRecording = resolve))
    const pool = new WorkerPool({
      config: loadConfig({ TRACE_WORKER_CONCURRENCY: '1', LOG_LEVEL: 'error' }),
      entry: worker.entry,
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
