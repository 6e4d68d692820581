/** The Node flags `npm start` runs the web process with, read from package.json so benches start it the same way. */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..', '..')

/** The flags between `node` and the script of the start script (`--import tsx` alone when it runs tsx). */
export function startNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  const words = pkg.scripts.start.trim().split(/\s+/)
  if (words[0] === 'tsx') return ['--import', 'tsx']
  if (words[0] !== 'node') throw new Error(`cannot read the Node flags of the start script: ${pkg.scripts.start}`)
  return words.slice(1, -1)
}
