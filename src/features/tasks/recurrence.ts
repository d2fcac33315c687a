// Recurring tasks: the next due date from an RRULE, computed on the user's wall clock so DST and month ends come out right.
import { RRule, type Options } from 'rrule'
import { AppError, invalid } from '../../lib/errors'
import { zonedTimeToUtc, zoneOffsetMs } from '../../lib/time'
import { boundedRule, RuleBudget, RuleBudgetExceeded } from './rule-budget'
import { DAY_MS, phaseStart } from './rule-phase'

/**
 * rrule works on "floating" dates: a wall-clock time is carried as a Date whose UTC fields are
 * that wall time. These two convert to and from real instants in `timeZone`.
 */
const toWall = (instant: Date, timeZone: string) => new Date(instant.getTime() + zoneOffsetMs(instant.getTime(), timeZone))
const fromWall = (wall: Date, timeZone: string) =>
  zonedTimeToUtc(
    {
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: wall.getUTCSeconds(),
    },
    timeZone,
  )

/** The rule anchored at `dtstart` (wall). MONTHLY keeps the anchor's day, clamped to short months. */
function ruleFor(recurrence: string, dtstart: Date, budget: RuleBudget): { rule: RRule; count: number | null } {
  const { options, count } = ruleOptions(recurrence, dtstart)
  return { rule: boundedRule({ ...options, dtstart }, budget), count }
}

/** The rule's options as anchored at `dtstart` (the day MONTHLY keeps), COUNT apart. */
function ruleOptions(recurrence: string, dtstart: Date): { options: Partial<Options>; count: number | null } {
  let options: Partial<Options>
  if (recurrence === 'DAILY') options = { freq: RRule.DAILY }
  else if (recurrence === 'WEEKLY') options = { freq: RRule.WEEKLY }
  else if (recurrence === 'MONTHLY') {
    const day = dtstart.getUTCDate()
    // The 31st is every month's last day (BYMONTHDAY=-1, which every calendar reads alike). The 29th
    // and 30th fall back to February's last day: the last of 28, 29(, 30) that the month has.
    options =
      day <= 28
        ? { freq: RRule.MONTHLY, bymonthday: [day] }
        : day === 31
          ? { freq: RRule.MONTHLY, bymonthday: [-1] }
          : { freq: RRule.MONTHLY, bymonthday: Array.from({ length: day - 27 }, (_, i) => 28 + i), bysetpos: [-1] }
  } else {
    options = RRule.parseString(recurrence)
  }
  // COUNT is kept by the series' own instance numbers (it must hold whichever date a count starts from).
  const count = options.count ?? null
  delete options.count
  return { options, count }
}

/**
 * The rule's options with what rrule would take from the anchor written out (the day of the month, the
 * weekday, the time of day), so that a walk may start later than the anchor and still find the same dates.
 */
function anchoredOptions(recurrence: string, anchor: Date): { options: Partial<Options>; count: number | null } {
  const { options, count } = ruleOptions(recurrence, anchor)
  const parsed = new RRule({ ...options, dtstart: anchor }, true).options
  const derived = !(options.byweekno || options.byyearday || options.bymonthday || options.byweekday || options.byeaster)
  const days = derived ? { bymonth: parsed.bymonth, bymonthday: parsed.bymonthday, byweekday: parsed.byweekday } : {}
  return { options: { ...options, ...days, byhour: parsed.byhour, byminute: parsed.byminute, bysecond: parsed.bysecond }, count }
}

/** The series' rule, ready to walk from just before its current due date (both as wall times). */
function seriesWalk(task: RecurringTask & { dueDate: Date }, timeZone: string) {
  const anchor = toWall(task.seriesAnchor ?? task.dueDate, timeZone)
  const due = toWall(task.dueDate, timeZone)
  const { options, count } = anchoredOptions(task.recurrence, anchor)
  return { options, count, due, dtstart: phaseStart(options, anchor, due) }
}

