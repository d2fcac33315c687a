// The filter language (`today & p1`, `overdue | #work`, `due before: +7d`): one reading for the list API, find_tasks and saved views (docs/filters.md).
import { and, eq, type SQL } from 'drizzle-orm'
import { namesStatus, parseFilter } from './filter-parse'
import { filterSql, type FilterClock } from './filter-sql'
import { tasks } from './schema'

export { FILTER_MAX } from './filter-parse'

/** The language as a model reads it (find_tasks' description and the server's instructions). */
export const FILTER_HELP =
  'filter terms: today, tomorrow, overdue (due before today, still open), this week (Monday to Sunday), no date, ' +
  'p1 / p2 / p3 (high, medium, low priority; p4 reads as low), #tag, due before: <date>, due after: <date> ' +
  '(a date is today, tomorrow, +7d, -1w or 2026-12-24; both ends exclusive), search: words, recurring, completed, open, ' +
  '@project:Name (a project of the user\'s, any case; @project:"Two words" when the name has spaces or & | ( ) !). ' +
  'Combine with & (and), | (or), ! (not) and parentheses; ! binds tightest, then &, then |. ' +
  'Without completed or open a filter shows open tasks. ' +
  'Examples: "today & p1", "overdue | #work", "(today | overdue) & !#waiting", "due before: +7d & search: report", "@project:Work & p1".'

/**
 * The condition `text` stands for, read at `clock` in the user's zone, or a 400 naming the column where it goes
 * wrong. A filter that names no status shows open tasks, unless `statusGiven` (the caller filters by status itself).
 */
export function filterCondition(text: string, clock: FilterClock, statusGiven = false): SQL {
  const node = parseFilter(text)
  const condition = filterSql(node, clock)
  return namesStatus(node) || statusGiven ? condition : and(condition, eq(tasks.status, 'pending'))!
}

/** Whether `text` is a filter that names a status (completed or open); false when it is malformed. */
export function filterNamesStatus(text: string): boolean {
  try {
    return namesStatus(parseFilter(text))
  } catch {
    return false
  }
}
