// The in-app notification centre: what fired for a user, unread first counted, marked read.
import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { UUID } from '../../lib/secrets'
import { announceChange } from '../../events/live-notice'
import { toNotificationView, type NotificationView } from './model'
import { notifications } from './schema'

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(notifications).where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
  return row?.n ?? 0
}

/** The user's latest notifications, newest first. */
export async function latestNotifications(db: Db, userId: string, limit = 50): Promise<NotificationView[]> {
  const rows = await db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(desc(notifications.id)).limit(limit)
  return rows.map(toNotificationView)
}

/** Marks the given notifications (or all) of the user read; an id that cannot be one is skipped like an unknown one. */
export async function markRead(db: Db, userId: string, ids: string[] | 'all', now: Date): Promise<void> {
  const mine = and(eq(notifications.userId, userId), isNull(notifications.readAt))
  const chosen = ids === 'all' ? 'all' : ids.filter((id) => UUID.test(id))
  if (chosen !== 'all' && chosen.length === 0) return
  await db.transaction(async (tx) => {
    const read = await tx.update(notifications).set({ readAt: now }).where(chosen === 'all' ? mine : and(mine, inArray(notifications.id, chosen))).returning({ id: notifications.id })
    // The bell on the user's other pages goes quiet too.
    if (read.length > 0) await announceChange(tx, userId, 'notifications')
  })
}
