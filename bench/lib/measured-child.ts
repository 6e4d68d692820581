/**
 * Runs a bench script in its own Node process while sampling its RSS from /proc, and takes the JSON result it
 * prints as its last stdout line. A process that dies (out of memory, killed) still yields its peak.
 */
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { startRssSampler } from './rss-sampler.ts'
import { sampling, type Sampling } from './run-record.ts'

const ROOT = resolve(import.meta.dirname, '..', '..')

export interface MeasuredChildOptions {
  /** Script path relative to the project root. */
  readonly script: string
  readonly args?: readonly string[]
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>
  /** V8 old-space cap in MB (--max-old-space-size); default Node's own. */
  readonly maxOldSpaceMb?: number
  /** RSS sampling period; default 25 ms. */
  readonly sampleMs?: number
  /** Killed (SIGKILL) after this long; default never. */
  readonly timeoutMs?: number
}

/** How the process ended and what it used. */
export interface MeasuredChild<T> {
  /** The parsed last JSON line of stdout, when the process exited 0. */
  readonly result: T | undefined
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  /** Peak VmRSS in kB seen by the sampler. */
  readonly peakRssKb: number
  readonly sampling: Sampling
  /** From spawn to exit, ms. */
  readonly wallMs: number
  /** The last lines of stderr (why it died, when it did). */
  readonly stderrTail: string
  /** Whether it was killed for exceeding `timeoutMs`. */
  readonly timedOut: boolean
}

const STDERR_TAIL_BYTES = 4096

/** Runs the script to its end. */
export async function runMeasuredChild<T>(options: MeasuredChildOptions): Promise<MeasuredChild<T>> {
  const execArgv = options.maxOldSpaceMb ? [`--max-old-space-size=${options.maxOldSpaceMb}`] : []
  const started = performance.now()
  const child = spawn(process.execPath, [...execArgv, '--import', 'tsx', options.script, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (child.pid === undefined) throw new Error(`could not start ${options.script}`)
  const sampler = startRssSampler({ pid: child.pid, intervalMs: options.sampleMs })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout = (stdout + s).slice(-65536)
  })
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr = (stderr + s).slice(-STDERR_TAIL_BYTES)
  })
  let timedOut = false
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true
          child.kill('SIGKILL')
        }, options.timeoutMs)
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) =>
    child.once('close', (code, sig) => r([code, sig])),
  )
  clearTimeout(timer)
  const peaks = await sampler.stop()
  const last = stdout.trimEnd().split('\n').pop() ?? ''
  return {
    result: exitCode === 0 && last.startsWith('{') ? (JSON.parse(last) as T) : undefined,
    exitCode,
    signal,
    peakRssKb: peaks.mainKb,
    sampling: sampling(peaks),
    wallMs: performance.now() - started,
    stderrTail: stderr,
    timedOut,
  }
}
