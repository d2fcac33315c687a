// Fixed-window rate limits kept in the database, so every replica counts against the same budget.
import { and, eq, sql } from 'drizzle-orm'
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
  /** When the window this event was counted in began (to give the event back to the same window). */
  windowStartedAt: Date
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
  return { count: row!.count, retryAfter: retryAfter(row!.windowStartedAt, limit, now), windowStartedAt: row!.windowStartedAt }
}

/** Gives back one event counted under `key` in the window that began at `windowStartedAt` (a later window is left alone). */
export async function release(db: Db, key: string, windowStartedAt: Date): Promise<void> {
  await db
    .update(rateLimits)
    .set({ count: sql`greatest(${rateLimits.count} - 1, 0)` })
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStartedAt, windowStartedAt)))
}

/** Forgets `key` (e.g. after a successful login). */
export async function clear(db: Db, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key))
}

export interface Reservation {
  key: string
  windowStartedAt: Date
}

/**
 * Reserves one attempt under each key, in order, each atomically, so parallel attempts can never all see room
 * that only one of them has. If a key is over its limit, this attempt's reservations are given back and the
 * answer is the seconds to wait; keys after the refusing one are never counted.
 */
export async function reserve(
  db: Db,
  wanted: Array<{ key: string; limit: Limit }>,
  now: Date,
): Promise<{ reservations: Reservation[]; retryAfter?: undefined } | { retryAfter: number; reservations?: undefined }> {
  const reservations: Reservation[] = []
  for (const { key, limit } of wanted) {
    const state = await hit(db, key, limit, now)
    reservations.push({ key, windowStartedAt: state.windowStartedAt })
    if (state.count > limit.max) {
      await releaseAll(db, reservations)
      return { retryAfter: state.retryAfter }
    }
  }
  return { reservations }
}

export async function releaseAll(db: Db, reservations: Reservation[]): Promise<void> {
  await Promise.all(reservations.map((r) => release(db, r.key, r.windowStartedAt)))
}

function retryAfter(windowStartedAt: Date, limit: Limit, now: Date): number {
  return Math.max(1, Math.ceil((windowStartedAt.getTime() + limit.windowSeconds * 1000 - now.getTime()) / 1000))
}
