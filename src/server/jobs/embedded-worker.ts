/**
 * The worker process of the embedded job system: forked by the supervisor, it opens its own MES source and
 * runs one job at a time as told over IPC. It writes the job's record and chunks itself and reports `done`;
 * when the supervisor goes away (IPC disconnect) or shuts it down it hands its job back to the queue (record
 * `queued`) and exits, so no orphan keeps running and the next server takes the job up again.
 */
import { hostname } from 'node:os'
import type { Config } from '../config.ts'
import { log } from '../logger.ts'
import { openSource } from '../source/open-source.ts'
import { createFileResultStore } from '../storage/file-result-store.ts'
import { createFileJobStore } from './file-job-store.ts'
import { JobAbort, cancelAbort } from './job-abort.ts'
import { startJob, type RunningJob } from './running-job.ts'
import type { JobContext } from './run-job.ts'
import { isToWorker, type FromWorker } from './worker-protocol.ts'

/** Serves the supervisor until told to shut down or disconnected; the process exits at the end. */
export async function runEmbeddedWorker(config: Config): Promise<void> {
  const source = await openSource(config)
  const ctx: JobContext = {
    config,
    source,
    jobs: createFileJobStore(config.TRACE_JOB_DIR),
    results: createFileResultStore(config.TRACE_RESULT_DIR),
    worker: `${hostname()}:${process.pid}`,
  }
  let current: RunningJob | undefined
  let closing = false

  const send = (msg: FromWorker): void => {
    if (process.connected) process.send?.(msg)
  }

  const shutdown = async (why: string): Promise<void> => {
    if (closing) return
    closing = true
    // The job is not lost with this process: it goes back to the queue, and the next server runs it again.
    current?.abort(new JobAbort('requeue', `the worker shut down while the job ran (${why})`))
    await current?.done
    try {
      await source.close()
    } catch (err) {
      log.warn('source did not close cleanly', { error: String(err) })
    }
    process.exit(0)
  }

  process.on('message', (msg: unknown) => {
    if (!isToWorker(msg)) return
    if (msg.type === 'shutdown') void shutdown('server shutting down')
    else if (msg.type === 'cancel') {
      if (current?.jobId === msg.job_id) current.abort(cancelAbort())
    } else if (current || closing) {
      // The supervisor sends one job at a time; refusing keeps a second job from sharing this process's memory.
      log.error('worker asked to run a second job', { job_id: msg.job_id, running: current?.jobId })
      send({ type: 'done', job_id: msg.job_id, status: null })
    } else {
      const job = startJob(ctx, msg.job_id)
      current = job
      void job.done.then((record) => {
        current = undefined
        send({ type: 'done', job_id: job.jobId, status: record?.status ?? null })
      })
    }
  })
  process.on('disconnect', () => void shutdown('the server went away'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  send({ type: 'ready' })
  log.info('trace worker ready', { pid: process.pid, mode: 'embedded' })
}
