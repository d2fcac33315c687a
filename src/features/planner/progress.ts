// Progress: completions per day, overdue tasks over time, the streak and completion by tag and priority,
// each an SQL aggregate over an index (completions by time, open tasks by due date), never every task loaded.
import { sql } from 'drizzle-orm'
import { queryRows } from '../../db/client'
import { invalid } from '../../lib/errors'
import { dayBounds, isoDay, localDay, type LocalDate } from '../../lib/time'
import type { Actor } from '../auth/user'
import { inScope, taskScope, type TaskReadDeps } from '../tasks/service'
import { andInProject } from './projections'

/** The periods a user can look back over (`?days=`); 30 unless asked. */
export const PERIODS = [7, 30, 90] as const
export type Period = (typeof PERIODS)[number]
export const DEFAULT_PERIOD: Period = 30
/** Tags charted by size; the rest are counted. */
export const TAGS_SHOWN = 10

export interface DayCount {
  day: LocalDate
  count: number
}

export interface Completion {
  key: string
  /** Completed within the period. */
  done: number
  /** Open now. */
  open: number
}

export interface ProgressView {
  days: Period
  today: LocalDate
  /** Tasks completed on each day of the period, oldest first, today last. */
  completed: DayCount[]
  /**
   * Tasks overdue at the end of each day (for today: now): due by then, created by then and not yet
   * completed then. Computed from the tasks as they stand: a reopened task's earlier completion is gone.
   */
  overdue: DayCount[]
  streak: {
    /** Days in a row with a completion, ending today, or yesterday while today has none yet. */
    current: number
    longest: number
    /** Whether today already counts. */
    today: boolean
  }
  byPriority: Completion[]
  byTag: Completion[]
  /** Tags with tasks in scope beyond those charted. */
  moreTags: number
}

export function parsePeriod(text: string | undefined): Period {
  if (text === undefined || text === '') return DEFAULT_PERIOD
  const days = Number(text)
  if (!PERIODS.includes(days as Period)) throw invalid('days', `days must be one of ${PERIODS.join(', ')}`)
  return days as Period
}

const PRIORITIES = ['high', 'medium', 'low'] as const

