/**
 * The machine's CPU time by kind (/proc/stat) over a phase of a bench: how much of the cores others took (busy
 * time not ours), and the hypervisor's steal time. A CPU-time-per-row figure holds up under load; a rate does
 * not, and steal makes even CPU time run slower, so both go next to every figure.
 */
import { readFileSync } from 'node:fs'

/** Clock ticks of the aggregate `cpu` line of /proc/stat (USER_HZ, 100 a second on Linux). */
export interface CpuTicks {
  readonly user: number
  readonly nice: number
  readonly system: number
  readonly idle: number
  readonly iowait: number
  readonly irq: number
  readonly softirq: number
  readonly steal: number
}

/** What happened on all cores between two snapshots. */
export interface CpuPhase {
  readonly seconds: number
  /** Share of all cores' time that was busy (user, system, irq: anyone's), %. */
  readonly busy_percent: number
  /** Share of all cores' time the hypervisor gave to other guests, %. */
  readonly steal_percent: number
  readonly steal_ticks: number
}

const FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const

/** The aggregate line now; zeros where /proc/stat is missing (not Linux). */
export function cpuTicks(): CpuTicks {
  let values: number[] = []
  try {
    const line =
      readFileSync('/proc/stat', 'utf8')
        .split('\n')
        .find((l) => l.startsWith('cpu ')) ?? ''
    values = line.trim().split(/\s+/).slice(1).map(Number)
  } catch {
    // Not Linux: no breakdown to give.
  }
  return Object.fromEntries(FIELDS.map((f, i) => [f, values[i] ?? 0])) as unknown as CpuTicks
}

/** Busy and steal shares between `before` and `after`. */
export function cpuPhase(before: CpuTicks, after: CpuTicks): CpuPhase {
  const d = (f: (typeof FIELDS)[number]): number => after[f] - before[f]
  const total = FIELDS.reduce((sum, f) => sum + d(f), 0)
  const busy = d('user') + d('nice') + d('system') + d('irq') + d('softirq')
  const pct = (n: number): number => (total > 0 ? Math.round((1000 * n) / total) / 10 : 0)
  return {
    seconds: total / 100 / cpuCount(),
    busy_percent: pct(busy),
    steal_percent: pct(d('steal')),
    steal_ticks: d('steal'),
  }
}

function cpuCount(): number {
  try {
    return (
      readFileSync('/proc/stat', 'utf8')
        .split('\n')
        .filter((l) => /^cpu\d/.test(l)).length || 1
    )
  } catch {
    return 1
  }
}

/** The clock of each core now (`cpu MHz` of /proc/cpuinfo; a VM often shows the nominal clock only). */
export function cpuMhz(): number[] {
  try {
    return [...readFileSync('/proc/cpuinfo', 'utf8').matchAll(/^cpu MHz\s*:\s*([\d.]+)/gm)].map((m) =>
      Math.round(Number(m[1])),
    )
  } catch {
    return []
  }
}

/**
 * CPU µs this process spends on the first touch of a fresh 4 KB page (64 MB allocated and written once). A few
 * tenths of a µs on bare metal; a VM whose host backs guest memory lazily, or takes freed pages back, can charge
 * 10-20 µs, and a browser that streams through fresh buffers pays it on every page it maps.
 */
export function freshPageCpuUs(): number {
  const pages = 16384
  const before = process.cpuUsage()
  const buf = Buffer.allocUnsafeSlow(pages * 4096)
  for (let i = 0; i < buf.length; i += 4096) buf[i] = 1
  const used = process.cpuUsage(before)
  return Math.round(((used.user + used.system) / pages) * 100) / 100
}
