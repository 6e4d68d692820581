/** The machine a bench ran on, and how busy it was: part of every published result. */
import { readFileSync } from 'node:fs'
import os from 'node:os'

/** Static facts about the machine and runtime. */
export interface MachineInfo {
  readonly cpu_model: string
  readonly cores: number
  readonly memory_total_mb: number
  readonly node: string
  readonly platform: string
  readonly kernel: string
}

/** How busy the machine is at one moment. */
export interface LoadSnapshot {
  readonly at: string
  /** 1, 5 and 15 minute load averages. */
  readonly loadavg: readonly [number, number, number]
  /** MemAvailable from /proc/meminfo (free plus reclaimable cache), MB. */
  readonly memory_available_mb: number
}

/** Cores, memory, Node version, OS. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus()
  return {
    cpu_model: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memory_total_mb: Math.round(os.totalmem() / 1048576),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
  }
}

/** Load averages and available memory now. */
export function loadSnapshot(): LoadSnapshot {
  const [a, b, c] = os.loadavg()
  const round = (n: number): number => Math.round(n * 100) / 100
  return {
    at: new Date().toISOString(),
    loadavg: [round(a), round(b), round(c)],
    memory_available_mb: memoryAvailableMb(),
  }
}

/** MemAvailable in MB (falls back to os.freemem() where /proc/meminfo is missing). */
export function memoryAvailableMb(): number {
  try {
    const m = /MemAvailable:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))
    if (m) return Math.round(Number(m[1]) / 1024)
  } catch {
    // Not Linux: the kernel's own free figure is the best there is.
  }
  return Math.round(os.freemem() / 1048576)
}
