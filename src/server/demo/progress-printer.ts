/**
 * Terminal progress for demo generation: one updating line on a TTY, a line per 10 % step otherwise
 * (logs and CI stay readable).
 */
import type { DemoProgress } from './generate-demo.ts'

/** A progress callback plus `finish()` to end the updating line. */
export interface ProgressPrinter {
  readonly onProgress: (p: DemoProgress) => void
  /** Ends the current line; safe to call twice. */
  finish(): void
}

/** Prints progress to `stream` (default stderr); `now` is injectable for tests. */
export function createProgressPrinter(
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = () => performance.now(),
): ProgressPrinter {
  const tty = stream.isTTY === true
  let phase = ''
  let lastDecile = -1
  let lastDraw = 0
  let lineOpen = false

  const line = (p: DemoProgress): string => {
    const pct = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 100
    return `demo data: ${p.phase} ${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} (${pct}%)`
  }

  return {
    onProgress(p) {
      const complete = p.done >= p.total
      if (tty) {
        const t = now()
        if (p.phase === phase && !complete && t - lastDraw < 100) return
        if (p.phase !== phase && lineOpen) stream.write('\n')
        phase = p.phase
        lastDraw = t
        stream.write(`\r${line(p)}\x1b[K`)
        lineOpen = true
        return
      }
      const decile = p.total > 0 ? Math.floor((p.done / p.total) * 10) : 10
      if (p.phase === phase && decile === lastDecile) return
      phase = p.phase
      lastDecile = decile
      stream.write(line(p) + '\n')
    },
    finish() {
      if (lineOpen) stream.write('\n')
      lineOpen = false
    },
  }
}
