// Recognises database errors by SQLSTATE, whichever driver (postgres.js, Bun SQL, PGlite) raised them.

const SQLSTATE = /^[0-9A-Z]{5}$/

function sqlState(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    // postgres.js and PGlite put the SQLSTATE in `code`; Bun SQL in `errno` (its `code` is its own, ERR_POSTGRES_…).
    const { code, errno } = e as { code?: unknown; errno?: unknown }
    if (typeof code === 'string' && SQLSTATE.test(code)) return code
    if (typeof errno === 'string' && SQLSTATE.test(errno)) return errno
  }
  return undefined
}

/** A unique constraint refused the row (23505). */
export const isUniqueViolation = (error: unknown) => sqlState(error) === '23505'

/** Runs a write; a unique constraint's refusal becomes `taken()` (a 409 naming the field), when there is one. */
export async function uniqueOr<T>(taken: (() => Error) | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (taken && isUniqueViolation(error)) throw taken()
    throw error
  }
}

/** The database could not be reached or went away (connection errors, admin shutdown, 08xxx/57Pxx). */
export function isConnectionError(error: unknown): boolean {
  const state = sqlState(error)
  if (state && (state.startsWith('08') || state.startsWith('57P'))) return true
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|CONNECTION_|CONNECT_TIMEOUT|EPIPE|ERR_POSTGRES_CONNECTION_|ERR_POSTGRES_IDLE_TIMEOUT|ERR_POSTGRES_CONNECTION_TIMEOUT)/.test(code)) return true
    // The embedded database after close() (e.g. during shutdown).
    if (e instanceof Error && e.message === 'PGlite is closed') return true
  }
  return false
}
