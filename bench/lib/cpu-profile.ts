/**
 * A page's CPU profile through CDP, summed by function: where the main thread's time went during one phase
 * of a browser bench (stream ingest, scrolling), so a slow figure comes with its cause.
 */
import { writeFileSync } from 'node:fs'
import type { CDPSession } from 'playwright-core'

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
}

/** A V8 CPU profile (CDP's, or a `.cpuprofile` file written by `node --cpu-prof`). */
export interface Profile {
  readonly nodes: readonly ProfileNode[]
  readonly samples?: readonly number[]
  readonly timeDeltas?: readonly number[]
}

/** One function's share of a profile. */
export interface HotFunction {
  /** `name file:line`, or the runtime's pseudo-frame name (`(garbage collector)`, `(idle)`, ...). */
  readonly frame: string
  /** Time spent in the function itself, ms. */
  readonly selfMs: number
}

/** Starts sampling the page (100 µs interval). */
export async function startCpuProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 })
  await cdp.send('Profiler.start')
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame
  if (!url) return functionName || '(anonymous)'
  const file = url.slice(url.lastIndexOf('/') + 1).replace(/\?.*$/, '')
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`
}

/** Stops sampling; returns the `top` functions by self time (and writes the raw profile to `saveAs`, if given). */
export async function stopCpuProfile(cdp: CDPSession, top = 15, saveAs?: string): Promise<HotFunction[]> {
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile }
  if (saveAs) writeFileSync(saveAs, JSON.stringify(profile))
  return hotFunctions(profile, top)
}

/** The `top` functions of a profile by self time. */
export function hotFunctions(profile: Profile, top = 15): HotFunction[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<string, number>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i])
    if (!node) continue
    const name = frameName(node)
    self.set(name, (self.get(name) ?? 0) + (deltas[i] ?? 0) / 1000)
  }
  return [...self.entries()]
    .map(([frame, selfMs]) => ({ frame, selfMs }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top)
}

/** The summary as printable lines. */
export function formatHotFunctions(title: string, hot: readonly HotFunction[]): string {
  return [title, ...hot.map((h) => `  ${h.selfMs.toFixed(0).padStart(7)} ms  ${h.frame}`)].join('\n')
}
