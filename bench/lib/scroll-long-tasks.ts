/**
 * Long tasks (PerformanceObserver `longtask`, over 50 ms on the main thread) while a table is scrolled from top
 * to bottom in 400 even steps and then back up 200 screens, a frame each: the same walk for every grid. The
 * scroller is the element matching `selector` (open shadow roots searched too) with the longest scroll range.
 */
import type { Page } from 'playwright-core'

export interface ScrollFigures {
  readonly longestMs: number
  readonly longTasks: number
  readonly steps: number
}

export function longTasksWhileScrolling(page: Page, selector: string): Promise<ScrollFigures> {
  return page.evaluate(async (sel) => {
    const matches: HTMLElement[] = []
    const collect = (root: Document | ShadowRoot): void => {
      matches.push(...root.querySelectorAll<HTMLElement>(sel))
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) collect(el.shadowRoot)
    }
    collect(document)
    const range = (el: HTMLElement): number => el.scrollHeight - el.clientHeight
    // The match that scrolls furthest is the table's vertical scroller.
    const scroller = matches.sort((a, b) => range(b) - range(a))[0]
    if (!scroller || range(scroller) <= 0) throw new Error(`nothing matching ${sel} scrolls`)
    const durations: number[] = []
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) durations.push(e.duration)
    })
    observer.observe({ type: 'longtask' })
    const frame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()))
    let steps = 0
    const max = scroller.scrollHeight - scroller.clientHeight
    for (let i = 0; i <= 400; i++) {
      scroller.scrollTop = (max * i) / 400
      steps++
      await frame()
    }
    for (let i = 0; i < 200; i++) {
      scroller.scrollTop -= scroller.clientHeight * 0.8
      steps++
      await frame()
    }
    await frame()
    await new Promise((r) => setTimeout(r, 200))
    observer.disconnect()
    return { longestMs: durations.length ? Math.max(...durations) : 0, longTasks: durations.length, steps }
  }, selector)
}
