/**
 * Restored defect attributions of recent jobs, so that changing a filter on the page does not parse the
 * stored state again (a header of strings and a few tens of MB of typed arrays at incident scale, viewed in
 * place). Engineers look at one or two investigations at a time;
 * a small fixed number bounds the web process's memory.
 */
import { DefectAttribution } from './defect-attribution.ts'

const KEPT = 2

export class AttributionCache {
  private readonly entries = new Map<string, DefectAttribution>()

  /** The job's attribution, restored from `load()` when not held; undefined when the job has none. */
  async get(jobId: string, load: () => Promise<Buffer | undefined>): Promise<DefectAttribution | undefined> {
    const held = this.entries.get(jobId)
    if (held) {
      this.entries.delete(jobId)
      this.entries.set(jobId, held)
      return held
    }
    const raw = await load()
    if (!raw) return undefined
    const attribution = DefectAttribution.fromBytes(raw)
    this.entries.set(jobId, attribution)
    while (this.entries.size > KEPT) this.entries.delete(this.entries.keys().next().value!)
    return attribution
  }
}
