/** Graceful stop on SIGINT/SIGTERM: runs the cleanup steps once, in order; a second signal exits at once. */
import { log } from '../logger.ts'

/** One thing to close, named for the log. */
export interface ShutdownStep {
  readonly name: string
  readonly run: () => Promise<void>
}

/** Registers `steps` for SIGINT and SIGTERM; each runs in its own try so one failure skips nothing. */
export function onShutdown(steps: readonly ShutdownStep[]): void {
  let stopping = false
  const stop = async (): Promise<boolean> => {
    let clean = true
    for (const step of steps) {
      try {
        await step.run()
      } catch (err) {
        clean = false
        log.error('shutdown step failed', { step: step.name, error: err instanceof Error ? err.message : String(err) })
      }
    }
    return clean
  }
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn('second signal; exiting without waiting', { signal })
      process.exit(1)
    }
    stopping = true
    log.info('shutting down', { signal })
    void stop().then((clean) => process.exit(clean ? 0 : 1))
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
}
