// Structured JSON logging: one line per record, a request id on every request line, the trace and span ids
// wherever a span is active (so a line leads to its trace), no secrets.
import type { LogLevel } from '../env'
import { activeTraceIds } from './tracing'

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export type LogFields = Record<string, unknown>

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  /** A logger whose every line carries `fields` too (e.g. the request id). */
  child(fields: LogFields): Logger
}

/** Field names whose values are never written, wherever they appear. */
const SECRET_KEYS = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|database_url/i

/**
 * An error as a log field. Query errors name the SQL and the database's reason, never the bound
 * parameters (they can hold credentials' hashes or user text).
 */
export function errorFields(error: Error): Record<string, unknown> {
  const cause = error.cause instanceof Error ? error.cause : undefined
  const query = (error as { query?: unknown }).query
  const code = (cause as { code?: unknown } | undefined)?.code
  return {
    name: cause?.name ?? error.name,
    message: cause ? cause.message : error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof query === 'string' ? { query: query.slice(0, 500) } : {}),
    stack: error.stack?.split('\n').filter((line) => line.startsWith('    at ')).slice(0, 12).join('\n'),
  }
}

function redact(fields: LogFields): LogFields {
  const out: LogFields = {}
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_KEYS.test(key)) out[key] = '[redacted]'
    else if (value instanceof Error) out[key] = errorFields(value)
    else out[key] = value
  }
  return out
}

/** Creates a logger writing JSON lines through `write` (stdout by default). */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  base: LogFields = {},
): Logger {
  const min = RANK[level]
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (RANK[lvl] < min) return
    write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...base, ...activeTraceIds(), ...redact(fields ?? {}) }))
  }
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger(level, write, { ...base, ...redact(fields) }),
  }
}
