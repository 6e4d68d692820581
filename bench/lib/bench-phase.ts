/**
 * The conditions of one measured phase of a browser bench (the live job, the reload, the stream from memory):
 * how busy all cores were and how much the hypervisor stole, the load average, the CPU the bench's own process
 * (the server, the proxy) took, and the renderer's CPU by thread. Two runs' figures compare only next to these.
 */
import { loadavg } from 'node:os'
import { cpuPhase, cpuTicks, type CpuPhase } from './cpu-stat.ts'
import { chromiumCpuMsByType, rendererMinorFaults, sampleRendererThreads, type ThreadCpu } from './renderer-procs.ts'

/** What a phase ran under. */
export interface PhaseConditions {
  /** Whether the real server streamed to the browser on the same cores in this phase. */
  readonly server_shares_cores: boolean
  readonly cpu: CpuPhase
  readonly load_average_end: readonly number[]
  /** CPU ms of the bench's own process: the server (and the in-process proxy) with the bench's driving. */
  readonly bench_process_cpu_ms: number
  readonly renderer_threads: ThreadCpu
  /** CPU ms of every Chromium process by type: the network service and the browser work for the page too. */
  readonly chromium_cpu_ms_by_type: Record<string, number>
  /** Minor page faults of the renderers: each first touch of a page, at the machine's fresh_page_cpu_us. */
  readonly renderer_minor_faults: number
}

/** Starts watching a phase; `end()` returns its conditions. */
export function startPhase(serverSharesCores: boolean): { end(): PhaseConditions } {
  const ticks = cpuTicks()
  const own = process.cpuUsage()
  const threads = sampleRendererThreads()
  const chromiumBefore = chromiumCpuMsByType()
  const faults = rendererMinorFaults()
  return {
    end(): PhaseConditions {
      const renderer = threads.stop()
      const used = process.cpuUsage(own)
      const chromium: Record<string, number> = {}
      for (const [type, ms] of Object.entries(chromiumCpuMsByType())) chromium[type] = ms - (chromiumBefore[type] ?? 0)
      return {
        server_shares_cores: serverSharesCores,
        cpu: cpuPhase(ticks, cpuTicks()),
        load_average_end: loadavg().map((l) => Math.round(l * 100) / 100),
        bench_process_cpu_ms: Math.round((used.user + used.system) / 1000),
        renderer_threads: renderer,
        chromium_cpu_ms_by_type: chromium,
        renderer_minor_faults: rendererMinorFaults() - faults,
      }
    },
  }
}

/** One line for the console: `busy 97 %, steal 0.0 %, load 3.1, server on the cores, bench process 4.2 CPU s`. */
export function formatPhase(p: PhaseConditions): string {
  const threads = Object.entries(p.renderer_threads.by_name_ms)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)}`)
    .join(', ')
  return [
    `cores busy ${p.cpu.busy_percent} %, steal ${p.cpu.steal_percent} %, load ${p.load_average_end[0]?.toFixed(1)}`,
    p.server_shares_cores ? 'server on the same cores' : 'server off the cores (stream from memory)',
    `bench process ${(p.bench_process_cpu_ms / 1000).toFixed(1)} CPU s`,
    `renderer page faults ${p.renderer_minor_faults.toLocaleString('en-US')}`,
    `renderer CPU s by thread: ${threads}`,
    `Chromium CPU s by process type: ${Object.entries(p.chromium_cpu_ms_by_type)
      .map(([t, ms]) => `${t} ${(ms / 1000).toFixed(1)}`)
      .join(', ')}`,
  ].join('; ')
}
