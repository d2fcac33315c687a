// Reminders: set, list and cancel them; fire one (exactly once). Following their task is follow.ts's.
import { and, asc, count, desc, eq, inArray, lte, sql, type SQL } from 'drizzle-orm'
import { cappedCount, cappedTotal } from '../../db/capped-count'
import type { Db } from '../../db/client'
import { recordEvent } from '../../events/outbox'
import { AppError, invalid, notFound } from '../../lib/errors'
import { reserveQuota, type QuotaDeps } from '../../lib/quotas'
import { decodeCursor, encodeCursor, forgedCursor, onlyParams, parseLimit } from '../../lib/paging'
import { newId, UUID } from '../../lib/secrets'
import { localDay, parseDateTime, zonedTimeToUtc } from '../../lib/time'
import type { Actor } from '../auth/user'
import { visibleTask } from '../tasks/service'
import { leadMinutes as leadMinutesOf, REMINDERS_PER_TASK, toReminderView, type CreateReminder, type ReminderView } from './model'
import { reminders, type Reminder } from './schema'

export interface ReminderDeps extends QuotaDeps {
  db: Db
  clock: () => Date
}

/** The hour of an all-day task's day its lead-time reminders count back from. */
export const ALL_DAY_LEAD_HOUR = 9

/**
 * The instant a lead time counts back from: the due date, or, for an all-day task (which has no time), 09:00 in
 * the owner's zone on its day, so "1h before" an all-day task reminds at 08:00 that day. null with no due date.
 */
export function leadBase(task: { dueDate: Date | null; allDay: boolean }, timeZone: string): Date | null {
  if (!task.dueDate) return null
  return task.allDay ? zonedTimeToUtc({ ...localDay(task.dueDate, timeZone), hour: ALL_DAY_LEAD_HOUR }, timeZone) : task.dueDate
}

/** When a reminder `leadMinutes` before `task` goes off, or null with no due date. */
export function leadTime(task: { dueDate: Date | null; allDay: boolean }, leadMinutes: number, timeZone: string): Date | null {
  const base = leadBase(task, timeZone)
  return base ? new Date(base.getTime() - leadMinutes * 60_000) : null
}

/** The rows the reminder quota counts: the user's pending reminders. */
export const pendingOf = (userId: string) => sql`select 1 from ${reminders} where ${reminders.userId} = ${userId} and ${reminders.status} = 'pending'`
/** The reminder event for `reminder`, written in the caller's transaction (the job follows from it). */
export function recordReminderEvent(tx: Db, type: 'reminder.scheduled' | 'reminder.triggered' | 'reminder.cancelled', reminder: Reminder, now: Date) {
  return recordEvent(tx, type, {
    event_id: newId(),
    user_id: reminder.userId,
    task_id: reminder.taskId,
    occurred_at: now.toISOString(),
    reminder: toReminderView(reminder),
  })
}

/**
 * Sets a reminder on one of the actor's tasks from a parsed request (model.ts `CreateReminderInput`): `{ lead }` before
 * its due date, or `{ remind_at }`.
 * The reminder row and its `reminder.scheduled` event (which creates the job) commit together.
 */
export async function createReminder(deps: ReminderDeps, actor: Actor, taskId: string, input: CreateReminder): Promise<ReminderView> {
  const hasLead = input.lead !== undefined
  const hasAt = input.remind_at !== undefined
  if (hasLead === hasAt) throw invalid(hasLead ? 'remind_at' : 'lead', 'send exactly one of lead (e.g. "15m") or remind_at (a date-time)')
  const now = deps.clock()
  return deps.db.transaction(async (tx) => {
    const task = await visibleTask(tx, actor, taskId, 'share')
    let leadMinutes: number | null = null
    let remindAt: Date
    if (input.lead !== undefined) {
      leadMinutes = leadMinutesOf(input.lead)!
      if (!task.dueDate) throw invalid('lead', 'this task has no due date: set one first, or give remind_at instead')
      remindAt = leadTime(task, leadMinutes, actor.timezone)!
    } else {
      remindAt = parseDateTime(input.remind_at!, actor.timezone)!.date
    }
    if (remindAt.getTime() <= now.getTime()) {
      throw invalid(hasLead ? 'lead' : 'remind_at', `that reminder time (${remindAt.toISOString()}) has already passed`)
    }
    const [{ n }] = (await tx
      .select({ n: count() })
      .from(reminders)
      .where(and(eq(reminders.taskId, task.id), eq(reminders.userId, actor.id), eq(reminders.status, 'pending')))) as [{ n: number }]
    if (n >= REMINDERS_PER_TASK) throw new AppError('quota_exceeded', `a task can have at most ${REMINDERS_PER_TASK} pending reminders; cancel one first`, 'task_id')
    await reserveQuota(tx, 'reminders', actor.id, deps.quotas.reminders, pendingOf(actor.id))
    const [reminder] = await tx
      .insert(reminders)
      .values({ id: newId(), userId: actor.id, taskId: task.id, leadMinutes, remindAt, createdAt: now })
      .returning()
    await recordReminderEvent(tx, 'reminder.scheduled', reminder!, now)
    return toReminderView(reminder!)
  })
}

/** The reminders of one of the actor's tasks, soonest first. */
export async function listTaskReminders(deps: ReminderDeps, actor: Actor, taskId: string): Promise<ReminderView[]> {
  await visibleTask(deps.db, actor, taskId)
  const rows = await deps.db.select().from(reminders).where(and(eq(reminders.taskId, taskId), eq(reminders.userId, actor.id))).orderBy(asc(reminders.remindAt), asc(reminders.id))
  return rows.map(toReminderView)
}

