// Upcoming: the next 14 days by day, with each recurring series' next instances projected from its rule.
import { and, asc, eq, gte, isNotNull, lte } from 'drizzle-orm'
import { invalid, notFound } from '../../lib/errors'
import { UUID } from '../../lib/secrets'
import { upcomingDueDates } from '../tasks/recurrence'
import { toTaskView, type TaskView } from '../tasks/model'
import { tasks } from '../tasks/schema'
import { type Actor, type TaskDeps } from '../tasks/service'
import { dayBounds, isoDay, localDay, parseDay, rescheduleToDay, type LocalDate } from './today'

export const UPCOMING_DAYS = 14
/** Most tasks the view loads; the list view (with paging) has the rest. */
const TASKS_MAX = 1000
/** Most projected instances per series (a daily one fills the fortnight). */
const PROJECTIONS_MAX = UPCOMING_DAYS

export interface Projected {
  /** The series' current task, whose next instances these are. */
  task: TaskView
  /** When the projected instance would be due. */
  due: string
}

export interface UpcomingDay {
  day: LocalDate
  tasks: TaskView[]
  projected: Projected[]
}

export async function upcomingView(deps: TaskDeps, actor: Actor): Promise<UpcomingDay[]> {
  const now = deps.clock()
  const days = Array.from({ length: UPCOMING_DAYS }, (_, i) => localDay(now, actor.timezone, i))
  const start = dayBounds(days[0]!, actor.timezone).start
  const end = dayBounds(days.at(-1)!, actor.timezone).end
  const mine = and(eq(tasks.userId, actor.id), eq(tasks.status, 'pending'))
  const [dated, series] = await Promise.all([
    deps.db.select().from(tasks).where(and(mine, gte(tasks.dueDate, start), lte(tasks.dueDate, end))).orderBy(asc(tasks.dueDate), asc(tasks.id)).limit(TASKS_MAX),
    // Pending instances of series due up to the window's end (overdue ones too: their next instances may fall in it).
    deps.db.select().from(tasks).where(and(mine, isNotNull(tasks.recurrence), lte(tasks.dueDate, end))).orderBy(asc(tasks.dueDate)).limit(TASKS_MAX),
  ])
  const byDay = new Map(days.map((d) => [isoDay(d), { day: d, tasks: [] as TaskView[], projected: [] as Projected[] }]))
  const dayOf = (at: Date) => byDay.get(isoDay(localDay(at, actor.timezone)))
  for (const task of dated) dayOf(task.dueDate!)?.tasks.push(toTaskView(task))
  for (const task of series) {
    const view = toTaskView(task)
    const next = upcomingDueDates(
      { recurrence: task.recurrence!, recurrenceFrom: task.recurrenceFrom, dueDate: task.dueDate, seriesAnchor: task.seriesAnchor, completedAt: null, occurrence: task.occurrence },
      actor.timezone,
      PROJECTIONS_MAX + Math.max(0, Math.ceil((start.getTime() - task.dueDate!.getTime()) / 86_400_000)),
    )
    for (const due of next) {
      if (due.getTime() > end.getTime()) break
      if (due.getTime() >= start.getTime()) dayOf(due)?.projected.push({ task: view, due: due.toISOString() })
    }
  }
  for (const d of byDay.values()) d.projected.sort((a, b) => a.due.localeCompare(b.due))
  return [...byDay.values()]
}

/** Moves one pending task to another day (from today on), keeping its time of day: drag and drop, or its keyboard form. */
export async function moveToDay(deps: TaskDeps, actor: Actor, id: string, date: unknown): Promise<TaskView> {
  const day = typeof date === 'string' ? parseDay(date) : null
  if (!day) throw invalid('date', 'date must be a day (YYYY-MM-DD)')
  if (isoDay(day) < isoDay(localDay(deps.clock(), actor.timezone))) throw invalid('date', 'date must be today or later')
  if (!UUID.test(id)) throw notFound('task')
  return deps.db.transaction(async (tx) => {
    const [task] = await tx.select().from(tasks).where(and(eq(tasks.id, id), eq(tasks.userId, actor.id))).for('update')
    if (!task) throw notFound('task')
    if (task.status !== 'pending') throw invalid('id', 'only a pending task can be moved')
    return rescheduleToDay({ db: tx, clock: deps.clock }, actor, task, day)
  })
}
