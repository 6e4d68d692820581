/// <reference types="vite/client" />
/**
 * Perspective (its engine in a Web Worker, WebAssembly) with its viewer and datagrid plugin, fed the job stream:
 * the table is created from the first batch's columns (numbers as float, everything else as string, ISO
 * timestamps included, so no date parsing is added), every `records` line appended with `table.update` in
 * column form.
 */
import perspective from '@perspective-dev/client'
import perspectiveViewer from '@perspective-dev/viewer'
import '@perspective-dev/viewer-datagrid'
import '@perspective-dev/viewer/dist/css/themes.css'
import SERVER_WASM from '@perspective-dev/server/dist/wasm/perspective-server.wasm?url'
import CLIENT_WASM from '@perspective-dev/client/dist/wasm/perspective-js.wasm?url'
import VIEWER_WASM from '@perspective-dev/viewer/dist/wasm/perspective-viewer.wasm?url'
import { deepQuery, now, report, streamBatches, whenVisible } from './stream-batches.ts'

type Viewer = HTMLElement & {
  load(table: unknown): Promise<void>
  restore(config: Record<string, unknown>): Promise<void>
  flush(): Promise<void>
}

perspective.init_server(fetch(SERVER_WASM))
perspective.init_client(fetch(CLIENT_WASM))
perspectiveViewer.init_client(fetch(VIEWER_WASM))

async function main(): Promise<void> {
  const out = report()
  const client = await perspective.worker()
  const viewer = document.querySelector('perspective-viewer') as Viewer
  let table: Awaited<ReturnType<typeof client.table>> | undefined
  const updates: Promise<void>[] = []
  for await (const batch of streamBatches(`/stream${location.search}`)) {
    const columns: Record<string, unknown[]> = {}
    batch.columns.forEach((c, i) => (columns[c] = batch.rows.map((r) => r[i])))
    if (!table) {
      const schema: Record<string, 'float' | 'string'> = {}
      batch.columns.forEach((c, i) => {
        const sample = batch.rows.find((r) => r[i] !== null)?.[i]
        schema[c] = typeof sample === 'number' ? 'float' : 'string'
      })
      table = await client.table(schema as never)
      await viewer.load(table)
      await viewer.restore({ plugin: 'Datagrid' })
      void whenVisible(() => deepQuery('regular-table tbody tr td') !== null).then((t) => (out.firstRowAt = t))
    }
    out.rows += batch.rows.length
    updates.push(table.update(columns as never))
  }
  await Promise.all(updates)
  await viewer.flush()
  const size = table ? await table.size() : 0
  if (size !== out.rows) throw new Error(`table holds ${size} rows of ${out.rows}`)
  out.doneAt = now()
}

main().catch((err: unknown) => (report().error = String(err)))
