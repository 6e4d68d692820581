/**
 * Scrolling through more content than a browser lets an element be tall (about 33 M px in Chrome; 2 M rows
 * of 24 px need 48 M): the scroller is at most `maxPx` tall and the content is cut into pages, each shown
 * at an offset. Within a page the content scrolls 1:1 with the scroll position (so the browser scrolls it
 * natively, without repainting rows already drawn); crossing into the next page moves the offset and
 * rewrites the scroll position so nothing is skipped; a big jump (dragging the thumb) maps proportionally.
 * This is the paging scheme of SlickGrid; below `maxPx` the offset is always 0.
 */

/** Tallest scroll range used (well under every browser's limit). */
export const MAX_SCROLL_PX = 8_000_000
const PAGES = 100

export interface ScrollUpdate {
  /** Content offset (px) the viewport now starts at. */
  readonly contentOffset: number
  /** A scroll position to write back to the element, or null. */
  readonly rewrite: number | null
}

export class ScrollPager {
  /** Height of the scroller's content (spacer), px. */
  spacerPx = 0
  /** Content px minus spacer px at the current page: a row at content y sits at y - offset in the spacer. */
  offset = 0
  private content = 0
  private viewport = 0
  private pageHeight = 1
  private pages = 1
  private jump = 0
  private page = 0
  private lastTop = 0

  /** @param maxPx tallest spacer (default MAX_SCROLL_PX) */
  constructor(private readonly maxPx = MAX_SCROLL_PX) {}

  /** Content offset of scroll position `scrollTop` on the current page. */
  contentOffsetOf(scrollTop: number): number {
    return scrollTop + this.offset
  }

  /** Sets the sizes; keeps the content offset the viewport starts at (returns where to scroll to keep it). */
  configure(contentPx: number, viewportPx: number, scrollTop: number): ScrollUpdate {
    const keep = this.contentOffsetOf(scrollTop)
    this.content = contentPx
    this.viewport = viewportPx
    this.spacerPx = Math.min(contentPx, this.maxPx)
    if (contentPx <= this.maxPx || this.maxPx <= viewportPx) {
      this.pageHeight = Math.max(1, this.spacerPx)
      this.pages = 1
      this.jump = 0
    } else {
      this.pageHeight = this.maxPx / PAGES
      this.pages = Math.ceil(contentPx / this.pageHeight)
      this.jump = (contentPx - this.maxPx) / (this.pages - 1)
    }
    return this.moveTo(keep, scrollTop)
  }

  /** Handles a scroll event at `scrollTop`. */
  onScroll(scrollTop: number): ScrollUpdate {
    const distance = Math.abs(scrollTop - this.lastTop)
    if (this.pages === 1 || distance === 0) {
      this.lastTop = scrollTop
      return { contentOffset: this.contentOffsetOf(scrollTop), rewrite: null }
    }
    if (distance < this.viewport) return this.moveTo(scrollTop + this.offset, scrollTop)
    // A jump (thumb drag, Page Down on a huge list): the page follows the thumb proportionally.
    const ratio = (this.content - this.viewport) / Math.max(1, this.spacerPx - this.viewport)
    this.page = Math.min(this.pages - 1, Math.max(0, Math.floor((scrollTop * ratio) / this.pageHeight)))
    this.offset = Math.round(this.page * this.jump)
    this.lastTop = scrollTop
    return { contentOffset: this.contentOffsetOf(scrollTop), rewrite: null }
  }

  /** The scroll position that shows content offset `y` (for programmatic scrolling). */
  scrollTopFor(y: number): number {
    return this.moveTo(y, Number.NaN).rewrite ?? this.lastTop
  }

  private moveTo(y: number, scrollTop: number): ScrollUpdate {
    const target = Math.max(0, Math.min(y, Math.max(0, this.content - this.viewport)))
    let page = Math.min(this.pages - 1, Math.floor(target / this.pageHeight))
    // Near the end a page may need its successor's offset for the position to fit in the scroller.
    while (page < this.pages - 1 && target - Math.round(page * this.jump) > this.spacerPx - this.viewport) page++
    this.page = page
    this.offset = Math.round(page * this.jump)
    const top = target - this.offset
    this.lastTop = top
    return { contentOffset: target, rewrite: top !== scrollTop ? top : null }
  }
}
