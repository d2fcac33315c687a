// Today: what is overdue, due today and done today in the user's zone; overdue tasks moved one at a time or all at once.
import { and, asc, count, desc, eq, gte, inArray, lt, lte } from 'drizzle-orm'
import { invalid } from '../../lib/errors'
import { UUID } from '../../lib/secrets'
import { dayBounds, isoDay, localDay, wallClock, zonedTimeToUtc, type LocalDate } from '../../lib/time'
import type { MoveTarget } from './model'
import { toTaskView, type TaskView } from '../tasks/model'
import { tasks, type Task } from '../tasks/schema'
import type { Actor } from '../auth/user'
import { inScope, refuseViewed, taskScope, updateTask, writableBy, type TaskDeps, type TaskReadDeps } from '../tasks/service'
import { inProject } from './projections'

/** Most rows a section shows; the list view (with paging) has the rest. */
export const SECTION_MAX = 200
/** Overdue tasks listed, oldest first: a long backlog is counted, and the list view has the rest. */
export const OVERDUE_SHOWN = 100
/** Most overdue tasks one "move all" moves, in one transaction. */
export const MOVE_MAX = 500

export interface TodayView {
  day: LocalDate
  overdue: TaskView[]
  /** All the overdue tasks, listed or not. */
  overdueTotal: number
  dueToday: TaskView[]
  completedToday: TaskView[]
}

/** Today over the tasks the actor sees, of one project when `projectId` (one they see, checked by the caller) is given. */
export async function todayView(deps: TaskReadDeps, actor: Actor, projectId?: string): Promise<TodayView> {
  const day = localDay(deps.clock(), actor.timezone)
  const { start, end } = dayBounds(day, actor.timezone)
  const mine = and(inScope(await taskScope(deps.db, actor.id)), inProject(projectId))
  const isOverdue = and(mine, eq(tasks.status, 'pending'), lt(tasks.dueDate, start))
  const [overdue, dueToday, completedToday] = await Promise.all([
    deps.db.select().from(tasks).where(isOverdue).orderBy(asc(tasks.dueDate), asc(tasks.id)).limit(OVERDUE_SHOWN),
    deps.db.select().from(tasks).where(and(mine, eq(tasks.status, 'pending'), gte(tasks.dueDate, start), lte(tasks.dueDate, end))).orderBy(asc(tasks.dueDate), asc(tasks.id)).limit(SECTION_MAX),
    deps.db.select().from(tasks).where(and(mine, eq(tasks.status, 'completed'), gte(tasks.completedAt, start), lte(tasks.completedAt, end))).orderBy(desc(tasks.completedAt)).limit(SECTION_MAX),
  ])
  // Counted only when the list is full (an index-only count over open tasks by due date).
  const overdueTotal = overdue.length < OVERDUE_SHOWN ? overdue.length : (await deps.db.select({ n: count() }).from(tasks).where(isOverdue))[0]!.n
  const view = (task: Task) => toTaskView(task, actor.timezone)
  return { day, overdue: overdue.map(view), overdueTotal, dueToday: dueToday.map(view), completedToday: completedToday.map(view) }
}

/** The day `to` names in `timeZone`, refused when it has passed. */
export function targetDay(to: MoveTarget, timeZone: string, now: Date): LocalDate {
  const today = localDay(now, timeZone)
  const day = to === 'today' ? today : to === 'tomorrow' ? localDay(now, timeZone, 1) : to
  if (isoDay(day) < isoDay(today)) throw invalid('to', 'to must be today or later')
  return day
}

/**
 * Moves overdue tasks (the given ids, or all of them: the oldest MOVE_MAX) to another day, each keeping its time of day, in
 * one transaction. Each move is an ordinary due-date change: its event moves the task's reminders.
 * Ids that are not overdue tasks the actor may change (of `projectId`, when given) are left alone, but ids naming a task
 * they only view refuse the move (a 403, as changing one would be). Returns the moved tasks.
 */
export async function moveOverdue(deps: TaskDeps, actor: Actor, ids: readonly string[] | 'all', to: MoveTarget, projectId?: string): Promise<TaskView[]> {
  const now = deps.clock()
  const target = targetDay(to, actor.timezone, now)
  if (ids !== 'all' && ids.filter((id) => UUID.test(id)).length === 0) throw invalid('ids', 'select at least one task')
  const { start } = dayBounds(localDay(now, actor.timezone), actor.timezone)
  return deps.db.transaction(async (tx) => {
    if (ids !== 'all') await refuseViewed(tx, actor, ids)
    const chosen = ids === 'all' ? undefined : inArray(tasks.id, ids.filter((id) => UUID.test(id)).slice(0, MOVE_MAX))
    const overdue = await tx
      .select({ id: tasks.id, dueDate: tasks.dueDate, allDay: tasks.allDay })
      .from(tasks)
      .where(and(writableBy(actor.id), eq(tasks.status, 'pending'), lt(tasks.dueDate, start), chosen, inProject(projectId)))
      .orderBy(asc(tasks.dueDate))
      .limit(MOVE_MAX)
      .for('update')
    const moved: TaskView[] = []
    for (const task of overdue) moved.push(await rescheduleToDay({ ...deps, db: tx }, actor, task, target))
    return moved
  })
}

/**
 * Moves a task to `day` at its time of day (midnight for a task without a due date; an all-day task stays
 * all-day), as an ordinary due-date change: its event moves the task's reminders.
 */
export function rescheduleToDay(deps: TaskDeps, actor: Actor, task: { id: string; dueDate: Date | null; allDay: boolean }, day: LocalDate): Promise<TaskView> {
  if (task.allDay) return updateTask(deps, actor, task.id, { due_date: isoDay(day) })
  const time = task.dueDate ? wallClock(task.dueDate, actor.timezone) : { hour: 0, minute: 0 }
  const due = zonedTimeToUtc({ ...day, hour: time.hour, minute: time.minute }, actor.timezone)
  return updateTask(deps, actor, task.id, { due_date: due.toISOString() })
}