export interface RecurringTask {
  recurrence: string
  recurrenceFrom: 'due' | 'completion'
  dueDate: Date | null
  seriesAnchor: Date | null
  completedAt: Date | null
  occurrence: number
}

/**
 * The due date of the instance after `task`, or null when the series has ended (COUNT or UNTIL).
 * From the due date: the rule's next date after the current due date, in the phase of the series
 * start. From completion: the rule restarted on the completion day (at the due time of day).
 * Throws RuleBudgetExceeded when the rule cannot be walked within `budget`.
 */
export function nextDueDate(task: RecurringTask, timeZone: string, budget = new RuleBudget()): Date | null {
  const done = task.completedAt ?? new Date()
  let next: Date | null
  let count: number | null
  if (task.recurrenceFrom === 'completion' || !task.dueDate) {
    const day = toWall(done, timeZone)
    const timeOfDay = task.dueDate ? toWall(task.dueDate, timeZone) : day
    const dtstart = new Date(
      Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), timeOfDay.getUTCHours(), timeOfDay.getUTCMinutes(), timeOfDay.getUTCSeconds()),
    )
    const built = ruleFor(task.recurrence, dtstart, budget)
    count = built.count
    next = built.rule.after(dtstart, false)
  } else {
    const walk = seriesWalk({ ...task, dueDate: task.dueDate }, timeZone)
    count = walk.count
    next = boundedRule({ ...walk.options, dtstart: walk.dtstart }, budget).after(walk.due, false)
  }
  if (count !== null && task.occurrence >= count) return null
  return next ? fromWall(next, timeZone) : null
}

/** The first due date for a task given a rule but no date: the rule's first date from the next full hour. */
export function firstDueDate(recurrence: string, timeZone: string, now: Date, budget = new RuleBudget()): Date | null {
  const start = firstHour(toWall(now, timeZone))
  const first = ruleFor(recurrence, start, budget).rule.after(start, true)
  return first ? fromWall(first, timeZone) : null
}

/** Years within which a rule must have a date, from its start and from each instance (COUNT and UNTIL apart). */
export const SERIES_HORIZON_YEARS = 10

/**
 * The due date a new or rescheduled series starts on: `dueDate`, or the rule's first date from the next
 * full hour when there is none. Refuses (400, field `recurrence`) a rule whose first date, or whose next
 * date after it, is not within SERIES_HORIZON_YEARS (an ending rule, COUNT or UNTIL, may stop after its
 * first), or that cannot be worked out within one evaluation's budget: every later walk would cost as much.
 */
export function seriesStart(recurrence: string, dueDate: Date | null, timeZone: string, now: Date): Date {
  const budget = new RuleBudget()
  const never = invalid(
    'recurrence',
    `recurrence has no date within ${SERIES_HORIZON_YEARS} years${dueDate ? ' of the due date' : ''}; check its BYMONTH, BYMONTHDAY, BYDAY and INTERVAL parts`,
  )
  const beyondHorizon = (wall: Date, from: Date) =>
    wall.getTime() > Date.UTC(from.getUTCFullYear() + SERIES_HORIZON_YEARS, from.getUTCMonth(), from.getUTCDate() + 1)
  try {
    const first = dueDate ?? firstDueDate(recurrence, timeZone, now, budget)
    if (!first) throw invalid('recurrence', 'recurrence has no date from now on: its UNTIL has passed')
    const start = toWall(first, timeZone)
    if (beyondHorizon(start, toWall(now, timeZone)) && !dueDate) throw never
    const { options } = anchoredOptions(recurrence, start)
    delete options.until
    const next = boundedRule({ ...options, dtstart: start }, budget).after(start, false)
    if (!next || beyondHorizon(next, start)) throw never
    return first
  } catch (error) {
    if (error instanceof RuleBudgetExceeded) throw never
    if (error instanceof AppError) throw error
    throw invalid('recurrence', `recurrence could not be evaluated: ${error instanceof Error ? error.message.slice(0, 80) : 'unknown error'}`)
  }
}