export const REMINDER_LIST_PARAMS = ['when', 'limit', 'cursor'] as const
/** Upcoming: pending, soonest first (the default). Past: fired or cancelled, latest first. */
export const REMINDER_WHEN = ['upcoming', 'past'] as const

/** The actor's reminders: `when=upcoming` (pending, soonest first, the default) or `past` (fired or cancelled, latest first). */
export async function listReminders(deps: ReminderDeps, actor: Actor, params: Record<string, string | undefined>) {
  onlyParams(params, REMINDER_LIST_PARAMS)
  const when = params.when ?? 'upcoming'
  if (!(REMINDER_WHEN as readonly string[]).includes(when)) throw invalid('when', `when must be ${REMINDER_WHEN.join(' or ')}`)
  const limit = parseLimit(params.limit)
  let cursor: { at: string; id: string } | undefined
  if (params.cursor) {
    const { at, id } = decodeCursor(params.cursor)
    // Exactly the toISOString the page printed: anything looser (Date.parse takes "1") would fail as a cast.
    const issued = typeof at === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(at) && !Number.isNaN(Date.parse(at)) && new Date(at).toISOString() === at
    if (!issued || typeof id !== 'string' || !UUID.test(id)) throw forgedCursor()
    cursor = { at, id }
  }
  const upcoming = when === 'upcoming'
  const where: SQL[] = [eq(reminders.userId, actor.id), upcoming ? eq(reminders.status, 'pending') : inArray(reminders.status, ['triggered', 'cancelled'])]
  const base = and(...where)
  const page = cursor
    ? and(base, upcoming ? sql`(${reminders.remindAt}, ${reminders.id}) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : sql`(${reminders.remindAt}, ${reminders.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`)
    : base
  const order = upcoming ? [asc(reminders.remindAt), asc(reminders.id)] : [desc(reminders.remindAt), desc(reminders.id)]
  const [rows, totals] = await Promise.all([
    deps.db.select().from(reminders).where(page).orderBy(...order).limit(limit + 1),
    cappedCount(deps.db, reminders, base),
  ])
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return {
    items: items.map(toReminderView),
    ...cappedTotal(totals),
    next_cursor: rows.length > limit && last ? encodeCursor({ at: last.remindAt.toISOString(), id: last.id }) : null,
  }
}

/** Cancels one of the actor's pending reminders (its job is deleted through the event). */
export async function cancelReminder(deps: ReminderDeps, actor: Actor, id: string): Promise<ReminderView> {
  if (!UUID.test(id)) throw notFound('reminder')
  return deps.db.transaction(async (tx) => {
    const [current] = await tx.select().from(reminders).where(and(eq(reminders.id, id), eq(reminders.userId, actor.id))).for('update')
    if (!current) throw notFound('reminder')
    if (current.status !== 'pending') return toReminderView(current)
    const now = deps.clock()
    const [cancelled] = await tx.update(reminders).set({ status: 'cancelled', cancelledAt: now, cancelledBy: 'user' }).where(eq(reminders.id, id)).returning()
    await recordReminderEvent(tx, 'reminder.cancelled', cancelled!, now)
    return toReminderView(cancelled!)
  })
}

/**
 * Fires a reminder whose time has come (a job callback, or the local scheduler): marks it fired and
 * writes `reminder.triggered` in one transaction. A second firing of the same reminder is a duplicate;
 * a firing before the (moved) reminder time is stale: both change nothing.
 */
/** How a firing went; a fired reminder says how late it fired (`now` past its time). */
export type FireOutcome = { outcome: 'fired'; lateSeconds: number } | { outcome: 'duplicate' | 'stale' | 'gone' }

export async function fireReminder(db: Db, id: string, now: Date): Promise<FireOutcome> {
  if (!UUID.test(id)) return { outcome: 'gone' }
  return db.transaction(async (tx): Promise<FireOutcome> => {
    const [reminder] = await tx.select().from(reminders).where(eq(reminders.id, id)).for('update')
    if (!reminder) return { outcome: 'gone' }
    if (reminder.status !== 'pending' || reminder.firedAt) return { outcome: 'duplicate' }
    if (reminder.remindAt.getTime() > now.getTime() + 1000) return { outcome: 'stale' }
    const [fired] = await tx.update(reminders).set({ firedAt: now }).where(eq(reminders.id, id)).returning()
    await recordReminderEvent(tx, 'reminder.triggered', fired!, now)
    return { outcome: 'fired', lateSeconds: (now.getTime() - reminder.remindAt.getTime()) / 1000 }
  })
}

/** Pending reminders that are due and have not fired, for the local scheduler (claimed by the caller's transaction). */
export function dueReminders(tx: Db, now: Date, limit: number) {
  return tx
    .select({ id: reminders.id })
    .from(reminders)
    .where(and(eq(reminders.status, 'pending'), sql`${reminders.firedAt} is null`, lte(reminders.remindAt, now)))
    .orderBy(asc(reminders.remindAt))
    .limit(limit)
    .for('update', { skipLocked: true })
}

/** When the next pending reminder is due, if any. */
export async function nextReminderAt(db: Db): Promise<Date | null> {
  const [row] = await db
    .select({ at: reminders.remindAt })
    .from(reminders)
    .where(and(eq(reminders.status, 'pending'), sql`${reminders.firedAt} is null`))
    .orderBy(asc(reminders.remindAt))
    .limit(1)
  return row?.at ?? null
}
