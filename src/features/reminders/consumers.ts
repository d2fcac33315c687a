// Reminder consumers: jobs follow reminder events; a fired reminder becomes a notification (or is cancelled); reminders follow their task.
import { and, eq } from 'drizzle-orm'
import type { Consumer } from '../../events/consumers'
import { TOPICS } from '../../events/envelope'
import type { Quotas } from '../../lib/quotas'
import { newId } from '../../lib/secrets'
import { users } from '../auth/schema'
import { announceChange } from '../../events/live-notice'
import { visibleTo } from '../tasks/owned'
import { tasks } from '../tasks/schema'
import type { ReminderScheduler } from '../../context'
import { notifications, reminders } from './schema'
import { followTask } from './follow'
import { leadTime } from './service'
import { enqueueWebhook } from './webhooks'

/** Creates, moves or removes the reminder's job to match the reminder as it is now. */
export const reminderJobsConsumer = (scheduler: ReminderScheduler): Consumer => ({
  name: 'reminder-jobs',
  topics: [TOPICS.reminders],
  types: ['reminder.scheduled', 'reminder.cancelled'],
  async handle(tx, event) {
    const id = (event.data.reminder as { id: string }).id
    const [reminder] = await tx.select().from(reminders).where(eq(reminders.id, id))
    if (reminder && reminder.status === 'pending' && !reminder.firedAt) await scheduler.schedule({ id, remindAt: reminder.remindAt })
    else await scheduler.cancel(id)
  },
})

/** "Tue 1 Dec, 17:00", or "Tue 1 Dec" for an all-day task. */
const dueText = (task: { dueDate: Date | null; allDay: boolean }, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(task.allDay ? {} : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const }),
    timeZone,
  }).format(task.dueDate!)

/** A fired reminder: delivered as a notification to its setter, or cancelled if its task is done, gone or moved, or its setter no longer sees it. */
export const reminderDeliveryConsumer: Consumer = {
  name: 'reminder-delivery',
  topics: [TOPICS.reminders],
  types: ['reminder.triggered'],
  async handle(tx, event, now) {
    const id = (event.data.reminder as { id: string }).id
    const [reminder] = await tx.select().from(reminders).where(eq(reminders.id, id)).for('update')
    if (!reminder || reminder.status !== 'pending') return
    // Its setter's alone, and only while they see the task (theirs, or in a project they are still a member of).
    const [task] = await tx.select().from(tasks).where(eq(tasks.id, reminder.taskId))
    const sees = task ? await tx.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.id, task.id), visibleTo(reminder.userId))) : []
    const [owner] = await tx.select({ timezone: users.timezone }).from(users).where(eq(users.id, reminder.userId))
    const moved = reminder.leadMinutes !== null && (!task || leadTime(task, reminder.leadMinutes, owner?.timezone ?? 'UTC')?.getTime() !== reminder.remindAt.getTime())
    if (!task || sees.length === 0 || task.status === 'completed' || moved) {
      await tx.update(reminders).set({ status: 'cancelled', cancelledAt: now, cancelledBy: task && sees.length === 0 ? 'access' : 'task' }).where(eq(reminders.id, id))
      await announceChange(tx, reminder.userId, 'reminders')
      return
    }
    await tx.update(reminders).set({ status: 'triggered', triggeredAt: now }).where(eq(reminders.id, id))
    const notification = {
      id: newId(),
      userId: reminder.userId,
      reminderId: reminder.id,
      taskId: task.id,
      title: task.title,
      body: task.dueDate ? `Due ${dueText(task, owner?.timezone ?? 'UTC')}` : 'Reminder',
      createdAt: now,
    }
    await tx.insert(notifications).values(notification)
    await announceChange(tx, reminder.userId, 'notifications')
    // The webhook POST is queued with the notification: both happen, or neither.
    await enqueueWebhook(tx, reminder.userId, {
      type: 'reminder.triggered',
      id: notification.id,
      occurred_at: now.toISOString(),
      reminder: { id: reminder.id, remind_at: reminder.remindAt.toISOString() },
      task: { id: task.id, title: task.title, due_date: task.dueDate?.toISOString() ?? null },
    }, now)
  },
}

/** Reminders follow their task: moved due dates, completion, deletion, reopening, an undone delete (within the reminder quota), and a move out of a setter's sight. */
export const reminderFollowConsumer = (quotas: Pick<Quotas, 'reminders'>): Consumer => ({
  name: 'reminders-follow-tasks',
  topics: [TOPICS.taskEvents, TOPICS.taskUpdates],
  types: ['task.created', 'task.updated', 'task.completed', 'task.deleted'],
  async handle(tx, event, now) {
    const changes = (event.data.changes as string[] | undefined) ?? []
    // A new task has no reminders yet; a restored one gets back those its deletion cancelled.
    if (event.type === 'task.created' && event.data.cause !== 'restore') return
    // A move to another project may leave a setter who no longer sees the task: their reminder goes.
    if (event.type === 'task.updated' && !['due_date', 'all_day', 'status', 'project_id'].some((field) => changes.includes(field))) return
    const [task] = event.type === 'task.deleted' ? [] : await tx.select().from(tasks).where(eq(tasks.id, event.data.task_id))
    await followTask(tx, task ?? null, event.data.task_id, now, quotas)
  },
})
