// The calendar feed: a secret, revocable URL per user that calendar apps subscribe to.
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { hashSecret, newSecret } from '../../lib/secrets'
import { users } from '../auth/schema'
import { reminders } from '../reminders/schema'
import { toReminderView } from '../reminders/service'
import { toTaskView } from '../tasks/model'
import { tasks } from '../tasks/schema'
import { calendar, type FeedTask } from './ics'
import { calendarFeeds } from './schema'

export const FEED_PREFIX = 'tcf_'
const FEED_LIMIT = 2000

/** Creates (or replaces, revoking the old one) the user's feed secret; returns it, shown this once. */
export async function createFeed(db: Db, userId: string, now: Date): Promise<string> {
  const token = newSecret(FEED_PREFIX)
  await db
    .insert(calendarFeeds)
    .values({ userId, tokenHash: hashSecret(token), createdAt: now })
    .onConflictDoUpdate({ target: calendarFeeds.userId, set: { tokenHash: hashSecret(token), createdAt: now } })
  return token
}

export async function revokeFeed(db: Db, userId: string): Promise<void> {
  await db.delete(calendarFeeds).where(eq(calendarFeeds.userId, userId))
}

export async function hasFeed(db: Db, userId: string): Promise<boolean> {
  return (await db.select({ u: calendarFeeds.userId }).from(calendarFeeds).where(eq(calendarFeeds.userId, userId))).length > 0
}

/** The ICS text of the feed a secret names, or null for an unknown or revoked secret. */
export async function feedFor(db: Db, token: string, now: Date): Promise<string | null> {
  if (!token.startsWith(FEED_PREFIX)) return null
  const [owner] = await db
    .select({ id: users.id, timezone: users.timezone })
    .from(calendarFeeds)
    .innerJoin(users, eq(users.id, calendarFeeds.userId))
    .where(eq(calendarFeeds.tokenHash, hashSecret(token)))
  if (!owner) return null
  const rows = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.userId, owner.id), eq(tasks.status, 'pending'), isNotNull(tasks.dueDate)))
    .orderBy(asc(tasks.dueDate))
    .limit(FEED_LIMIT)
  const alarms = rows.length
    ? await db.select().from(reminders).where(and(inArray(reminders.taskId, rows.map((t) => t.id)), eq(reminders.status, 'pending')))
    : []
  const feed: FeedTask[] = rows.map((t) => ({
    task: toTaskView(t),
    seriesAnchor: t.seriesAnchor,
    reminders: alarms.filter((r) => r.taskId === t.id).map(toReminderView),
  }))
  return calendar(feed, now, owner.timezone)
}
