/**
 * Where the Oracle warehouse is and who reads it, from MES_ORACLE_URL, MES_ORACLE_USER, MES_ORACLE_PASSWORD
 * and MES_SCHEMA, and how a failure to reach it is explained: every message names the variable to check and
 * carries the driver's error code (ORA-01017, NJS-503, …), never the password.
 */
import type { Config } from '../../config.ts'
import { oracleErrorCode } from './oracle-driver.ts'

export interface OracleSettings {
  /** Easy Connect (`host:1521/service`) or a connect descriptor (`(DESCRIPTION=…)`). */
  readonly connectString: string
  readonly user: string
  readonly password: string
  /** Schema the unqualified DW_MES_* names resolve in (the session's CURRENT_SCHEMA), upper case. */
  readonly schema: string
}

const ORACLE_IDENTIFIER = /^[A-Za-z][A-Za-z0-9_$#]{0,127}$/

/** Reads the settings; throws naming the variable that is missing or malformed. */
export function oracleSettings(config: Config): OracleSettings {
  const connectString = config.MES_ORACLE_URL
  if (connectString === undefined) throw new Error('MES_ORACLE_URL is not set')
  const missing = (['MES_ORACLE_USER', 'MES_ORACLE_PASSWORD'] as const).filter((name) => config[name] === undefined)
  if (missing.length > 0)
    throw new Error(`MES_ORACLE_URL is set but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not`)
  if (!ORACLE_IDENTIFIER.test(config.MES_SCHEMA)) {
    throw new Error(
      'MES_SCHEMA must be an unquoted Oracle identifier (letters, digits, _ $ #), ' +
        `not ${JSON.stringify(config.MES_SCHEMA)}`,
    )
  }
  return {
    connectString,
    user: config.MES_ORACLE_USER as string,
    password: config.MES_ORACLE_PASSWORD as string,
    schema: config.MES_SCHEMA.toUpperCase(),
  }
}

/** Which variable an error code points at; the listener and service by default. */
const SUSPECTS: readonly (readonly [RegExp, string])[] = [
  [/^ORA-(01017|01005|28000|28001|01045)$/, 'MES_ORACLE_USER / MES_ORACLE_PASSWORD'],
  [/^ORA-(01435|00942|01031)$/, 'MES_SCHEMA (and the SELECT grants on its DW_MES_* tables)'],
]

/** The variable(s) to check for a connection or set-up failure with this error. */
export function suspectVariable(err: unknown): string {
  const code = oracleErrorCode(err) ?? ''
  return SUSPECTS.find(([pattern]) => pattern.test(code))?.[1] ?? 'MES_ORACLE_URL'
}

/** A start-up failure explained: what was tried, the variable to check, and the driver's code and message. */
export function describeOracleFailure(settings: OracleSettings, action: string, err: unknown): Error {
  const code = oracleErrorCode(err)
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err)
  const driver = code === undefined || message.startsWith(code) ? message : `${code}: ${message}`
  return new Error(
    `cannot ${action} the Oracle warehouse at MES_ORACLE_URL=${settings.connectString} as ` +
      `MES_ORACLE_USER=${settings.user} (MES_SCHEMA=${settings.schema}); check ${suspectVariable(err)}: ${driver}`,
    { cause: err },
  )
}
