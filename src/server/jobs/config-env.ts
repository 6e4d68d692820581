/** Passes the web process's configuration to a child process, which reads it back with loadConfig. */
import type { Config } from '../config.ts'

/** The environment a child needs to load the same Config (variable names are the Config keys). */
export function configEnv(config: Config): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(config)) if (value !== undefined) env[key] = String(value)
  return env
}
