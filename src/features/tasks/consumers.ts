// The recurrence consumer: completing an instance of a recurring task creates exactly one next instance, with copies of its subtasks.
import { eq } from 'drizzle-orm'
import type { Consumer } from '../../events/consumers'
import { TOPICS } from '../../events/envelope'
import { roomFor, type Quotas } from '../../lib/quotas'
import { newId } from '../../lib/secrets'
import { dayBounds, localDay } from '../../lib/time'
import { users } from '../auth/schema'
import { recordTaskChange } from './events'
import { nextDueDate } from './recurrence'
import { tasks } from './schema'
import { ownTasks } from './owned'
import { carriedOver, copySubtree, subtreeSize } from './subtask-copies'
import { underCompletedSeries } from './subtasks'

export const recurrenceConsumer = (quotas: Pick<Quotas, 'tasks'>): Consumer => ({
  name: 'recurrence',
  topics: [TOPICS.taskEvents],
  types: ['task.completed'],
  async handle(tx, event, now) {
    const [task] = await tx.select().from(tasks).where(eq(tasks.id, event.data.task_id)).for('update')
    // Gone, not recurring, reopened since, or its next instance already made: nothing to do (no fork).
    if (!task || !task.recurrence || task.status !== 'completed' || task.successorId) return
    // A subtask of a completed repeating task goes on as the copy its ancestor's next instance carries.
    if (await underCompletedSeries(tx, task)) return
    const [owner] = await tx.select({ timezone: users.timezone }).from(users).where(eq(users.id, task.userId))
    const timeZone = owner?.timezone ?? 'UTC'
    const next = nextDueDate({ ...task, recurrence: task.recurrence }, timeZone)
    if (!next) return // COUNT or UNTIL ended the series.
    // The series walks the wall clock, so an all-day task's next date is midnight too; it is taken as the start of
    // its day all the same, which a zone that skips midnight on a DST change starts later.
    const dueDate = task.allDay ? dayBounds(localDay(next, timeZone), timeZone).start : next
    // The completion made sure there was room; only adds racing it can have taken that, and the quota holds.
    if (!(await roomFor(tx, 'tasks', task.userId, quotas.tasks, ownTasks(task.userId), 1 + (await subtreeSize(tx, task))))) return
    const [instance] = await tx
      .insert(tasks)
      .values({
        ...carriedOver(task),
        id: newId(),
        dueDate,
        seriesId: task.seriesId ?? task.id,
        seriesAnchor: task.seriesAnchor ?? task.dueDate,
        occurrence: task.occurrence + 1,
        parentId: task.parentId,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
    await tx.update(tasks).set({ successorId: instance!.id }).where(eq(tasks.id, task.id))
    await recordTaskChange(tx, now, { id: null, timezone: timeZone }, { after: instance!, cause: 'recurrence' })
    // In the same step, so a redelivered completion (which finds successorId set) copies nothing twice.
    await copySubtree(tx, task, instance!, timeZone, now)
  },
})
