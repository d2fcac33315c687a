// The task list sorted by due date, read in groups: Overdue, Today, Tomorrow, Later, No date (in the user's zone).
import { and, gte, isNull, lt, type SQL } from 'drizzle-orm'
import { cappedTotal, type CappedTotal } from '../../db/capped-count'
import type { Db } from '../../db/client'
import { dayBounds, localDay } from '../../lib/time'
import { matchCountWhere } from './list'
import type { ListQuery } from './list-query'
import type { TaskScope } from './owned'
import { tasks } from './schema'

export const DUE_GROUPS = ['overdue', 'today', 'tomorrow', 'later', 'none'] as const
export type DueGroup = (typeof DUE_GROUPS)[number]

/** Where the groups meet: the starts of today, tomorrow and the day after, in the user's zone (as Today counts them). */
export interface DueEdges {
  today: Date
  tomorrow: Date
  later: Date
}

export function dueEdges(now: Date, timeZone: string): DueEdges {
  const start = (days: number) => dayBounds(localDay(now, timeZone, days), timeZone).start
  return { today: start(0), tomorrow: start(1), later: start(2) }
}

/** The group a due date (an ISO date-time, or null) falls in. */
export function dueGroupOf(due: string | Date | null, edges: DueEdges): DueGroup {
  if (due === null) return 'none'
  const at = new Date(due).getTime()
  if (at < edges.today.getTime()) return 'overdue'
  if (at < edges.tomorrow.getTime()) return 'today'
  if (at < edges.later.getTime()) return 'tomorrow'
  return 'later'
}

function groupFilter(group: DueGroup, edges: DueEdges): SQL {
  switch (group) {
    case 'overdue':
      return lt(tasks.dueDate, edges.today)
    case 'today':
      return and(gte(tasks.dueDate, edges.today), lt(tasks.dueDate, edges.tomorrow))!
    case 'tomorrow':
      return and(gte(tasks.dueDate, edges.tomorrow), lt(tasks.dueDate, edges.later))!
    case 'later':
      return gte(tasks.dueDate, edges.later)
    case 'none':
      return isNull(tasks.dueDate)
  }
}

export type DueGroupCounts = Record<DueGroup, CappedTotal>

/** How many tasks matching `query` fall in each group, each counted up to TOTAL_CAP (the list's own rule for totals). */
export async function dueGroupCounts(db: Db, scope: TaskScope, query: ListQuery, edges: DueEdges): Promise<DueGroupCounts> {
  const counts = await Promise.all(DUE_GROUPS.map((group) => matchCountWhere(db, scope, query, groupFilter(group, edges))))
  return Object.fromEntries(DUE_GROUPS.map((group, i) => [group, cappedTotal([{ n: counts[i]! }])])) as DueGroupCounts
}
