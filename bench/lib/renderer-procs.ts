/**
 * The Chromium processes a browser bench started, read from /proc: the renderers' RSS and CPU time (whole
 * process, main thread, and by thread name), and the browser process's own command line (the flags in effect).
 * CPU time is read from the kernel, not from the page, so it does not grow when other processes take the cores.
 */
import { readFileSync, readdirSync } from 'node:fs'

/** USER_HZ: /proc reports CPU time in ticks of 10 ms. */
const TICK_MS = 10

/** Processes below `root` (walks /proc for descendants), with their command lines. */
function descendants(root: number): { pid: number; cmdline: string }[] {
  const parent = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // The process ended while we looked.
    }
  }
  const out: { pid: number; cmdline: string }[] = []
  for (const pid of parent.keys()) {
    let p: number | undefined = pid
    while (p !== undefined && p > 1 && p !== root) p = parent.get(p)
    if (p !== root || pid === root) continue
    try {
      out.push({ pid, cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8') })
    } catch {
      // As above.
    }
  }
  return out
}

/** The Chromium renderer processes below this process. */
export function rendererPids(): number[] {
  return descendants(process.pid)
    .filter((p) => p.cmdline.includes('--type=renderer'))
    .map((p) => p.pid)
}

/** Chromium processes below this process by `--type` (`browser` for the one without). */
export function chromiumProcessTypes(): Record<string, number> {
  const out: Record<string, number> = {}
  for (const p of descendants(process.pid)) {
    if (!/chrom/i.test(p.cmdline.split('\0')[0] ?? '')) continue
    const type = /--type=([\w-]+)/.exec(p.cmdline)?.[1] ?? 'browser'
    out[type] = (out[type] ?? 0) + 1
  }
  return out
}

/** CPU ms used so far by the Chromium processes below this process, by `--type` (`browser` for the one without). */
export function chromiumCpuMsByType(): Record<string, number> {
  const out: Record<string, number> = {}
  for (const p of descendants(process.pid)) {
    if (!/chrom/i.test(p.cmdline.split('\0')[0] ?? '')) continue
    const type = /--type=([\w-]+)/.exec(p.cmdline)?.[1] ?? 'browser'
    try {
      out[type] = (out[type] ?? 0) + statTicks(readFileSync(`/proc/${p.pid}/stat`, 'utf8')) * TICK_MS
    } catch {
      // The process ended while we looked.
    }
  }
  return out
}

/** The browser process's arguments (the one Chromium process without `--type`), user-data-dir left out. */
export function browserArgs(): string[] {
  const browser = descendants(process.pid).find(
    (p) => /chrom/i.test(p.cmdline.split('\0')[0] ?? '') && !p.cmdline.includes('--type='),
  )
  if (!browser) return []
  return browser.cmdline
    .split('\0')
    .slice(1)
    .filter((a) => a !== '' && !a.startsWith('--user-data-dir'))
}

/** Resident MB of the Chromium renderers. */
export function rendererRssMb(): number {
  let kb = 0
  for (const pid of rendererPids()) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
    } catch {
      // The process ended while we looked.
    }
  }
  return kb / 1024
}

/** utime + stime of a stat file, in ticks; fields 14 and 15 (11 and 12 after the command name). */
function statTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[11]) + Number(fields[12])
}

/** CPU ms summed over the renderers' `/proc/<pid>/<path>` stat files (10 ms resolution). */
function rendererStatCpuMs(path: (pid: number) => string): number {
  let ticks = 0
  for (const pid of rendererPids()) {
    try {
      ticks += statTicks(readFileSync(`/proc/${pid}/${path(pid)}`, 'utf8'))
    } catch {
      // The process ended while we looked.
    }
  }
  return ticks * TICK_MS
}

/** Minor page faults the renderers have taken (a page touched for the first time costs one). */
export function rendererMinorFaults(): number {
  let faults = 0
  for (const pid of rendererPids()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      faults += Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7])
    } catch {
      // The process ended while we looked.
    }
  }
  return faults
}

/** CPU ms the renderers' main threads (thread id = process id) have used. */
export function rendererMainThreadCpuMs(): number {
  return rendererStatCpuMs((pid) => `task/${pid}/stat`)
}

/** CPU ms the renderers have used, all threads (ended ones included: the kernel adds them to the process). */
export function rendererCpuMs(): number {
  return rendererStatCpuMs(() => 'stat')
}

/** Renderer CPU of one phase by thread name (`CrRendererMain`, `DedicatedWorker thread`, `Compositor`, ...). */
export interface ThreadCpu {
  /** CPU ms by thread name, threads of one name summed. */
  readonly by_name_ms: Record<string, number>
  /** Threads of each name seen during the phase. */
  readonly threads_by_name: Record<string, number>
  /** Process CPU not seen in any thread: threads that ended between two samples. */
  readonly unattributed_ms: number
}

/**
 * Samples every renderer thread's CPU time until `stop()`: a parser worker's thread ends with its read, so
 * its time is known only from the samples taken while it ran (every `everyMs`, default 100).
 */
export function sampleRendererThreads(everyMs = 100): { stop(): ThreadCpu } {
  const processStart = rendererCpuMs()
  const first = new Map<string, number>()
  const last = new Map<string, { name: string; ticks: number }>()
  // Walking /proc for the renderers reads every process's stat: done once a second, not at every sample.
  let pids = rendererPids()
  let samples = 0
  const sample = (initial: boolean): void => {
    if (++samples % 10 === 0) pids = rendererPids()
    for (const pid of pids) {
      let tids: string[]
      try {
        tids = readdirSync(`/proc/${pid}/task`)
      } catch {
        continue
      }
      for (const tid of tids) {
        const key = `${pid}/${tid}`
        try {
          const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
          const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
          const ticks = statTicks(stat)
          if (!first.has(key)) first.set(key, initial ? ticks : 0)
          last.set(key, { name, ticks })
        } catch {
          // The thread ended while we looked.
        }
      }
    }
  }
  sample(true)
  const timer = setInterval(() => sample(false), everyMs)
  return {
    stop(): ThreadCpu {
      clearInterval(timer)
      sample(false)
      const byName: Record<string, number> = {}
      const count: Record<string, number> = {}
      let seen = 0
      for (const [key, { name, ticks }] of last) {
        const ms = (ticks - (first.get(key) ?? 0)) * TICK_MS
        if (ms <= 0) continue
        byName[name] = (byName[name] ?? 0) + ms
        count[name] = (count[name] ?? 0) + 1
        seen += ms
      }
      return { by_name_ms: byName, threads_by_name: count, unattributed_ms: rendererCpuMs() - processStart - seen }
    },
  }
}
