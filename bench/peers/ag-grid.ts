/**
 * AG Grid Community, client-side row model, fed the job stream in the batches it arrives in
 * (`applyTransactionAsync`, one transaction per `records` line, as AG Grid recommends for high-frequency
 * updates). Rows stay the stream's arrays (columns read by index), so no object is built per row.
 */
import { AllCommunityModule, ModuleRegistry, createGrid, type ColDef } from 'ag-grid-community'
import { now, report, streamBatches, whenVisible } from './stream-batches.ts'

ModuleRegistry.registerModules([AllCommunityModule])

async function main(): Promise<void> {
  const out = report()
  const api = createGrid(document.getElementById('grid') as HTMLElement, { columnDefs: [], rowData: [] })
  let pending = 0
  let ended = false
  let finish: () => void = () => undefined
  const finished = new Promise<void>((r) => (finish = r))
  const settle = (): void => {
    pending--
    if (ended && pending === 0) finish()
  }
  for await (const batch of streamBatches(`/stream${location.search}`)) {
    if (out.firstRowAt === null && pending === 0 && out.rows === 0) {
      const columnDefs: ColDef<unknown[]>[] = batch.columns.map((c, i) => ({
        field: String(i) as never,
        headerName: c,
      }))
      api.setGridOption('columnDefs', columnDefs)
      void whenVisible(() => document.querySelector('.ag-row') !== null).then((t) => (out.firstRowAt = t))
    }
    pending++
    out.rows += batch.rows.length
    api.applyTransactionAsync({ add: batch.rows }, settle)
  }
  ended = true
  api.flushAsyncTransactions()
  if (pending > 0) await finished
  await whenVisible(() => api.getDisplayedRowCount() === out.rows)
  out.doneAt = now()
}

main().catch((err: unknown) => (report().error = String(err)))
