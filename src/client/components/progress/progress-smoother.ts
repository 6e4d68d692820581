/**
 * What the progress bar shows between two job polls. The server reports progress every few seconds and its
 * elapsed time only as of each poll, so raw values stall, jump and (when the final status lands with a
 * smaller elapsed than the page had been counting) step back. The smoother keeps one run's display:
 * percent and elapsed never decrease, percent moves on at the measured rate between reports (never past
 * the next 5 points nor 99 before the end), and the time left is a moving average that does not jump.
 */

/** One frame of the display. */
export interface SmoothedProgress {
  readonly pct: number
  readonly elapsed: number
  /** Seconds left, or null while there is no rate to tell it from. */
  readonly eta: number | null
}

/** How far between reports the bar may run ahead of the last reported percent. */
const LEAD_PCT = 5
/** Weight of the newest rate measurement in the moving average. */
const RATE_WEIGHT = 0.3
/** Weight of the newest estimate in the displayed time left. */
const ETA_WEIGHT = 0.2
/** Reports closer than this (seconds) do not measure a rate. */
const MIN_SPAN = 0.5

export class ProgressSmoother {
  private shownPct = 0
  private shownElapsed = 0
  private shownEta: number | null = null
  /** Percent per second, averaged. */
  private rate: number | null = null
  private report: { pct: number; elapsed: number } | null = null

  /** Forgets the run (a new one starts at 0). */
  reset(): void {
    this.shownPct = 0
    this.shownElapsed = 0
    this.shownEta = null
    this.rate = null
    this.report = null
  }

  /**
   * The display at `elapsed` seconds given the latest reported percent; `done` shows 100 % and no time left.
   * Call it on every clock tick and whenever a report arrives.
   */
  frame(reportedPct: number, elapsed: number, done = false): SmoothedProgress {
    this.observe(reportedPct, elapsed)
    this.shownElapsed = Math.max(this.shownElapsed, elapsed)
    if (done) {
      this.shownPct = 100
      this.shownEta = null
      return { pct: 100, elapsed: this.shownElapsed, eta: null }
    }
    const base = this.report ?? { pct: reportedPct, elapsed }
    const ahead = this.rate !== null ? Math.min(LEAD_PCT, this.rate * Math.max(0, this.shownElapsed - base.elapsed)) : 0
    this.shownPct = Math.max(this.shownPct, Math.min(99, base.pct + ahead))
    if (this.rate !== null && this.rate > 0) {
      const estimate = (100 - this.shownPct) / this.rate
      this.shownEta = this.shownEta === null ? estimate : this.shownEta + ETA_WEIGHT * (estimate - this.shownEta)
    }
    return { pct: this.shownPct, elapsed: this.shownElapsed, eta: this.shownEta }
  }

  private observe(pct: number, elapsed: number): void {
    const last = this.report
    if (last === null) {
      this.report = { pct, elapsed }
      return
    }
    if (pct === last.pct) return
    const span = elapsed - last.elapsed
    if (span >= MIN_SPAN && pct > last.pct) {
      const measured = (pct - last.pct) / span
      this.rate = this.rate === null ? measured : this.rate + RATE_WEIGHT * (measured - this.rate)
    }
    this.report = { pct: Math.max(pct, last.pct), elapsed }
  }
}
