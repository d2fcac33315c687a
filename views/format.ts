// Showing times to a person: in their zone, absolute and relative ("in 3 h"), calendar days, repeat rules in words, and the due-state marks.
import { RRule } from 'rrule'
import { isoDay, localDay, wallClock } from '../src/lib/time'

const absolute = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string, withYear: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withYear}`
  let f = absolute.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      ...(withYear ? { year: 'numeric' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    absolute.set(key, f)
  }
  return f
}

/** "Tue 1 Dec, 17:00" in the user's zone (with the year when it is not this year). */
export function formatAbsolute(date: Date, timeZone: string, now: Date): string {
  const sameYear = localParts(date, timeZone).year === localParts(now, timeZone).year
  return formatter(timeZone, !sameYear).format(date)
}

const days = new Map<boolean, Intl.DateTimeFormat>()

/** "Sat 5 Dec" for a `YYYY-MM-DD` day (with the year when it is not this year): an all-day task's date, no time. */
export function formatDay(day: string, timeZone: string, now: Date): string {
  const withYear = day.slice(0, 4) !== String(localParts(now, timeZone).year)
  let f = days.get(withYear)
  if (!f) days.set(withYear, (f = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}) })))
  return f.format(new Date(`${day}T12:00:00Z`))
}

/** When a task is due as a person reads it: "Tue 1 Dec, 17:00", or "Sat 5 Dec" for an all-day task. */
export function formatDue(task: { due_date: string | null; due_day: string | null }, timeZone: string, now: Date): string {
  if (task.due_day) return formatDay(task.due_day, timeZone, now)
  return task.due_date ? formatAbsolute(new Date(task.due_date), timeZone, now) : ''
}

/** "in 3 h", "5 min ago", "in 2 d", "now". */
export function formatRelative(date: Date, now: Date): string {
  const diff = date.getTime() - now.getTime()
  const abs = Math.abs(diff)
  const minute = 60_000
  let text: string
  if (abs < minute) return 'now'
  if (abs < 60 * minute) text = `${Math.round(abs / minute)} min`
  else if (abs < 48 * 60 * minute) text = `${Math.round(abs / (60 * minute))} h`
  else text = `${Math.round(abs / (24 * 60 * minute))} d`
  return diff > 0 ? `in ${text}` : `${text} ago`
}

/** The wall-clock reading of `date` in `timeZone`. */
export const localParts = wallClock

const pad = (n: number) => String(n).padStart(2, '0')

/** The values of a task form's day and time inputs (`<input type="date">`, `<input type="time">`); an all-day task has no time. */
export function toDueInputs(task: { due_date: string | null; due_day: string | null }, timeZone: string): { due: string; due_time: string } {
  if (task.due_day) return { due: task.due_day, due_time: '' }
  const local = toLocalInput(task.due_date ? new Date(task.due_date) : null, timeZone)
  return { due: local.slice(0, 10), due_time: local.slice(11) }
}

/** The value of an `<input type="datetime-local">` showing `date` in the user's zone. */
export function toLocalInput(date: Date | null, timeZone: string): string {
  if (!date) return ''
  const p = localParts(date, timeZone)
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`
}


export type DueState = 'overdue' | 'today' | 'upcoming' | 'none'

/**
 * Overdue: pending and past due. Today: due later today, in the user's zone. An all-day task is due all of its
 * day: it is overdue only from the next day on.
 */
export function dueState(due: Date | null, pending: boolean, timeZone: string, now: Date, allDay = false): DueState {
  if (!due) return 'none'
  const day = isoDay(localDay(due, timeZone))
  const today = isoDay(localDay(now, timeZone))
  if (pending && (allDay ? day < today : due.getTime() < now.getTime())) return 'overdue'
  if (day === today) return 'today'
  return 'upcoming'
}

/** A list total as people read it: "1,000+" when it is only a lower bound (the count stopped at its cap). */
export const totalLabel = (n: number, exact: boolean) => (exact ? String(n) : `${n.toLocaleString('en-GB')}+`)

const PRESET_REPEATS: Record<string, string> = { DAILY: 'every day', WEEKLY: 'every week', MONTHLY: 'every month' }

/** A repeat rule in words: "every week on Monday", "every 2 weeks" (rrule's English), or the rule itself. */
export function describeRepeat(recurrence: string): string {
  if (PRESET_REPEATS[recurrence]) return PRESET_REPEATS[recurrence]
  try {
    return RRule.fromString(recurrence).toText()
  } catch {
    return recurrence
  }
}

const WEEKDAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
const NTH: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', [-1]: 'last', [-2]: 'second to last' }
const MONTH_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const UNITS: Partial<Record<number, [string, string]>> = { [RRule.DAILY]: ['Daily', 'days'], [RRule.WEEKLY]: ['Weekly', 'weeks'], [RRule.MONTHLY]: ['Monthly', 'months'], [RRule.YEARLY]: ['Yearly', 'years'] }

/** 1st, 2nd, 3rd, 4th, 11th, 21st. */
const ordinal = (n: number) => `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`

/** "Mon", "Mon and Wed", "Mon, Wed and Fri". */
const listOf = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`)

const asArray = <T>(value: T | T[] | null | undefined): T[] => (value === null || value === undefined ? [] : Array.isArray(value) ? value : [value])

/**
 * A repeat rule as a short label, the way a person says it: "Daily", "Weekdays", "Every Mon and Wed",
 * "Every 2 weeks on Fri", "Monthly on the 1st", "Monthly on the last Fri", "Yearly on 5 Mar", with
 * ", 12 times" or ", until 31 Mar 2030" when the series ends. "Custom" only for a rule these words cannot
 * say (BYSETPOS, BYWEEKNO, BYYEARDAY, hourly rules and the like); its RFC 5545 text stays in the title.
 */
export function repeatLabel(recurrence: string): string {
  if (recurrence === 'DAILY' || recurrence === 'WEEKLY' || recurrence === 'MONTHLY') return recurrence[0] + recurrence.slice(1).toLowerCase()
  let options: ReturnType<typeof RRule.parseString>
  try {
    options = RRule.parseString(recurrence)
  } catch {
    return 'Custom'
  }
  const { freq, interval = 1, count, until, byweekday, bymonthday, bymonth, byhour, byminute, bysecond, wkst, ...rest } = options
  void byhour, byminute, bysecond, wkst // the time of day is the task's own due time; WKST changes no label we give
  const unit = freq === undefined ? undefined : UNITS[freq]
  if (!unit || Object.values(rest).some((v) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))) return 'Custom'
  const days = asArray(byweekday).map((d) => (typeof d === 'number' ? { weekday: d, n: undefined } : typeof d === 'string' ? null : d))
  if (days.some((d) => d === null)) return 'Custom'
  const weekdays = days.map((d) => d!.weekday)
  const nths = days.map((d) => d!.n ?? 0)
  const monthDays = asArray(bymonthday)
  const months = asArray(bymonth)
  const every = interval === 1 ? '' : `Every ${interval} ${unit[1]}`
  let label: string | undefined
  const plainDays = nths.every((n) => n === 0)
  const distinct = [...new Set(weekdays)].sort((a, b) => a - b)
  const dayList = distinct.join(',')
  if (months.length && freq !== RRule.YEARLY) return 'Custom'
  if (freq === RRule.DAILY || freq === RRule.WEEKLY) {
    if (monthDays.length || !plainDays) return 'Custom'
    if (!weekdays.length) label = every || unit[0]
    else if (interval === 1 && dayList === '0,1,2,3,4') label = 'Weekdays'
    else if (interval === 1 && dayList === '5,6') label = 'Weekends'
    else if (freq === RRule.DAILY && interval !== 1) return 'Custom'
    else label = `${every ? `${every} on` : 'Every'} ${listOf(distinct.map((d) => WEEKDAY_SHORT[d]!))}`
  } else if (freq === RRule.MONTHLY) {
    let on: string
    if (weekdays.length && monthDays.length) return 'Custom'
    if (weekdays.length) {
      if (nths.some((n) => NTH[n] === undefined)) return 'Custom'
      on = listOf(days.map((d) => `the ${NTH[d!.n!]} ${WEEKDAY_SHORT[d!.weekday]}`))
    } else if (monthDays.length) {
      if (monthDays.some((d) => d < -1 || d === 0)) return 'Custom'
      on = `the ${listOf(monthDays.map((d) => (d === -1 ? 'last day' : ordinal(d))))}`
    } else on = ''
    label = on ? `${every || unit[0]} on ${on}` : every || unit[0]
  } else {
    if (weekdays.length || monthDays.length > 1 || months.length > 1) return 'Custom'
    const [day] = monthDays
    const month = months[0] === undefined ? undefined : MONTH_SHORT[months[0] - 1]
    if (day !== undefined && (month === undefined || day < 1)) return 'Custom'
    label = `${every || unit[0]}${month === undefined ? '' : day === undefined ? ` in ${month}` : ` on ${day} ${month}`}`
  }
  if (count) label += count === 1 ? ', once' : `, ${count} times`
  if (until) label += `, until ${until.getUTCDate()} ${MONTH_SHORT[until.getUTCMonth()]} ${until.getUTCFullYear()}`
  return label
}
