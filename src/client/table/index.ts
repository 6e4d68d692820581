/** The results table: sorted and filtered views (in a Web Worker), row rendering and scroll paging. */
export { RowRenderer } from './row-renderer.ts'
export { ScrollPager } from './scroll-pager.ts'
export type { SortSpec } from './table-view.ts'
export { useTableView } from './useTableView.ts'
