// A repeating task's next instance carries its subtasks: fresh open copies of the whole subtree, due dates moved along.
import type { Db } from '../../db/client'
import { newId } from '../../lib/secrets'
import { addDays, dayBounds, localDay, type LocalDate } from '../../lib/time'
import { recordTaskChange } from './events'
import { tasks, type Task } from './schema'
import { descendants } from './subtasks'

const DAY_MS = 24 * 60 * 60 * 1000
const dayNumber = (d: LocalDate) => Date.UTC(d.year, d.month - 1, d.day) / DAY_MS

/**
 * A subtask's due date in the next instance: moved as far as the parent moved. An all-day subtask moves by whole days
 * on the owner's calendar (so it stays at the start of its day across a DST change); a timed one by the same span.
 */
function movedDue(task: Task, from: Task, to: Task, timeZone: string): Date | null {
  if (!task.dueDate || !from.dueDate || !to.dueDate) return task.dueDate
  if (!task.allDay) return new Date(task.dueDate.getTime() + to.dueDate.getTime() - from.dueDate.getTime())
  const days = dayNumber(localDay(to.dueDate, timeZone)) - dayNumber(localDay(from.dueDate, timeZone))
  return dayBounds(addDays(localDay(task.dueDate, timeZone), days), timeZone).start
}

/** What a task's next instance, or a copy of one of its subtasks, takes over from it as it is: open, never completed. */
export const carriedOver = (task: Task) => ({
  userId: task.userId,
  projectId: task.projectId,
  title: task.title,
  description: task.description,
  priority: task.priority,
  tags: task.tags,
  recurrence: task.recurrence,
  recurrenceFrom: task.recurrenceFrom,
  allDay: task.allDay,
})

/** How many copies `copySubtree` will make of `from`'s subtree (for the quota). */
export async function subtreeSize(tx: Db, from: Task): Promise<number> {
  return (await descendants(tx, [from.id])).flat().length
}

/**
 * Copies the subtree under `from` (a completed instance) under `to` (its next instance), in the caller's transaction:
 * each copy open, with its own id, its place in the tree and its due date moved along, and its task.created event
 * (cause recurrence). A repeating subtask's copy starts a series of its own.
 */
export async function copySubtree(tx: Db, from: Task, to: Task, timeZone: string, now: Date): Promise<void> {
  const newIds = new Map([[from.id, to.id]])
  for (const level of await descendants(tx, [from.id])) {
    const copies = level.map((task) => {
      const id = newId()
      newIds.set(task.id, id)
      const dueDate = movedDue(task, from, to, timeZone)
      return {
        ...carriedOver(task),
        id,
        parentId: newIds.get(task.parentId!)!,
        dueDate,
        seriesId: task.recurrence ? id : null,
        seriesAnchor: task.recurrence ? dueDate : null,
        createdAt: now,
        updatedAt: now,
      }
    })
    const inserted = await tx.insert(tasks).values(copies).returning()
    for (const copy of inserted) await recordTaskChange(tx, now, { id: null, timezone: timeZone }, { after: copy, cause: 'recurrence' })
  }
}
