// Fixed-window rate limits kept in the database, so every replica counts against the same budget.
import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { rateLimits } from './schema'

export interface Limit {
  /** Most events allowed in one window. */
  max: number
  windowSeconds: number
}

export interface LimitState {
  count: number
  /** Seconds until the window resets. */
  retryAfter: number
}

/** Counts one event under `key` and returns the window's count after it (atomic across replicas). */
export async function hit(db: Db, key: string, limit: Limit, now: Date): Promise<LimitState> {
  // Raw SQL fragments bind strings, so timestamps travel as ISO text with an explicit cast.
  const windowStart = sql`${new Date(now.getTime() - limit.windowSeconds * 1000).toISOString()}::timestamptz`
  const started = sql`${now.toISOString()}::timestamptz`
  const [row] = await db
    .insert(rateLimits)
    .values({ key, count: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${rateLimits.windowStartedAt} <= ${windowStart} then 1 else ${rateLimits.count} + 1 end`,
        windowStartedAt: sql`case when ${rateLimits.windowStartedAt} <= ${windowStart} then ${started} else ${rateLimits.windowStartedAt} end`,
      },
    })
    .returning()
  return { count: row!.count, retryAfter: retryAfter(row!.windowStartedAt, limit, now) }
}

/** The current count under `key` without counting anything. */
export async function peek(db: Db, key: string, limit: Limit, now: Date): Promise<LimitState> {
  const [row] = await db.select().from(rateLimits).where(eq(rateLimits.key, key))
  if (!row || row.windowStartedAt.getTime() <= now.getTime() - limit.windowSeconds * 1000) return { count: 0, retryAfter: 0 }
  return { count: row.count, retryAfter: retryAfter(row.windowStartedAt, limit, now) }
}

/** Forgets `key` (e.g. after a successful login). */
export async function clear(db: Db, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key))
}

function retryAfter(windowStartedAt: Date, limit: Limit, now: Date): number {
  return Math.max(1, Math.ceil((windowStartedAt.getTime() + limit.windowSeconds * 1000 - now.getTime()) / 1000))
}
