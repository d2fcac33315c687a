// Reminders follow their task: its due date, its status, and who may still see it (a setter who no longer does gets no reminder).
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { roomFor, type Quotas } from '../../lib/quotas'
import { users } from '../auth/schema'
import { projectMembers } from '../projects/schema'
import { tasks } from '../tasks/schema'
import { REMINDERS_PER_TASK } from './model'
import { reminders, type Reminder } from './schema'
import { leadTime, pendingOf, recordReminderEvent } from './service'

/**
 * Cancels, in the caller's transaction, `userId`'s pending reminders on the tasks of `projectId` they no longer see
 * (their membership ended: removed, or they left), each with its event (the job goes). A reminder goes only to the
 * person who set it, and only while they see its task (docs/architecture.md, "Access").
 */
export async function cancelLostReminders(tx: Db, userId: string, projectId: string, now: Date): Promise<void> {
  const lost = await tx
    .update(reminders)
    .set({ status: 'cancelled', cancelledAt: now, cancelledBy: 'access' })
    .where(
      and(
        eq(reminders.userId, userId),
        eq(reminders.status, 'pending'),
        sql`${reminders.taskId} in (select ${tasks.id} from ${tasks} where ${tasks.projectId} = ${projectId} and ${tasks.userId} <> ${userId})`,
      ),
    )
    .returning()
  for (const r of lost) await recordReminderEvent(tx, 'reminder.cancelled', r, now)
}

/** Of the people who set reminders on a task, those who still see it (its owner, members of its project), with their zones. */
async function settersWhoSee(tx: Db, taskId: string): Promise<Map<string, string>> {
  const rows = await tx
    .selectDistinct({ id: users.id, timezone: users.timezone })
    .from(reminders)
    .innerJoin(tasks, eq(tasks.id, reminders.taskId))
    .innerJoin(users, eq(users.id, reminders.userId))
    .where(
      and(
        eq(reminders.taskId, taskId),
        sql`(${tasks.userId} = ${reminders.userId} or exists (select 1 from ${projectMembers} where ${projectMembers.projectId} = ${tasks.projectId} and ${projectMembers.userId} = ${reminders.userId}))`,
      ),
    )
  return new Map(rows.map((r) => [r.id, r.timezone]))
}

/**
 * Makes a task's reminders follow it: a moved due date moves lead-time reminders (and re-arms those
 * that already went off, when the new time is ahead); completion or deletion cancels pending ones;
 * reopening re-arms those whose time is still ahead, while the task and the user stay within their
 * limits of pending reminders (one re-armed past them stays cancelled). A reminder whose setter no longer sees the
 * task (it moved to a project of which they are no member) is cancelled, and never re-armed. Each change writes its
 * reminder event (the job follows). An all-day task's lead counts from 09:00 in the zone of the reminder's setter.
 */
export async function followTask(
  tx: Db,
  task: { id: string; status: string; dueDate: Date | null; allDay: boolean } | null,
  taskId: string,
  now: Date,
  quotas: Pick<Quotas, 'reminders'>,
): Promise<void> {
  const mine = await tx.select().from(reminders).where(eq(reminders.taskId, taskId)).for('update')
  if (mine.length === 0) return
  const seeing = task ? await settersWhoSee(tx, taskId) : new Map<string, string>()
  let pending = mine.filter((r) => r.status === 'pending').length
  // Re-arming makes a reminder pending again: it must fit the limits that creating one would.
  const mayArm = async (r: Reminder) => pending < REMINDERS_PER_TASK && (await roomFor(tx, 'reminders', r.userId, quotas.reminders, pendingOf(r.userId)))
  const cancel = async (r: Reminder, by: 'task' | 'access') => {
    const [cancelled] = await tx.update(reminders).set({ status: 'cancelled', cancelledAt: now, cancelledBy: by }).where(eq(reminders.id, r.id)).returning()
    await recordReminderEvent(tx, 'reminder.cancelled', cancelled!, now)
    pending--
  }
  for (const r of mine) {
    if (!task || task.status === 'completed') {
      if (r.status === 'pending') await cancel(r, 'task')
      continue
    }
    const timeZone = seeing.get(r.userId)
    if (timeZone === undefined) {
      if (r.status === 'pending') await cancel(r, 'access')
      continue
    }
    const wanted = r.leadMinutes !== null ? leadTime(task, r.leadMinutes, timeZone) : r.remindAt
    if (r.status === 'pending' && wanted === null) {
      await cancel(r, 'task')
    } else if (r.status === 'pending' && wanted && wanted.getTime() !== r.remindAt.getTime()) {
      const [moved] = await tx.update(reminders).set({ remindAt: wanted, firedAt: null }).where(eq(reminders.id, r.id)).returning()
      await recordReminderEvent(tx, 'reminder.scheduled', moved!, now)
    } else if (r.status === 'triggered' && r.leadMinutes !== null && wanted && wanted.getTime() > now.getTime() && wanted.getTime() !== r.remindAt.getTime() && (await mayArm(r))) {
      // Moved to a later day (an overdue task rescheduled): a lead-time reminder that went off for the old date goes off again.
      const [armed] = await tx.update(reminders).set({ status: 'pending', remindAt: wanted, firedAt: null, triggeredAt: null }).where(eq(reminders.id, r.id)).returning()
      await recordReminderEvent(tx, 'reminder.scheduled', armed!, now)
      pending++
    } else if (r.status === 'cancelled' && r.cancelledBy === 'task' && wanted && wanted.getTime() > now.getTime() && (await mayArm(r))) {
      // Reopened (or given a due date again): what the task's completion cancelled comes back if still ahead.
      const [armed] = await tx.update(reminders).set({ status: 'pending', remindAt: wanted, firedAt: null, cancelledAt: null, cancelledBy: null }).where(eq(reminders.id, r.id)).returning()
      await recordReminderEvent(tx, 'reminder.scheduled', armed!, now)
      pending++
    }
  }
}
