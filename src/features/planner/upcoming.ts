// Upcoming: the next 14 days by day, with each recurring series' next instances projected from its rule.
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm'
import { queryRows } from '../../db/client'
import { invalid } from '../../lib/errors'
import { toTaskView, type TaskView } from '../tasks/model'
import { andInProject, inProject, projectSeries, type Projected } from './projections'
import { tasks } from '../tasks/schema'
import type { Actor } from '../auth/user'
import { editableTask, inScope, taskScope, type TaskDeps, type TaskReadDeps } from '../tasks/service'
import { dayBounds, isoDay, localDay, type LocalDate } from '../../lib/time'
import { rescheduleToDay } from './today'

export type { Projected }

export const UPCOMING_DAYS = 14
/** Most tasks the view loads; the list view (with paging) has the rest. */
const TASKS_MAX = 1000
/** The next instances of a series that are projected (a daily one fills the fortnight). */
const PROJECTIONS_MAX = UPCOMING_DAYS

export interface UpcomingDay {
  day: LocalDate
  tasks: TaskView[]
  /** The day's tasks beyond those listed (its list view has them all). */
  moreTasks: number
  projected: Projected[]
  moreProjected: number
}

/** What a day lists; more is a click away, so a busy day cannot make the page heavy. */
export const TASKS_PER_DAY = 25
export const PROJECTED_PER_DAY = 10

/** The fortnight over the tasks the actor sees, of one project when `projectId` (one they see, checked by the caller) is given. */
export async function upcomingView(deps: TaskReadDeps, actor: Actor, projectId?: string): Promise<UpcomingDay[]> {
  const now = deps.clock()
  const days = Array.from({ length: UPCOMING_DAYS }, (_, i) => localDay(now, actor.timezone, i))
  const start = dayBounds(days[0]!, actor.timezone).start
  const end = dayBounds(days.at(-1)!, actor.timezone).end
  const scope = await taskScope(deps.db, actor.id)
  const mine = and(inScope(scope), eq(tasks.status, 'pending'), inProject(projectId))
  const [dated, counts, projected] = await Promise.all([
    deps.db.select().from(tasks).where(and(mine, gte(tasks.dueDate, start), lte(tasks.dueDate, end))).orderBy(asc(tasks.dueDate), asc(tasks.id)).limit(TASKS_MAX),
    // Each day's count in the user's zone (one range scan), so a day says how many it has beyond those listed.
    queryRows<{ day: string; n: number | string }>(
      deps.db,
      sql`select to_char(due_date at time zone ${actor.timezone}, 'YYYY-MM-DD') as day, count(*) as n from tasks
          where ${inScope(scope)} and status = 'pending' and due_date >= ${start.toISOString()} and due_date <= ${end.toISOString()}${andInProject(projectId)}
          group by 1`,
    ),
    projectSeries(deps, scope, actor.timezone, start, end, PROJECTIONS_MAX, projectId),
  ])
  const byDay = new Map<string, UpcomingDay>(days.map((d) => [isoDay(d), { day: d, tasks: [], moreTasks: 0, projected: [], moreProjected: 0 }]))
  const dayOf = (at: Date) => byDay.get(isoDay(localDay(at, actor.timezone)))
  for (const task of dated) {
    const day = dayOf(task.dueDate!)
    if (day && day.tasks.length < TASKS_PER_DAY) day.tasks.push(toTaskView(task, actor.timezone))
  }
  for (const { day, n } of counts) {
    const cell = byDay.get(day)
    if (cell) cell.moreTasks = Math.max(0, Number(n) - cell.tasks.length)
  }
  for (const p of projected) dayOf(new Date(p.due))?.projected.push(p)
  for (const d of byDay.values()) {
    d.moreProjected = Math.max(0, d.projected.length - PROJECTED_PER_DAY)
    d.projected = d.projected.slice(0, PROJECTED_PER_DAY)
  }
  return [...byDay.values()]
}

/** Moves one pending task to another day (from today on), keeping its time of day: drag and drop, or its keyboard form. */
export async function moveToDay(deps: TaskDeps, actor: Actor, id: string, day: LocalDate): Promise<TaskView> {
  if (isoDay(day) < isoDay(localDay(deps.clock(), actor.timezone))) throw invalid('date', 'date must be today or later')
  return deps.db.transaction(async (tx) => {
    const task = await editableTask(tx, actor, id, true)
    if (task.status !== 'pending') throw invalid('id', 'only a pending task can be moved')
    return rescheduleToDay({ ...deps, db: tx }, actor, task, day)
  })
}
