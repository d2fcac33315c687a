// The filter language's database side: an AST as a drizzle condition over the tasks table, every value a bound parameter.
import { and, arrayContains, eq, gte, isNotNull, isNull, lt, not, or, sql, type SQL } from 'drizzle-orm'
import { addDays, dayBounds, localDay, parseDay, wallClock, type LocalDate } from '../../lib/time'
import type { DateRef, FilterAtom, FilterNode } from './filter-parse'
import { tasks } from './schema'

/** When a filter is read: its days (today, +7d, this week) are the user's, in their zone. */
export interface FilterClock {
  now: Date
  timeZone: string
}

/** The calendar day a date names, counted from today in the user's zone. */
export function dayOf(date: DateRef, clock: FilterClock): LocalDate {
  const today = localDay(clock.now, clock.timeZone)
  switch (date.kind) {
    case 'today':
      return today
    case 'tomorrow':
      return addDays(today, 1)
    case 'offset':
      return addDays(today, date.unit === 'w' ? date.amount * 7 : date.amount)
    case 'day':
      return parseDay(date.day)!
  }
}

/** The instant a day starts at in the user's zone. */
export const startOf = (day: LocalDate, clock: FilterClock): Date => dayBounds(day, clock.timeZone).start

/**
 * The instants an atom's due range runs over, [from, to): a day from its start to the next day's, this week from
 * Monday to the next Monday. Null for atoms that are not about one span of days.
 */
export function dueSpan(atom: FilterAtom, clock: FilterClock): { from?: Date; to?: Date } | null {
  const today = localDay(clock.now, clock.timeZone)
  const days = (first: LocalDate, count: number) => ({ from: startOf(first, clock), to: startOf(addDays(first, count), clock) })
  switch (atom.kind) {
    case 'today':
      return days(today, 1)
    case 'tomorrow':
      return days(addDays(today, 1), 1)
    case 'this week':
      return days(addDays(today, -((wallClock(clock.now, clock.timeZone).weekday + 6) % 7)), 7)
    case 'overdue':
      return { to: startOf(today, clock) }
    case 'due':
      return atom.when === 'before' ? { to: startOf(dayOf(atom.date, clock), clock) } : { from: startOf(addDays(dayOf(atom.date, clock), 1), clock) }
    default:
      return null
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c)

/** The text searched: the same expression the trigram index is built on. */
const searchable = sql`(${tasks.title} || ' ' || ${tasks.description})`

/** An atom's condition. Each is true or false, never null (a task without a due date is in no due range), so ! is exact. */
function atomSql(atom: FilterAtom, clock: FilterClock): SQL {
  const span = dueSpan(atom, clock)
  if (span) {
    const due = and(isNotNull(tasks.dueDate), span.from && gte(tasks.dueDate, span.from), span.to && lt(tasks.dueDate, span.to))!
    return atom.kind === 'overdue' ? and(eq(tasks.status, 'pending'), due)! : due
  }
  switch (atom.kind) {
    case 'no date':
      return isNull(tasks.dueDate)
    case 'recurring':
      return isNotNull(tasks.recurrence)
    case 'status':
      return eq(tasks.status, atom.status)
    case 'priority':
      return eq(tasks.priority, atom.priority)
    case 'tag':
      return arrayContains(tasks.tags, [atom.tag])
    case 'search':
      return and(...atom.words.map((word) => sql`${searchable} ilike ${'%' + escapeLike(word) + '%'}`))!
    case 'project':
      // Among the task owner's projects (the list is the actor's own), by name whatever its case: the name's index.
      // Qualified by hand: a select from tasks alone leaves its columns unqualified, which the subquery would misread.
      return sql`"tasks"."project_id" in (select named.id from projects as named where named.user_id = "tasks"."user_id" and lower(named.name) = lower(${atom.name}))`
    default:
      throw new Error(`no condition for ${atom.kind}`)
  }
}

/** The filter as a condition over `tasks`, read at `clock`; parameters bound, never spliced into the text. */
export function filterSql(node: FilterNode, clock: FilterClock): SQL {
  switch (node.kind) {
    case 'and':
      return sql`(${and(filterSql(node.left, clock), filterSql(node.right, clock))})`
    case 'or':
      return sql`(${or(filterSql(node.left, clock), filterSql(node.right, clock))})`
    case 'not':
      return not(filterSql(node.operand, clock))
    default:
      return sql`(${atomSql(node, clock)})`
  }
}
