// Projections: the next instances of the user's repeating series in a window of days (Upcoming, the Calendar), each
// series walked with its rule under one rule budget per view.
import { and, asc, eq, isNotNull, lte, sql } from 'drizzle-orm'
import { occurrencesBetween } from '../tasks/recurrence'
import { RuleBudget, RuleBudgetExceeded } from '../tasks/rule-budget'
import { toTaskView, type TaskView } from '../tasks/model'
import { tasks } from '../tasks/schema'
import { inScope, type TaskReadDeps, type TaskScope } from '../tasks/service'

/** Most series a view projects. */
const SERIES_MAX = 1000
/**
 * What projecting every series of one view may spend (rule steps, milliseconds of the event loop). A series
 * whose rule costs more than its share is shown without projections; so are the rest once the view's is spent.
 */
const VIEW_RULE_STEPS = 200_000
const VIEW_RULE_MS = 30
const SERIES_RULE_STEPS = 4_000

/** A view's tasks narrowed to one project (already checked to be the actor's), or all of them: for drizzle. */
export const inProject = (projectId?: string) => (projectId ? eq(tasks.projectId, projectId) : undefined)
/** The same narrowing as an SQL fragment, for the views' hand-written aggregates. */
export const andInProject = (projectId?: string) => (projectId ? sql` and project_id = ${projectId}` : sql``)

export interface Projected {
  /** The series' current task, whose next instances these are. */
  task: TaskView
  /** When the projected instance would be due. */
  due: string
}

/**
 * The instances of the open series the user sees (`scope`) that fall between `start` and `end` (at most `perSeries`
 * of each), after each series' current task, read in `timeZone`. Only pending tasks are series here.
 */
export async function projectSeries(deps: TaskReadDeps, scope: TaskScope, timeZone: string, start: Date, end: Date, perSeries: number, projectId?: string): Promise<Projected[]> {
  // Pending instances due up to the window's end (overdue ones too: their next instances may fall in it).
  const series = await deps.db
    .select()
    .from(tasks)
    .where(and(inScope(scope), eq(tasks.status, 'pending'), isNotNull(tasks.recurrence), lte(tasks.dueDate, end), inProject(projectId)))
    .orderBy(asc(tasks.dueDate))
    .limit(SERIES_MAX)
  const budget = new RuleBudget(VIEW_RULE_STEPS, VIEW_RULE_MS)
  const projected: Projected[] = []
  for (const task of series) {
    let instances: Date[]
    try {
      instances = occurrencesBetween(
        { recurrence: task.recurrence!, recurrenceFrom: task.recurrenceFrom, dueDate: task.dueDate, seriesAnchor: task.seriesAnchor, completedAt: null, occurrence: task.occurrence },
        timeZone,
        start,
        end,
        perSeries,
        budget.share(SERIES_RULE_STEPS),
      )
    } catch (error) {
      if (!(error instanceof RuleBudgetExceeded)) throw error
      continue
    }
    const view = toTaskView(task, timeZone)
    for (const due of instances) projected.push({ task: view, due: due.toISOString() })
  }
  return projected.sort((a, b) => a.due.localeCompare(b.due))
}
