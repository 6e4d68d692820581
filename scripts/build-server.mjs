// @ts-check
/**
 * The server build: the web server, the worker entry and the CLIs compiled by esbuild into dist-server/ as
 * JavaScript with source maps, so production processes run without the tsx loader (about 40 MB of RSS per
 * process) and `node --enable-source-maps` still reports TypeScript lines in stack traces.
 *
 *   node scripts/build-server.mjs             builds
 *   node scripts/build-server.mjs --if-stale  builds only when an input changed since the last build (npm start)
 *   --out-dir DIR                             another folder than dist-server/ (inside the project, so the
 *                                             build finds node_modules)
 *
 * Plain JavaScript because it runs before there is any compiled code, and without tsx it adds ~50 ms, not ~400,
 * to every `npm start`.
 *
 * Layout: every entry and shared chunk sits flat in dist-server/, because code finds its siblings through
 * `new URL('./x.js', import.meta.url)` (the worker entry, the SQLite thread body) and must find them from
 * whichever chunk it was bundled into. Packages stay external: node_modules is loaded as it is installed.
 */
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

/** The project root (this file's parent folder's parent). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
/** Where `npm start`, `npm run worker` and the systemd units find the compiled server. */
export const SERVER_OUT_DIR = join(PROJECT_ROOT, 'dist-server')
/** The build's record of its inputs, written last: its presence means a complete build. */
const META_FILE = 'meta.json'
const THIS_FILE = fileURLToPath(import.meta.url)

/**
 * The entry points, as paths relative to the project root: the web server, the worker process (embedded
 * and `npm run worker`), the SQLite thread body (a plain JS file loaded with `new Worker`), every
 * `src/server/demo/*-cli.ts` and `src/server/cli/*-cli.ts`.
 * @returns {string[]}
 */
export function serverEntryPoints() {
  const clis = ['src/server/demo', 'src/server/cli'].flatMap((dir) =>
    readdirSync(join(PROJECT_ROOT, dir))
      .filter((name) => name.endsWith('-cli.ts'))
      .map((name) => `${dir}/${name}`),
  )
  return [
    'src/server/cli/start.ts',
    'src/server/jobs/worker-main.ts',
    'src/server/source/sqlite/sqlite-thread.js',
    ...clis,
  ]
}

/**
 * Builds the server into `outDir` (default dist-server/): into a sibling folder first, then swapped in, so a
 * running server never forks a worker from a half-written build.
 * @param {{ outDir?: string, entryPoints?: string[] }} [options] `entryPoints` default serverEntryPoints()
 * @returns {Promise<{ outDir: string, ms: number }>}
 */
export async function buildServer(options = {}) {
  const outDir = options.outDir ?? SERVER_OUT_DIR
  const entryPoints = options.entryPoints ?? serverEntryPoints()
  const started = performance.now()
  const staging = `${outDir}.building-${process.pid}`
  rmSync(staging, { recursive: true, force: true })
  // Imported here, so the up-to-date check of every `npm start` does not load esbuild.
  const { build } = await import('esbuild')
  try {
    const result = await build({
      absWorkingDir: PROJECT_ROOT,
      entryPoints,
      outdir: staging,
      entryNames: '[name]',
      chunkNames: 'chunk-[hash]',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20.19',
      packages: 'external',
      sourcemap: 'linked',
      // Stack traces need only the mappings; the sources would be parsed into every process for nothing.
      sourcesContent: false,
      metafile: true,
      logLevel: 'warning',
    })
    const meta = { entryPoints, inputs: Object.keys(result.metafile.inputs) }
    writeFileSync(join(staging, META_FILE), JSON.stringify(meta, null, 1) + '\n')
    rmSync(outDir, { recursive: true, force: true })
    renameSync(staging, outDir)
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
  return { outDir, ms: performance.now() - started }
}

/**
 * Why `outDir` needs building, or null when it is up to date: missing, built by an older version of this
 * script, with other entry points, or older than one of the files it was built from.
 * @param {string} [outDir] default dist-server/
 * @returns {string | null}
 */
export function staleReason(outDir = SERVER_OUT_DIR) {
  const metaPath = join(outDir, META_FILE)
  if (!existsSync(metaPath)) return 'no build yet'
  const builtAt = statSync(metaPath).mtimeMs
  if (statSync(THIS_FILE).mtimeMs > builtAt) return 'the build script changed'
  /** @type {{ entryPoints: string[], inputs: string[] }} */
  const meta = JSON.parse(readFileSync(metaPath, 'utf8'))
  if (meta.entryPoints.join('\n') !== serverEntryPoints().join('\n')) return 'the entry points changed'
  for (const input of meta.inputs) {
    const path = join(PROJECT_ROOT, input)
    if (!existsSync(path)) return `${input} was removed`
    if (statSync(path).mtimeMs > builtAt) return `${input} changed`
  }
  return null
}

/**
 * Builds `outDir` when staleReason() says so; says what it did on stderr.
 * @param {string} [outDir] default dist-server/
 * @returns {Promise<'present' | 'built'>}
 */
export async function ensureServerBuild(outDir = SERVER_OUT_DIR) {
  const reason = staleReason(outDir)
  if (reason === null) return 'present'
  const { ms } = await buildServer({ outDir })
  process.stderr.write(`server built into ${relative(PROJECT_ROOT, outDir)}/ (${reason}) in ${Math.round(ms)} ms\n`)
  return 'built'
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  const { values } = parseArgs({ options: { 'if-stale': { type: 'boolean' }, 'out-dir': { type: 'string' } } })
  const outDir = values['out-dir'] === undefined ? SERVER_OUT_DIR : resolve(values['out-dir'])
  try {
    if (values['if-stale']) await ensureServerBuild(outDir)
    else {
      const { ms } = await buildServer({ outDir })
      process.stderr.write(`server built into ${relative(PROJECT_ROOT, outDir)}/ in ${Math.round(ms)} ms\n`)
    }
  } catch (err) {
    // esbuild has already printed the errors with their locations.
    process.stderr.write(`server build failed: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  }
}
