// Recurring tasks: the next due date from an RRULE, computed on the user's wall clock so DST and month ends come out right.
import { RRule, type Options } from 'rrule'
import { zonedTimeToUtc, zoneOffsetMs } from '../../lib/time'

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
function ruleFor(recurrence: string, dtstart: Date): { rule: RRule; count: number | null } {
  const { options, count } = ruleOptions(recurrence, dtstart)
  return { rule: new RRule({ ...options, dtstart }), count }
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
 * From the due date: the rule's next date after the current due date, anchored at the series
 * start. From completion: the rule restarted on the completion day (at the due time of day).
 */
export function nextDueDate(task: RecurringTask, timeZone: string): Date | null {
  const done = task.completedAt ?? new Date()
  let next: Date | null
  let count: number | null
  if (task.recurrenceFrom === 'completion' || !task.dueDate) {
    const day = toWall(done, timeZone)
    const timeOfDay = task.dueDate ? toWall(task.dueDate, timeZone) : day
    const dtstart = new Date(
      Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), timeOfDay.getUTCHours(), timeOfDay.getUTCMinutes(), timeOfDay.getUTCSeconds()),
    )
    const built = ruleFor(task.recurrence, dtstart)
    count = built.count
    next = built.rule.after(dtstart, false)
  } else {
    const anchor = toWall(task.seriesAnchor ?? task.dueDate, timeZone)
    const built = ruleFor(task.recurrence, anchor)
    count = built.count
    next = built.rule.after(toWall(task.dueDate, timeZone), false)
  }
  if (count !== null && task.occurrence >= count) return null
  return next ? fromWall(next, timeZone) : null
}

/** The first due date for a task given a rule but no date: the rule's first date from the next full hour. */
export function firstDueDate(recurrence: string, timeZone: string, now: Date): Date | null {
  const wall = toWall(now, timeZone)
  const start = new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate(), wall.getUTCHours() + 1))
  const first = ruleFor(recurrence, start).rule.after(start, true)
  return first ? fromWall(first, timeZone) : null
}

/** The next `n` due dates of a series after `task`'s, for projections (each computed as completing the previous would). */
export function upcomingDueDates(task: RecurringTask, timeZone: string, n: number): Date[] {
  const out: Date[] = []
  let current = { ...task }
  for (let i = 0; i < n; i++) {
    const next = nextDueDate({ ...current, recurrenceFrom: 'due' }, timeZone)
    if (!next) break
    out.push(next)
    current = { ...current, seriesAnchor: current.seriesAnchor ?? current.dueDate, dueDate: next, occurrence: current.occurrence + 1 }
  }
  return out
}

/**
 * The due dates of the next `max` instances after `task`'s (as completing each on its due date would
 * make them) that fall between `from` and `to`, for projections. The rule is walked once, starting
 * at the task's own due date: that date is an instance, so restarting there keeps every part of the
 * series' rule (its month day, weekdays, interval phase) without walking from the series' start.
 */
export function occurrencesBetween(task: RecurringTask, timeZone: string, from: Date, to: Date, max: number): Date[] {
  if (!task.dueDate || from.getTime() > to.getTime()) return []
  const { options, count } = ruleOptions(task.recurrence, toWall(task.seriesAnchor ?? task.dueDate, timeZone))
  const limit = Math.min(max, count === null ? Infinity : count - task.occurrence)
  if (limit <= 0) return []
  const current = toWall(task.dueDate, timeZone)
  const end = toWall(to, timeZone)
  const step = fixedStepDays(options)
  let walls: Date[]
  if (step !== null) {
    // Wall-clock dates carry no DST: each instance is the last one plus the step, as rrule would walk it.
    walls = []
    for (let k = 1; k <= limit; k++) {
      const wall = new Date(current.getTime() + k * step * DAY_MS)
      if (wall.getTime() > end.getTime()) break
      walls.push(wall)
    }
  } else {
    // One walk: rrule's result cache would only cost.
    const walk = new RRule({ ...options, dtstart: current }, true)
    walls = walk.between(current, end, false, (_date, found) => found < limit)
  }
  return walls.map((d) => fromWall(d, timeZone)).filter((d) => d.getTime() >= from.getTime())
}

const DAY_MS = 86_400_000

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
 * the series' day, clamped to short months), BYDAY/BYMONTHDAY as the rule has them. COUNT is left
 * out: the feed shows the series from this instance on, and COUNT counts from its start.
 */
export function rruleFor(recurrence: string, due: Date, seriesAnchor: Date | null, timeZone: string): string {
  const { rule } = ruleFor(recurrence, toWall(seriesAnchor ?? due, timeZone))
  const text = RRule.optionsToString({ ...rule.origOptions, dtstart: null }).replace(/^RRULE:/, '')
  return text
    .split(';')
    .filter((part) => !part.startsWith('DTSTART') && !part.startsWith('COUNT='))
    .join(';')
}
