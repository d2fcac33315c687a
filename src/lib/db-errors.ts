// Recognises database errors by SQLSTATE, whichever driver (postgres.js, PGlite) raised them.

function sqlState(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code
  }
  return undefined
}

/** A unique constraint refused the row (23505). */
export const isUniqueViolation = (error: unknown) => sqlState(error) === '23505'

/** The database could not be reached or went away (connection errors, admin shutdown, 08xxx/57Pxx). */
export function isConnectionError(error: unknown): boolean {
  const state = sqlState(error)
  if (state && (state.startsWith('08') || state.startsWith('57P'))) return true
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|CONNECTION_|CONNECT_TIMEOUT|EPIPE)/.test(code)) return true
    // The embedded database after close() (e.g. during shutdown).
    if (e instanceof Error && e.message === 'PGlite is closed') return true
  }
  return false
}