/** Progress over the tasks the actor sees, of one project when `projectId` (one they see, checked by the caller) is given. */
export async function progressView(deps: TaskReadDeps, actor: Actor, daysText?: string, projectId?: string): Promise<ProgressView> {
  const period = parsePeriod(daysText)
  const now = deps.clock()
  const tz = actor.timezone
  const days = Array.from({ length: period }, (_, i) => localDay(now, tz, i - period + 1))
  const today = days.at(-1)!
  const start = dayBounds(days[0]!, tz).start
  // Every period has at least seven days, so yesterday is one of them.
  const yesterday = isoDay(days.at(-2)!)
  // Where each day after the first begins: the buckets of the overdue sweep.
  const ofProject = andInProject(projectId)
  const scope = await taskScope(deps.db, actor.id)
  const dayStarts = `{${days.slice(1).map((d) => dayBounds(d, tz).start.toISOString()).join(',')}}`

  const [completedRows, overdueRows, streakRows, scopeRows] = await Promise.all([
    // Completions in the period by local day: a range scan of (user_id, completed_at) for a user nobody shares with.
    queryRows<{ day: string; n: number | string }>(
      deps.db,
      sql`select to_char(completed_at at time zone ${tz}, 'YYYY-MM-DD') as day, count(*) as n
          from tasks where ${inScope(scope)}${ofProject} and completed_at >= ${start.toISOString()} and completed_at <= ${now.toISOString()}
          group by 1`,
    ),
    // Overdue over time as a sweep: a task is overdue from max(due, created) until it is completed. Each such
    // start (+1) and end (-1) up to now is counted on its local day (width_bucket over the days' starts, earlier
    // ones on the first day); the running sum at each day's end is that day's count. Candidates: tasks open now
    // and due by now (open tasks by due date), and tasks completed late during the period (completions by time).
    queryRows<{ i: number | string; delta: number | string }>(
      deps.db,
      sql`with candidates as (
            select greatest(due_date, created_at) as starts, completed_at as ends from tasks
             where ${inScope(scope)}${ofProject} and status = 'pending' and due_date <= ${now.toISOString()}
            union all
            select greatest(due_date, created_at), completed_at from tasks
             where ${inScope(scope)}${ofProject} and completed_at >= ${start.toISOString()} and completed_at > due_date and due_date <= ${now.toISOString()}
          ), changes as (
            select starts as at, 1 as delta from candidates
            union all
            select ends, -1 from candidates where ends is not null
          )
          select width_bucket(at, ${dayStarts}::timestamptz[]) as i, sum(delta) as delta
            from changes where at <= ${now.toISOString()} group by 1`,
    ),
    // Runs of consecutive local days with a completion (gaps and islands over the completions index).
    queryRows<{ last: string; n: number | string }>(
      deps.db,
      sql`with done_days as (
            select distinct (completed_at at time zone ${tz})::date as d
              from tasks where ${inScope(scope)}${ofProject} and completed_at is not null and completed_at <= ${now.toISOString()}
          ), runs as (
            select max(d) as last, count(*) as n
              from (select d, d + (row_number() over (order by d desc))::int as run from done_days) numbered
             group by run
          )
          select to_char(last, 'YYYY-MM-DD') as last, n from runs
           where n = (select max(n) from runs) or last = (select max(d) from done_days)`,
    ),
    // Completion by priority and by tag: tasks open now, and tasks completed in the period. Rows are first
    // grouped by (priority, tags): a user has few distinct tag sets, so the unnest runs over those, not every task.
    queryRows<{ kind: 'priority' | 'tag'; key: string; done: number | string; open: number | string }>(
      deps.db,
      sql`with scope as (
            select priority, tags, false as done from tasks where ${inScope(scope)}${ofProject} and status = 'pending'
            union all
            select priority, tags, true from tasks where ${inScope(scope)}${ofProject} and completed_at >= ${start.toISOString()} and completed_at <= ${now.toISOString()}
          ), grouped as (
            select priority, tags, done, count(*) as n from scope group by priority, tags, done
          )
          select 'priority' as kind, priority::text as key, coalesce(sum(n) filter (where done), 0) as done, coalesce(sum(n) filter (where not done), 0) as open
            from grouped group by priority
          union all
          select 'tag', tag, coalesce(sum(n) filter (where done), 0), coalesce(sum(n) filter (where not done), 0)
            from grouped cross join lateral unnest(tags) as tag group by tag`,
    ),
  ])

  const completedByDay = new Map(completedRows.map((r) => [r.day, Number(r.n)]))
  const overdueChange = new Map(overdueRows.map((r) => [Number(r.i), Number(r.delta)]))
  let overdueRunning = 0

  const todayKey = isoDay(today)
  let current = 0
  let longest = 0
  for (const run of streakRows) {
    const n = Number(run.n)
    longest = Math.max(longest, n)
    if (run.last === todayKey || run.last === yesterday) current = n
  }

  const byPriority = PRIORITIES.map((key) => {
    const row = scopeRows.find((r) => r.kind === 'priority' && r.key === key)
    return { key, done: Number(row?.done ?? 0), open: Number(row?.open ?? 0) }
  })
  const tags = scopeRows
    .filter((r) => r.kind === 'tag')
    .map((r) => ({ key: r.key, done: Number(r.done), open: Number(r.open) }))
    .sort((a, b) => b.done + b.open - (a.done + a.open) || a.key.localeCompare(b.key))

  return {
    days: period,
    today,
    completed: days.map((day) => ({ day, count: completedByDay.get(isoDay(day)) ?? 0 })),
    overdue: days.map((day, i) => ({ day, count: (overdueRunning += overdueChange.get(i) ?? 0) })),
    streak: { current, longest, today: completedByDay.has(todayKey) },
    byPriority,
    byTag: tags.slice(0, TAGS_SHOWN),
    moreTags: Math.max(0, tags.length - TAGS_SHOWN),
  }
}
