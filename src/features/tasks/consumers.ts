// The recurrence consumer: completing an instance of a recurring task creates exactly one next instance.
import { eq } from 'drizzle-orm'
import type { Consumer } from '../../events/consumers'
import { TOPICS } from '../../events/envelope'
import { roomFor, type Quotas } from '../../lib/quotas'
import { newId } from '../../lib/secrets'
import { users } from '../auth/schema'
import { recordTaskChange } from './events'
import { nextDueDate } from './recurrence'
import { tasks } from './schema'
import { ownTasks } from './service'

export const recurrenceConsumer = (quotas: Pick<Quotas, 'tasks'>): Consumer => ({
  name: 'recurrence',
  topics: [TOPICS.taskEvents],
  types: ['task.completed'],
  async handle(tx, event, now) {
    const [task] = await tx.select().from(tasks).where(eq(tasks.id, event.data.task_id)).for('update')
    // Gone, not recurring, reopened since, or its next instance already made: nothing to do (no fork).
    if (!task || !task.recurrence || task.status !== 'completed' || task.successorId) return
    const [owner] = await tx.select({ timezone: users.timezone }).from(users).where(eq(users.id, task.userId))
    const dueDate = nextDueDate({ ...task, recurrence: task.recurrence }, owner?.timezone ?? 'UTC')
    if (!dueDate) return // COUNT or UNTIL ended the series.
    // The completion made sure there was room; only adds racing it can have taken that, and the quota holds.
    if (!(await roomFor(tx, 'tasks', task.userId, quotas.tasks, ownTasks(task.userId)))) return
    const [next] = await tx
      .insert(tasks)
      .values({
        id: newId(),
        userId: task.userId,
        title: task.title,
        description: task.description,
        priority: task.priority,
        tags: task.tags,
        recurrence: task.recurrence,
        recurrenceFrom: task.recurrenceFrom,
        dueDate,
        seriesId: task.seriesId ?? task.id,
        seriesAnchor: task.seriesAnchor ?? task.dueDate,
        occurrence: task.occurrence + 1,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
    await tx.update(tasks).set({ successorId: next!.id }).where(eq(tasks.id, task.id))
    await recordTaskChange(tx, now, { after: next!, cause: 'recurrence' })
  },
})
