// Live updates, the sending side: a change tells every replica whose page to refresh, through PostgreSQL (docs/architecture.md, "Live updates").
import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client'

/** The channel changes are announced on; PostgreSQL delivers a NOTIFY only when its transaction commits. */
export const LIVE_CHANNEL = 'live_changes'

/** What changed for a user: their tasks, their reminders, their notifications (the bell). */
export const LIVE_KINDS = ['tasks', 'reminders', 'notifications'] as const
export type LiveKind = (typeof LIVE_KINDS)[number]

/**
 * Announces, in the caller's transaction, that `userId`'s `kind` changed. The payload is `<kind>:<user id>`, well
 * under NOTIFY's 8000 bytes; PostgreSQL folds identical notices of one transaction into one, so a bulk change of
 * fifty tasks is one notice.
 */
export async function announceChange(tx: Db, userId: string, kind: LiveKind): Promise<void> {
  await tx.execute(sql`select pg_notify(${LIVE_CHANNEL}, ${`${kind}:${userId}`})`)
}

/** Reads a notice's payload back; anything else (another version's notice) is undefined. */
export function parseChange(payload: string): { kind: LiveKind; userId: string } | undefined {
  const at = payload.indexOf(':')
  const kind = payload.slice(0, at) as LiveKind
  return at > 0 && LIVE_KINDS.includes(kind) ? { kind, userId: payload.slice(at + 1) } : undefined
}
