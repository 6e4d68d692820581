import { describe, expect, it } from 'vitest'
import { ProgressSmoother } from '../../../../src/client/components/progress/progress-smoother.ts'

describe('ProgressSmoother', () => {
  it('never shows less percent or elapsed time than it showed before, even when a report steps back', () => {
    const s = new ProgressSmoother()
    s.frame(10, 2)
    s.frame(40, 10)
    const before = s.frame(40, 20)
    // The final status arrives with the server's elapsed (16 s) and a percent that was rounded down.
    const after = s.frame(38, 16)
    expect(after.elapsed).toBeGreaterThanOrEqual(before.elapsed)
    expect(after.pct).toBeGreaterThanOrEqual(before.pct)
  })

  it('moves the bar on between reports at the measured rate, at most 5 points ahead and below 99', () => {
    const s = new ProgressSmoother()
    s.frame(10, 0)
    s.frame(20, 4) // 2.5 % per second
    const a = s.frame(20, 5)
    const b = s.frame(20, 6)
    expect(a.pct).toBeGreaterThan(20)
    expect(b.pct).toBeGreaterThan(a.pct)
    expect(s.frame(20, 60).pct).toBe(25)
    const late = new ProgressSmoother()
    late.frame(90, 0)
    late.frame(98, 1)
    expect(late.frame(98, 30).pct).toBe(99)
  })

  it('smooths the time left instead of jumping with every report', () => {
    const s = new ProgressSmoother()
    s.frame(0, 0)
    s.frame(20, 10) // 2 %/s: 40 s left
    const first = s.frame(20, 10).eta!
    s.frame(22, 20) // a slow stretch: 0.2 %/s alone would say ~390 s
    const second = s.frame(22, 20).eta!
    expect(first).toBeCloseTo(40, 0)
    expect(second).toBeLessThan(first * 2)
  })

  it('shows 100 % and no time left when the run is done, and starts over after reset', () => {
    const s = new ProgressSmoother()
    s.frame(50, 5)
    expect(s.frame(50, 6, true)).toEqual({ pct: 100, elapsed: 6, eta: null })
    s.reset()
    expect(s.frame(0, 0).pct).toBe(0)
  })
})
