// Showing times to a person: in their zone, absolute and relative ("in 3 h"), and the due-state marks.
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

/** The value of an `<input type="datetime-local">` showing `date` in the user's zone. */
export function toLocalInput(date: Date | null, timeZone: string): string {
  if (!date) return ''
  const p = localParts(date, timeZone)
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`
}


export type DueState = 'overdue' | 'today' | 'upcoming' | 'none'

/** Overdue: pending and past due. Today: due later today, in the user's zone. */
export function dueState(due: Date | null, pending: boolean, timeZone: string, now: Date): DueState {
  if (!due) return 'none'
  if (pending && due.getTime() < now.getTime()) return 'overdue'
  if (isoDay(localDay(due, timeZone)) === isoDay(localDay(now, timeZone))) return 'today'
  return 'upcoming'
}

/** A list total as people read it: "1,000+" when it is only a lower bound (the count stopped at its cap). */
export const totalLabel = (n: number, exact: boolean) => (exact ? String(n) : `${n.toLocaleString('en-GB')}+`)
