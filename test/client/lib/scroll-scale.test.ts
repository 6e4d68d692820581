// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { MAX_SCROLL_PX, scrollScale } from '../../../src/client/lib/scroll-scale.ts'

describe('scrollScale', () => {
  it('leaves content that fits unscaled', () => {
    expect(scrollScale(24 * 100_000, 600)).toEqual({ spacerPx: 2_400_000, factor: 1 })
  })

  it('scales 2 M rows under the browser limit and still reaches the last row', () => {
    const content = 24 * 2_000_000
    const viewport = 600
    const s = scrollScale(content, viewport)
    expect(s.spacerPx).toBe(MAX_SCROLL_PX)
    expect(s.spacerPx).toBeLessThan(33_000_000)
    // At the scroller's end, the content offset is exactly the content's end minus one viewport.
    expect((s.spacerPx - viewport) * s.factor).toBeCloseTo(content - viewport, 3)
  })
})