/** The next full hour after a wall time. */
const firstHour = (wall: Date) => new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate(), wall.getUTCHours() + 1))

/** The next `n` due dates of a series after `task`'s, for projections (each computed as completing the previous would). */
export function upcomingDueDates(task: RecurringTask, timeZone: string, n: number, budget = new RuleBudget()): Date[] {
  const out: Date[] = []
  let current = { ...task }
  for (let i = 0; i < n; i++) {
    const next = nextDueDate({ ...current, recurrenceFrom: 'due' }, timeZone, budget)
    if (!next) break
    out.push(next)
    current = { ...current, seriesAnchor: current.seriesAnchor ?? current.dueDate, dueDate: next, occurrence: current.occurrence + 1 }
  }
  return out
}

/**
 * The due dates of the next `max` instances after `task`'s (as completing each on its due date would
 * make them) that fall between `from` and `to`, for projections. The rule is walked once, from the
 * period of the series that holds the task's due date. Throws RuleBudgetExceeded past `budget`.
 */
export function occurrencesBetween(task: RecurringTask, timeZone: string, from: Date, to: Date, max: number, budget = new RuleBudget()): Date[] {
  if (!task.dueDate || from.getTime() > to.getTime()) return []
  const walk = seriesWalk({ ...task, dueDate: task.dueDate }, timeZone)
  const limit = Math.min(max, walk.count === null ? Infinity : walk.count - task.occurrence)
  if (limit <= 0) return []
  const end = toWall(to, timeZone)
  const step = fixedStepDays(ruleOptions(task.recurrence, walk.due).options)
  let walls: Date[]
  if (step !== null) {
    // Wall-clock dates carry no DST: each instance is the last one plus the step, as rrule would walk it.
    walls = []
    for (let k = 1; k <= limit; k++) {
      const wall = new Date(walk.due.getTime() + k * step * DAY_MS)
      if (wall.getTime() > end.getTime()) break
      walls.push(wall)
    }
  } else {
    walls = boundedRule({ ...walk.options, dtstart: walk.dtstart }, budget).between(walk.due, end, false, (_date, found) => found < limit)
  }
  return walls.map((d) => fromWall(d, timeZone)).filter((d) => d.getTime() >= from.getTime())
}

/**
 * Days between instances when a rule is only a frequency of days or weeks and an interval (the DAILY and
 * WEEKLY presets and their like), else null. Such rules are walked by adding days, which is what rrule does
 * for them at a hundredth of the cost: projections walk every series on every Upcoming view.
 */
function fixedStepDays(options: Partial<Options>): number | null {
  const { freq, interval, ...rest } = options
  if (Object.values(rest).some((v) => v !== undefined && v !== null)) return null
  const every = interval ?? 1
  if (!Number.isInteger(every) || every < 1) return null
  if (freq === RRule.DAILY) return every
  if (freq === RRule.WEEKLY) return 7 * every
  return null
}

/**
 * The RRULE value a calendar should use for a task due at `due`: presets spelled out (MONTHLY keeps
 * the series' day, clamped to short months), BYDAY/BYMONTHDAY as the rule has them. The feed shows the
 * series from this instance on (its DTSTART), so a COUNT becomes the instances left, this one included
 * (COUNT minus the `occurrence - 1` already done): a 12-times series on its 5th instance says COUNT=8.
 */
export function rruleFor(recurrence: string, due: Date, seriesAnchor: Date | null, timeZone: string, occurrence = 1): string {
  const { rule, count } = ruleFor(recurrence, toWall(seriesAnchor ?? due, timeZone), new RuleBudget())
  const text = RRule.optionsToString({ ...rule.origOptions, dtstart: null }).replace(/^RRULE:/, '')
  const parts = text.split(';').filter((part) => !part.startsWith('DTSTART') && !part.startsWith('COUNT='))
  if (count !== null) parts.push(`COUNT=${Math.max(1, count - occurrence + 1)}`)
  return parts.join(';')
}
