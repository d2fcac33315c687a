// Calendar: a month grid (weeks from Monday) with each day's task count and first titles, in one SQL query, and the
// next instances of the user's repeating series projected onto their days.
import { sql } from 'drizzle-orm'
import { queryRows } from '../../db/client'
import { invalid } from '../../lib/errors'
import type { Actor } from '../auth/user'
import { inScope, taskScope, type TaskReadDeps, type TaskScope } from '../tasks/service'
import { andInProject, projectSeries, type Projected } from './projections'
import { dayBounds, isoDay, localDay, type LocalDate } from '../../lib/time'

/** Titles shown per day; the count says how many there are in all. */
export const TITLES_PER_DAY = 3
/** Projected instances shown per day; the rest are counted. */
export const PROJECTED_PER_DAY = 2

export interface MonthDay {
  day: LocalDate
  inMonth: boolean
  count: number
  tasks: Array<{ id: string; title: string; status: string; due_date: string }>
  /** Instances of repeating series that would fall on the day (each names its series' current task). */
  projected: Projected[]
  moreProjected: number
}

export interface MonthView {
  month: { year: number; month: number }
  previous: string
  next: string
  /** Weeks of seven days, Monday first. */
  weeks: MonthDay[][]
}

const monthKey = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`

/** `YYYY-MM` → the month; absent → the user's current month. */
export function parseMonth(text: string | undefined, timeZone: string, now: Date): { year: number; month: number } {
  if (text === undefined || text === '') {
    const today = localDay(now, timeZone)
    return { year: today.year, month: today.month }
  }
  const m = /^(\d{4})-(\d{2})$/.exec(text)
  const year = Number(m?.[1])
  const month = Number(m?.[2])
  if (!m || year < 1970 || year > 9999 || month < 1 || month > 12) throw invalid('month', 'month must be a month as YYYY-MM, e.g. 2026-12')
  return { year, month }
}

/** The instances of the series the user sees between `start` (or today, if later) and `end`. */
function projected(deps: TaskReadDeps, actor: Actor, scope: TaskScope, start: Date, end: Date, max: number, projectId?: string): Promise<Projected[]> {
  const today = dayBounds(localDay(deps.clock(), actor.timezone), actor.timezone).start
  const from = start.getTime() > today.getTime() ? start : today
  return from.getTime() > end.getTime() ? Promise.resolve([]) : projectSeries(deps, scope, actor.timezone, from, end, max, projectId)
}

/** The month over the tasks the actor sees, of one project when `projectId` (one they see, checked by the caller) is given. */
export async function monthView(deps: TaskReadDeps, actor: Actor, monthText?: string, projectId?: string): Promise<MonthView> {
  const { year, month } = parseMonth(monthText, actor.timezone, deps.clock())
  const first = new Date(Date.UTC(year, month - 1, 1))
  const lead = (first.getUTCDay() + 6) % 7 // days shown before the 1st, back to Monday
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  const cells = Math.ceil((lead + daysInMonth) / 7) * 7
  const days: LocalDate[] = Array.from({ length: cells }, (_, i) => {
    const d = new Date(Date.UTC(year, month - 1, 1 - lead + i))
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
  })
  const start = dayBounds(days[0]!, actor.timezone).start
  const end = dayBounds(days.at(-1)!, actor.timezone).end
  const scope = await taskScope(deps.db, actor.id)
  // One range scan on (user_id, due_date); days in the user's zone; the first few titles of each day and its count.
  const [rows, instances] = await Promise.all([
    queryRows<{ id: string; title: string; status: string; due_date: Date | string; day: string; n: number | string }>(
    deps.db,
    sql`select id, title, status, due_date, day, n from (
          select id, title, status, due_date,
                 to_char(due_date at time zone ${actor.timezone}, 'YYYY-MM-DD') as day,
                 row_number() over (partition by (due_date at time zone ${actor.timezone})::date order by due_date, id) as rn,
                 count(*) over (partition by (due_date at time zone ${actor.timezone})::date) as n
          from tasks
          where ${inScope(scope)} and due_date >= ${start.toISOString()} and due_date <= ${end.toISOString()}${andInProject(projectId)}
        ) per_day
        where rn <= ${TITLES_PER_DAY}
        order by due_date, id`,
    ),
    // The grid's days from today on (what is past is not projected); a daily series has one instance a day at most.
    projected(deps, actor, scope, start, end, cells, projectId),
  ])
  const byDay = new Map<string, MonthDay>(days.map((d) => [isoDay(d), { day: d, inMonth: d.month === month, count: 0, tasks: [], projected: [], moreProjected: 0 }]))
  for (const row of rows) {
    const cell = byDay.get(row.day)
    if (!cell) continue
    cell.count = Number(row.n)
    cell.tasks.push({ id: row.id, title: row.title, status: row.status, due_date: new Date(row.due_date).toISOString() })
  }
  for (const p of instances) {
    const cell = byDay.get(isoDay(localDay(new Date(p.due), actor.timezone)))
    if (!cell) continue
    if (cell.projected.length < PROJECTED_PER_DAY) cell.projected.push(p)
    else cell.moreProjected++
  }
  const all = [...byDay.values()]
  const prev = new Date(Date.UTC(year, month - 2, 1))
  const next = new Date(Date.UTC(year, month, 1))
  return {
    month: { year, month },
    previous: monthKey(prev.getUTCFullYear(), prev.getUTCMonth() + 1),
    next: monthKey(next.getUTCFullYear(), next.getUTCMonth() + 1),
    weeks: Array.from({ length: all.length / 7 }, (_, w) => all.slice(w * 7, w * 7 + 7)),
  }
}
