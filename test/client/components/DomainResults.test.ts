// @vitest-environment happy-dom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import DomainResults from '../../../src/client/components/results/DomainResults.vue'
import { RowTable } from '../../../src/client/rows/row-store.ts'
import { MAX_SCROLL_PX } from '../../../src/client/table/scroll-pager.ts'

// happy-dom does no layout: give the table's scroller a height so the virtualizer renders rows.
const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight')
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('vt-scroller') ? 480 : 0
    },
  })
})
afterAll(() => {
  if (clientHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', clientHeight)
})

function lotTable(): RowTable {
  const t = new RowTable('history', ['CONTAINERNAME', 'WORKCENTERNAME', 'TRACKINQTY', 'TRACKINTIMESTAMP'])
  t.appendRows([
    ['GA-0003', '切割', 30, '2024-03-05T07:00:00'],
    ['GA-0001', 'TMTT', 1200, '2024-03-01T07:00:00'],
    ['GA-0002', '焊接_DB', 10, null],
    ['GA-0004', 'TMTT', 20, '2024-03-09T07:00:00'],
  ])
  return t
}

/** Rows on screen, top to bottom (the renderer reuses elements, so DOM order is not screen order). */
function shownRows(w: VueWrapper): string[][] {
  return w
    .findAll('[data-testid="results-scroller"] .vt-row')
    .filter((r) => !(r.element as HTMLElement).hidden)
    .sort((a, b) => Number(a.attributes('aria-rowindex')) - Number(b.attributes('aria-rowindex')))
    .map((r) => r.findAll('.vt-cell').map((c) => c.text()))
}

function shownLots(w: VueWrapper): string[] {
  return shownRows(w).map((cells) => cells[0])
}

describe('DomainResults table', () => {
  it('shows readable headers and formatted cells', async () => {
    const w = mount(DomainResults, { props: { table: lotTable(), version: 1, jobId: null, streaming: false } })
    await flushPromises()
    expect(w.get('[data-testid="column-TRACKINTIMESTAMP"]').text()).toContain('Track-in')
    expect(shownRows(w)[1]).toEqual(['GA-0001', 'TMTT', '1,200', '2024-03-01 07:00:00'])
    expect(w.get('[data-testid="row-counts"]').text()).toBe('4 rows')
  })

  it('sorts by a column on header clicks: ascending, descending, then arrival order', async () => {
    const w = mount(DomainResults, { props: { table: lotTable(), version: 1, jobId: null, streaming: false } })
    await flushPromises()
    const header = w.get('[data-testid="column-TRACKINQTY"]')
    await header.trigger('click')
    await flushPromises()
    expect(shownLots(w)).toEqual(['GA-0002', 'GA-0004', 'GA-0003', 'GA-0001'])
    expect(header.attributes('aria-sort')).toBe('ascending')
    await header.trigger('click')
    await flushPromises()
    expect(shownLots(w)).toEqual(['GA-0001', 'GA-0003', 'GA-0004', 'GA-0002'])
    await header.trigger('click')
    await flushPromises()
    expect(shownLots(w)).toEqual(['GA-0003', 'GA-0001', 'GA-0002', 'GA-0004'])
    expect(header.attributes('aria-sort')).toBe('none')
  })

  it('filters the loaded rows by text after the typing pause, combined with the sort', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const w = mount(DomainResults, { props: { table: lotTable(), version: 1, jobId: null, streaming: false } })
      await flushPromises()
      await w.get('[data-testid="column-CONTAINERNAME"]').trigger('click')
      await w.get('[data-testid="column-CONTAINERNAME"]').trigger('click')
      await w.get('[data-testid="table-filter"]').setValue('tmtt')
      await vi.advanceTimersByTimeAsync(250)
      await flushPromises()
      expect(shownLots(w)).toEqual(['GA-0004', 'GA-0001'])
      expect(w.get('[data-testid="row-counts"]').text()).toBe('2 of 4 rows')
      await w.get('[data-testid="table-filter"]').setValue('')
      await vi.advanceTimersByTimeAsync(250)
      await flushPromises()
      expect(shownLots(w)).toEqual(['GA-0004', 'GA-0003', 'GA-0002', 'GA-0001'])
    } finally {
      vi.useRealTimers()
    }
  })

  it('re-sorts a small table as rows stream in', async () => {
    const table = lotTable()
    const w = mount(DomainResults, { props: { table, version: 1, jobId: null, streaming: true } })
    await flushPromises()
    await w.get('[data-testid="column-TRACKINQTY"]').trigger('click')
    await flushPromises()
    table.appendRows([['GA-0000', 'TMTT', 1, null]])
    await w.setProps({ version: 2 })
    await vi.waitFor(() => expect(shownLots(w)[0]).toBe('GA-0000'), { timeout: 3000 })
  })

  it('links the full CSV export of a job domain and renders only the rows in view', async () => {
    const t = new RowTable('history', ['TRACKINQTY'])
    for (let s = 0; s < 400_000; s += 50_000) t.appendRows(Array.from({ length: 50_000 }, (_, i) => [s + i]))
    const w = mount(DomainResults, {
      props: { table: t, version: 1, jobId: 'trace-evt-0123456789abcdef0123456789abcdef', streaming: false },
    })
    await flushPromises()
    expect(w.get('[data-testid="export-full"]').attributes('href')).toBe(
      'http://localhost:3000/api/trace/job/trace-evt-0123456789abcdef0123456789abcdef/export.csv?domain=history',
    )
    // 400 000 rows of 24 px exceed the scroll limit: the range is scaled, the DOM holds a few blocks only.
    const spacer = w.get('.vt-spacer').element as HTMLElement
    expect(spacer.style.height).toBe(`${MAX_SCROLL_PX}px`)
    expect(shownRows(w).length).toBeGreaterThan(0)
    expect(w.findAll('.vt-scroller .vt-row').length).toBeLessThan(60)
  })

  it("names the shown view's exports for what was traced and offers every export for Excel and for scripts", async () => {
    const names: string[] = []
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download)
    })
    const url = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:x')
    try {
      const traced = { profile: 'query_tool', subject: 'W2601-0001', readAt: '2026-01-15T08:00:00.000Z', lines: [] }
      const jobId = 'trace-evt-0123456789abcdef0123456789abcdef'
      const w = mount(DomainResults, { props: { table: lotTable(), version: 1, jobId, streaming: false, traced } })
      await flushPromises()
      await w.get('[data-testid="export-view"]').trigger('click')
      await w.get('[data-testid="export-view-xlsx"]').trigger('click')
      await vi.waitFor(() => expect(names).toHaveLength(2), { timeout: 20_000 })
      expect(names).toEqual([
        'query_tool-W2601-0001-2026-01-15-history-view.csv',
        'query_tool-W2601-0001-2026-01-15-history-view.xlsx',
      ])
      const base = `http://localhost:3000/api/trace/job/${jobId}`
      expect(w.get('[data-testid="export-full-xlsx"]').attributes('href')).toBe(`${base}/export.xlsx?domain=history`)
      expect(w.get('[data-testid="export-full-sheet-csv"]').attributes('href')).toBe(
        `${base}/export.csv?domain=history&flavour=spreadsheet`,
      )
      expect(w.get('[data-testid="export-view-xlsx"]').text()).toBe('for Excel')
      expect(w.get('[data-testid="export-view"]').text()).toBe('CSV for scripts')
    } finally {
      click.mockRestore()
      url.mockRestore()
    }
  }, 60_000)
})
