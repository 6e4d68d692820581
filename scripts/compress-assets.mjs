/**
 * Writes `<file>.gz` and `<file>.br` next to every compressible file of a built client's assets/ folder, once
 * per build, at the highest levels (the cost is paid once, not per request); the server sends them with
 * Content-Encoding to a browser that accepts it (src/server/http/static-files.ts). A compressed copy that is not
 * smaller than its file is not written. Runs from vite.config.ts when `vite build` ends, or as
 * `node scripts/compress-assets.mjs [DIST]`.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

const gzipAsync = promisify(gzip)
const brotliAsync = promisify(brotliCompress)

/** Text formats worth compressing; images and fonts in assets/ are compressed already. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|json|svg|wasm|map|txt)$/

/**
 * Compresses the assets of `distDir`; returns how many files got compressed copies.
 * @param {string} distDir
 * @returns {Promise<number>}
 */
export async function compressAssets(distDir) {
  const dir = join(distDir, 'assets')
  let names
  try {
    names = await readdir(dir)
  } catch (err) {
    if (err && err.code === 'ENOENT') return 0
    throw err
  }
  let compressed = 0
  for (const name of names.filter((n) => COMPRESSIBLE.test(n))) {
    const path = join(dir, name)
    const plain = await readFile(path)
    const gz = await gzipAsync(plain, { level: 9 })
    const br = await brotliAsync(plain, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: plain.length },
    })
    if (gz.length < plain.length) await writeFile(`${path}.gz`, gz)
    if (br.length < plain.length) await writeFile(`${path}.br`, br)
    compressed += 1
  }
  return compressed
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = resolve(process.argv[2] ?? 'dist')
  console.log(`compressed ${await compressAssets(dist)} assets in ${dist}`)
}
