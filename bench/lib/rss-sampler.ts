/**
 * Samples the resident memory of a process, and optionally of its children matched by command line, from
 * /proc every `intervalMs` (default 25 ms; the issue asks for at most 50), keeping the peaks. The sampling
 * runs on its own thread, so a bench busy reading a stream on its main thread does not delay the samples;
 * peaks are shared through a SharedArrayBuffer and can be read at any time.
 */
import { Worker } from 'node:worker_threads'

export interface RssSamplerOptions {
  /** The process to watch (its threads are part of its RSS). */
  readonly pid: number
  /** Also watch the children whose command line this matches (e.g. /worker-main/); default none. */
  readonly children?: RegExp
  /** Sampling period in ms; default 25. */
  readonly intervalMs?: number
}

/** Peaks in kB: the process itself, the largest matched child, and the sum of all matched children. */
export interface RssPeaks {
  readonly mainKb: number
  readonly childKb: number
  readonly childrenSumKb: number
  /** Samples taken. */
  readonly samples: number
  /** Mean and longest time between two samples, ms (what the machine's load allowed). */
  readonly meanGapMs: number
  readonly maxGapMs: number
  /** Largest matched child's peak while each phase set by `phase()` was current (kB). */
  readonly childKbByPhase: Record<string, number>
}

export interface RssSampler {
  /** Peaks so far, without stopping. */
  peaks(): RssPeaks
  /** Names the phase later samples belong to (e.g. a job's stage); at most MAX_PHASES distinct names. */
  phase(name: string): void
  /** Stops sampling (after one last sample) and returns the peaks; safe to call twice. */
  stop(): Promise<RssPeaks>
}

/** Shared slots: 0 main, 1 child, 2 children sum, 3 samples, 4 first at, 5 last at, 6 max gap, 7 phase index, then per-phase child peaks. */
const FIXED_SLOTS = 8
const MAX_PHASES = 8

/**
 * Plain JavaScript on purpose: the thread starts without a TypeScript loader. The child list is refreshed every
 * 250 ms (cheap enough, and a restarted worker is noticed within it).
 */
const THREAD_SOURCE = `
const { readFileSync, readdirSync } = require('node:fs')
const { workerData, parentPort } = require('node:worker_threads')
const { pid, children, intervalMs, shared } = workerData
const peaks = new Float64Array(shared)
const pattern = children === null ? null : new RegExp(children)
const rss = (p) => { try { const m = /VmRSS:\\s+(\\d+) kB/.exec(readFileSync('/proc/' + p + '/status', 'utf8')); return m ? Number(m[1]) : 0 } catch { return 0 } }
const cmd = (p) => { try { return readFileSync('/proc/' + p + '/cmdline', 'utf8').split('\\0').join(' ') } catch { return '' } }
const kids = () => {
  const out = []
  for (const name of readdirSync('/proc')) {
    if (!/^\\d+$/.test(name)) continue
    try {
      const stat = readFileSync('/proc/' + name + '/stat', 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid && pattern.test(cmd(name))) out.push(Number(name))
    } catch {}
  }
  return out
}
let watched = []
let lastScan = -Infinity
const sample = () => {
  const now = performance.now()
  if (pattern && now - lastScan >= 250) { watched = kids(); lastScan = now }
  peaks[0] = Math.max(peaks[0], rss(pid))
  let sum = 0
  const phaseSlot = 8 + peaks[7]
  for (const c of watched) { const kb = rss(c); peaks[1] = Math.max(peaks[1], kb); peaks[phaseSlot] = Math.max(peaks[phaseSlot], kb); sum += kb }
  peaks[2] = Math.max(peaks[2], sum)
  if (peaks[3] > 0) peaks[6] = Math.max(peaks[6], now - peaks[5])
  else peaks[4] = now
  peaks[3] += 1
  peaks[5] = now
}
sample()
const timer = setInterval(sample, intervalMs)
parentPort.on('message', () => { clearInterval(timer); sample(); parentPort.postMessage('stopped'); parentPort.close() })
`

/** Starts sampling at once. */
export function startRssSampler(options: RssSamplerOptions): RssSampler {
  const shared = new SharedArrayBuffer((FIXED_SLOTS + MAX_PHASES) * Float64Array.BYTES_PER_ELEMENT)
  const view = new Float64Array(shared)
  const phases: string[] = ['start']
  const worker = new Worker(THREAD_SOURCE, {
    eval: true,
    workerData: {
      pid: options.pid,
      children: options.children?.source ?? null,
      intervalMs: options.intervalMs ?? 25,
      shared,
    },
  })
  const peaks = (): RssPeaks => {
    const samples = view[3]
    return {
      mainKb: view[0],
      childKb: view[1],
      childrenSumKb: view[2],
      samples,
      meanGapMs: samples > 1 ? Math.round(((view[5] - view[4]) / (samples - 1)) * 10) / 10 : 0,
      maxGapMs: Math.round(view[6]),
      childKbByPhase: Object.fromEntries(phases.map((name, i) => [name, view[FIXED_SLOTS + i]])),
    }
  }
  let stopping: Promise<RssPeaks> | undefined
  return {
    peaks,
    phase(name) {
      let i = phases.indexOf(name)
      if (i < 0 && phases.length < MAX_PHASES) i = phases.push(name) - 1
      if (i >= 0) view[7] = i
    },
    stop() {
      stopping ??= new Promise<RssPeaks>((resolve) => {
        worker.once('message', () => resolve(peaks()))
        worker.once('exit', () => resolve(peaks()))
        worker.postMessage('stop')
      })
      return stopping
    },
  }
}
