/**
 * Browsers cap an element's height (about 33 M px in Chrome, less elsewhere); 2 M rows of 24 px need 48 M.
 * Past a safe maximum the scroll range is scaled: the scroller is at most MAX_SCROLL_PX tall and a scroll
 * position maps linearly onto the content, so the first and the last row are both reachable.
 */

/** Tallest scroll range used (well under every browser's limit). */
export const MAX_SCROLL_PX = 8_000_000

export interface ScrollScale {
  /** Height of the scroller's spacer. */
  readonly spacerPx: number
  /** Content pixels per scroll pixel (1 when the content fits). */
  readonly factor: number
}

/** The scale for `contentPx` of content shown in a viewport of `viewportPx`. */
export function scrollScale(contentPx: number, viewportPx: number, maxPx = MAX_SCROLL_PX): ScrollScale {
  if (contentPx <= maxPx || maxPx <= viewportPx) return { spacerPx: contentPx, factor: 1 }
  return { spacerPx: maxPx, factor: Math.max(1, (contentPx - viewportPx) / (maxPx - viewportPx)) }
}
