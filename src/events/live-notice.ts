// Live updates, the sending side: a change tells every replica whose page to refresh, through PostgreSQL (docs/architecture.md, "Live updates").
import { AsyncLocalStorage } from 'node:async_hooks'
import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/client'

/** The channel changes are announced on; PostgreSQL delivers a NOTIFY only when its transaction commits. */
export const LIVE_CHANNEL = 'live_changes'

/** What changed for a user: their tasks, their reminders, their notifications (the bell). */
export const LIVE_KINDS = ['tasks', 'reminders', 'notifications'] as const
export type LiveKind = (typeof LIVE_KINDS)[number]

/** The header a page's own requests name its live stream in: the change they make is not echoed back to it. */
export const LIVE_STREAM_HEADER = 'x-live-stream'
const STREAM_ID = /^[A-Za-z0-9-]{1,40}$/
const origins = new AsyncLocalStorage<string>()

/**
 * Runs a request's handler knowing which live stream (page) it came from, if it says so. The page that made a
 * change already shows it (its own answer swapped it in, with the notice about it), so its stream is not told:
 * a refresh there would only take the notice away. Every other page of the user's is told.
 */
export function withLiveOrigin<T>(request: Request, handle: () => T): T {
  const id = request.headers.get(LIVE_STREAM_HEADER)
  return id && STREAM_ID.test(id) ? origins.run(id, handle) : handle()
}

/**
 * Announces, in the caller's transaction, that `userId`'s `kind` changed. The payload is `<kind>:<user id>`, and
 * `:<stream id>` when a page's request made the change; well under NOTIFY's 8000 bytes. PostgreSQL folds identical
 * notices of one transaction into one, so a bulk change of fifty tasks is one notice.
 */
export async function announceChange(tx: Db, userId: string, kind: LiveKind): Promise<void> {
  await tx.execute(sql`select ${liveNotice(userId, kind)}`)
}

/** The `pg_notify(...)` call of `announceChange`, for a statement that sends other notices too (the outbox's). */
export function liveNotice(userId: string, kind: LiveKind): SQL {
  const origin = origins.getStore()
  return sql`pg_notify(${LIVE_CHANNEL}, ${`${kind}:${userId}${origin ? `:${origin}` : ''}`})`
}

/**
 * The notices of a change to everyone in `audience` (a subquery of user ids: a shared project's owner and members),
 * one `<kind>:<user id>` each, as one expression for the caller's statement. The page that made the change is left
 * out as `liveNotice` leaves it out: its stream id names one page, whoever's it is.
 */
export function liveNoticesTo(audience: SQL, kind: LiveKind): SQL {
  const origin = origins.getStore()
  return sql`(select count(pg_notify(${LIVE_CHANNEL}, ${`${kind}:`} || who.id::text || ${origin ? `:${origin}` : ''})) from (${audience}) as who(id))`
}

/** Reads a notice's payload back; anything else (another version's notice) is undefined. */
export function parseChange(payload: string): { kind: LiveKind; userId: string; origin?: string } | undefined {
  const [kind, userId, origin] = payload.split(':') as [LiveKind, string | undefined, string | undefined]
  return LIVE_KINDS.includes(kind) && userId ? { kind, userId, ...(origin ? { origin } : {}) } : undefined
}
