/** Reads memory figures and process trees from Linux /proc: what every bench samples. */
import { readFileSync, readdirSync } from 'node:fs'

/** A `kB` field of /proc/<pid>/status (VmRSS, VmHWM, …); 0 once the process is gone. */
export function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : 0
  } catch {
    return 0
  }
}

/** Resident set size in kB (VmRSS); 0 once the process is gone. */
export function rssKb(pid: number): number {
  return statusKb(pid, 'VmRSS')
}

/** The command line of a process, arguments joined by spaces; '' once it is gone. */
export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
  } catch {
    return ''
  }
}

/** Direct children of a process. */
export function childPids(pid: number): number[] {
  const out: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      // Field 4 (ppid) follows the parenthesised command name, which may itself contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) out.push(Number(name))
    } catch {
      // The process ended between readdir and read.
    }
  }
  return out
}
