// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { MAX_SCROLL_PX, ScrollPager } from '../../../src/client/table/scroll-pager.ts'

const ROW = 24
const VIEW = 600

describe('ScrollPager', () => {
  it('leaves content that fits alone: offset 0, scroll position is content position', () => {
    const p = new ScrollPager()
    p.configure(100_000 * ROW, VIEW, 0)
    expect(p.spacerPx).toBe(2_400_000)
    expect(p.onScroll(12_345)).toEqual({ contentOffset: 12_345, rewrite: null })
    expect(p.offset).toBe(0)
  })

  it('keeps 2 M rows under the browser limit and scrolls 1:1 across page boundaries without skipping', () => {
    const p = new ScrollPager()
    p.configure(2_000_000 * ROW, VIEW, 0)
    expect(p.spacerPx).toBe(MAX_SCROLL_PX)
    let top = 0
    let content = 0
    // 5000 small steps cross many pages: the content always moves by exactly the step.
    for (let i = 0; i < 5000; i++) {
      top += 100
      const u = p.onScroll(top)
      expect(u.contentOffset - content).toBe(100)
      content = u.contentOffset
      if (u.rewrite !== null) {
        top = u.rewrite
        expect(p.onScroll(top).contentOffset).toBe(content)
      }
      expect(top).toBeLessThanOrEqual(MAX_SCROLL_PX - VIEW)
    }
  })

  it('maps a thumb drag proportionally and reaches the very last row', () => {
    const content = 2_000_000 * ROW
    const p = new ScrollPager()
    p.configure(content, VIEW, 0)
    const middle = p.onScroll((MAX_SCROLL_PX - VIEW) / 2).contentOffset
    expect(Math.abs(middle / (content - VIEW) - 0.5)).toBeLessThan(0.02)
    const end = p.onScroll(MAX_SCROLL_PX - VIEW)
    expect(end.contentOffset).toBe(content - VIEW)
    expect(p.scrollTopFor(content)).toBe(MAX_SCROLL_PX - VIEW)
  })

  it('keeps the row in view in place when rows keep arriving', () => {
    const p = new ScrollPager()
    p.configure(1_000_000 * ROW, VIEW, 0)
    const at = p.scrollTopFor(7_000_000)
    const before = p.contentOffsetOf(at)
    const u = p.configure(1_500_000 * ROW, VIEW, at)
    expect(u.contentOffset).toBe(before)
    expect(p.contentOffsetOf(u.rewrite ?? at)).toBe(before)
  })
})
