/**
 * Draws the visible rows of the results table straight into the DOM. Scrolling is the hottest path of the
 * app, so instead of a virtual-DOM diff of every cell each frame it keeps a ring of row elements: a row
 * still in view keeps its element, text and position (the browser scrolls it without repainting), a row
 * entering the view takes the element of one that left, and only those rows are written.
 */
import type { RowTable } from '../rows/index.ts'

interface Slot {
  readonly el: HTMLElement
  readonly cells: HTMLElement[]
  /** Each cell's one text node: setting its data replaces no node (textContent would swap a new one in). */
  readonly texts: Text[]
  pos: number
  row: number
  top: number
}

/** What to draw. */
export interface RowView {
  readonly table: RowTable
  /** Row indices in view order; null = arrival order. */
  readonly order: Uint32Array | null
  /** Right-aligned (numeric) columns. */
  readonly numeric: readonly boolean[]
}

export class RowRenderer {
  private slots: Slot[] = []
  private columns = 0
  private table: RowTable | null = null

  /**
   * @param container element the rows are placed in (absolutely positioned, `rowHeight` apart)
   * @param rowHeight px per row
   */
  constructor(
    private readonly container: HTMLElement,
    private readonly rowHeight: number,
  ) {}

  /**
   * Shows view positions [first, first + count), row `pos` at `pos * rowHeight - offset` px. `force` redraws
   * every row (new order, a column changed kind); otherwise only rows not already on screen get their text.
   */
  render(view: RowView, first: number, count: number, offset: number, force: boolean): void {
    const columns = view.table.columns.length
    if (view.table !== this.table || columns !== this.columns) {
      this.clear()
      this.table = view.table
      this.columns = columns
      force = true
    }
    while (this.slots.length < count) this.slots.push(this.createSlot(columns))
    const size = this.slots.length
    const used = new Uint8Array(size)
    for (let pos = first; pos < first + count; pos++) {
      const index = pos % size
      const slot = this.slots[index]
      used[index] = 1
      const row = view.order ? view.order[pos] : pos
      if (force || slot.pos !== pos || slot.row !== row) {
        for (let c = 0; c < columns; c++) {
          const text = view.table.display(row, c)
          if (slot.texts[c].data !== text) slot.texts[c].data = text
          if (force) slot.cells[c].classList.toggle('num', view.numeric[c])
        }
        slot.el.classList.toggle('odd', pos % 2 === 1)
        slot.el.setAttribute('aria-rowindex', String(pos + 2))
        slot.pos = pos
        slot.row = row
      }
      const top = pos * this.rowHeight - offset
      if (slot.top !== top) {
        slot.el.style.transform = `translateY(${top}px)`
        slot.top = top
      }
      if (slot.el.hidden) slot.el.hidden = false
    }
    for (let i = 0; i < size; i++) {
      if (used[i] === 0 && !this.slots[i].el.hidden) {
        this.slots[i].el.hidden = true
        this.slots[i].pos = -1
      }
    }
  }

  /** Removes every row element. */
  clear(): void {
    for (const slot of this.slots) slot.el.remove()
    this.slots = []
    this.table = null
  }

  private createSlot(columns: number): Slot {
    const el = document.createElement('div')
    el.className = 'vt-row'
    el.setAttribute('role', 'row')
    const cells: HTMLElement[] = []
    const texts: Text[] = []
    for (let c = 0; c < columns; c++) {
      const cell = document.createElement('div')
      cell.className = 'vt-cell'
      cell.setAttribute('role', 'cell')
      const text = document.createTextNode('')
      cell.appendChild(text)
      el.appendChild(cell)
      cells.push(cell)
      texts.push(text)
    }
    this.container.appendChild(el)
    return { el, cells, texts, pos: -1, row: -1, top: Number.NaN }
  }
}
