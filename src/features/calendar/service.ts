// The calendar feed: a secret, revocable URL per user that calendar apps subscribe to.
import { and, asc, desc, eq, gte, inArray, lt, lte } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { hashSecret, newSecret } from '../../lib/secrets'
import { users } from '../auth/schema'
import { projectFor } from '../projects/access'
import { inScope, taskScope } from '../tasks/owned'
import { reminders } from '../reminders/schema'
import { toReminderView, type ReminderView } from '../reminders/model'
import { toTaskView } from '../tasks/model'
import { tasks } from '../tasks/schema'
import { calendar, type FeedTask } from './ics'
import { calendarFeeds } from './schema'

export const FEED_PREFIX = 'tcf_'
/** The feed's window: open tasks due from this many days ago … */
export const FEED_PAST_DAYS = 90
/** … to this many days ahead … */
export const FEED_FUTURE_DAYS = 366
/** … and at most this many of them: upcoming ones first (soonest first), then the most recently overdue. */
export const FEED_MAX = 500
const DAY_MS = 86_400_000

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

/**
 * The ICS text of the feed a secret names, or null for an unknown or revoked secret: the owner's open tasks
 * due within the window (FEED_PAST_DAYS back, FEED_FUTURE_DAYS ahead), at most FEED_MAX of them. With
 * `projectId`, only that project's: one the owner sees (else null, as for an unknown secret). The feed shows the
 * projects shared with its owner too, as their lists do.
 */
export async function feedFor(db: Db, token: string, now: Date, projectId?: string): Promise<string | null> {
  if (!token.startsWith(FEED_PREFIX)) return null
  const [owner] = await db
    .select({ id: users.id, timezone: users.timezone })
    .from(calendarFeeds)
    .innerJoin(users, eq(users.id, calendarFeeds.userId))
    .where(eq(calendarFeeds.tokenHash, hashSecret(token)))
  if (!owner) return null
  const project = projectId === undefined ? undefined : await projectFor(db, owner, projectId, 'read').then((found) => found.project, () => null)
  if (project === null) return null
  // Two range scans of the open-tasks-by-due-date index (the user's, or the project's), each bounded: the feed's cost does not grow with the account.
  const open = and(inScope(await taskScope(db, owner.id)), eq(tasks.status, 'pending'), project && eq(tasks.projectId, project.id))
  const upcoming = await db
    .select()
    .from(tasks)
    .where(and(open, gte(tasks.dueDate, now), lte(tasks.dueDate, new Date(now.getTime() + FEED_FUTURE_DAYS * DAY_MS))))
    .orderBy(asc(tasks.dueDate), asc(tasks.id))
    .limit(FEED_MAX)
  const overdue =
    upcoming.length < FEED_MAX
      ? await db
          .select()
          .from(tasks)
          .where(and(open, gte(tasks.dueDate, new Date(now.getTime() - FEED_PAST_DAYS * DAY_MS)), lt(tasks.dueDate, now)))
          .orderBy(desc(tasks.dueDate), desc(tasks.id))
          .limit(FEED_MAX - upcoming.length)
      : []
  const rows = [...overdue.reverse(), ...upcoming]
  const alarms = rows.length
    ? await db.select().from(reminders).where(and(eq(reminders.userId, owner.id), inArray(reminders.taskId, rows.map((t) => t.id)), eq(reminders.status, 'pending')))
    : []
  const byTask = new Map<string, ReminderView[]>()
  for (const r of alarms) byTask.set(r.taskId, [...(byTask.get(r.taskId) ?? []), toReminderView(r)])
  const feed: FeedTask[] = rows.map((t) => ({ task: toTaskView(t, owner.timezone), seriesAnchor: t.seriesAnchor, occurrence: t.occurrence, reminders: byTask.get(t.id) ?? [] }))
  return calendar(feed, now, owner.timezone, project ? `${project.name} (todo-chatbot)` : undefined)
}
