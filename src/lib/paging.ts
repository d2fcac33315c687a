// Paging every list shares: which parameters a list takes, its limit (a default and a maximum), and an opaque cursor.
import { t } from 'elysia'
import { z } from 'zod'
import { invalid } from './errors'

export const LIMIT_DEFAULT = 20
export const LIMIT_MAX = 100

const CURSOR_HELP = 'next_cursor from the previous page'

/**
 * A list's paging parameters in its REST query, as strings (Elysia's query parser for zod schemas splits values at
 * commas, which list filters use, so list queries stay TypeBox objects of strings).
 */
export const pagingQuery = {
  limit: t.Optional(t.String({ description: `1 to ${LIMIT_MAX}, default ${LIMIT_DEFAULT}` })),
  cursor: t.Optional(t.String({ description: CURSOR_HELP })),
}

/** The same parameters as a tool's arguments. */
export const pagingArgs = {
  limit: z.number().int().min(1).max(LIMIT_MAX).optional().describe(`Default ${LIMIT_DEFAULT}, at most ${LIMIT_MAX}`),
  cursor: z.string().optional().describe(CURSOR_HELP),
}

/** Refuses a query parameter the list does not take, naming it. */
export function onlyParams(params: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) throw invalid(key, `${key} is not a parameter of this list (expected ${allowed.join(', ')})`)
  }
}

/** `limit` as a query string carries it: a whole number from 1 to LIMIT_MAX; LIMIT_DEFAULT when absent. */
export function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return LIMIT_DEFAULT
  const limit = /^\d+$/.test(raw) ? Number(raw) : NaN
  if (!(limit >= 1 && limit <= LIMIT_MAX)) throw invalid('limit', `limit must be a whole number from 1 to ${LIMIT_MAX}`)
  return limit
}

/** A cursor that this API did not hand out: the client starts over. */
export const forgedCursor = () => invalid('cursor', 'cursor is not one this API issued; start again without it')

/** The opaque cursor of a page: the position of its last row, as base64url JSON. */
export const encodeCursor = (position: Record<string, unknown>): string => Buffer.from(JSON.stringify(position)).toString('base64url')

/**
 * The position a cursor holds, as an object whose fields the list still has to check one by one (a forged
 * cursor must be a 400 naming `cursor`, never a failed query); anything that is not such an object is refused.
 */
export function decodeCursor(raw: string): Record<string, unknown> {
  let position: unknown
  try {
    position = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
  } catch {
    throw forgedCursor()
  }
  if (!position || typeof position !== 'object' || Array.isArray(position)) throw forgedCursor()
  return position as Record<string, unknown>
}
