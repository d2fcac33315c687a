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
