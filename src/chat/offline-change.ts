// A change the offline agent asked for, made concrete for one task as it is now: "push by a week" becomes that
// task's new due date, "tag with work" its new tag list. Kept as words (shift, add_tags, remove_tags) while the
// agent waits for a "yes", so the stored question stays plain data.
import { addDays, isoDay, localDay, parseDay, wallClock, zonedTimeToUtc } from '../lib/time'
import type { Duration } from './duration'
import type { Task } from './offline-find'

const MINUTE = 60_000

/** A calendar date `months` later, clamped to the month's last day (31 Jan + 1 month = 28 Feb). */
function addMonths(day: { year: number; month: number; day: number }, months: number) {
  const index = day.year * 12 + day.month - 1 + months
  const [year, month] = [Math.floor(index / 12), (index % 12) + 1]
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return { year, month, day: Math.min(day.day, last) }
}

/** Days a duration spans on the calendar (a week is 7), or undefined for minutes and hours. */
const calendarDays = (by: Duration) => (by.unit === 'day' ? by.amount : by.unit === 'week' ? by.amount * 7 : undefined)

/**
 * The due date `by` after the task's: a day moves by whole days (it stays all-day), a time by the clock for minutes
 * and hours and by the calendar for days, weeks and months (so 09:00 stays 09:00 across a DST change). A task with
 * no due date is moved from now.
 */
export function shiftDue(task: Pick<Task, 'due_date' | 'due_day'>, by: Duration, timeZone: string, now: Date): string | null {
  const days = calendarDays(by)
  if (task.due_day) {
    const day = parseDay(task.due_day)!
    if (by.unit === 'month') return isoDay(addMonths(day, by.amount))
    const whole = days ?? Math.floor((by.amount * (by.unit === 'hour' ? 60 : 1)) / 1440)
    return isoDay(addDays(day, whole))
  }
  if (!task.due_date && days === undefined && by.unit !== 'month') return new Date(now.getTime() + by.amount * (by.unit === 'hour' ? 60 : 1) * MINUTE).toISOString()
  if (!task.due_date) return isoDay(by.unit === 'month' ? addMonths(localDay(now, timeZone), by.amount) : localDay(now, timeZone, days!))
  const at = new Date(task.due_date)
  if (by.unit === 'minute' || by.unit === 'hour') return new Date(at.getTime() + by.amount * (by.unit === 'hour' ? 60 : 1) * MINUTE).toISOString()
  const wall = wallClock(at, timeZone)
  const day = by.unit === 'month' ? addMonths(wall, by.amount) : addDays(wall, days!)
  return zonedTimeToUtc({ ...day, hour: wall.hour, minute: wall.minute }, timeZone).toISOString()
}

/** The fields to send update_task for `task`: `fields` with its shift and tag words made concrete. */
export function concreteFields(task: Task, fields: Record<string, unknown>, timeZone: string, now: Date): Record<string, unknown> {
  const { shift, add_tags, remove_tags, ...rest } = fields as Record<string, unknown> & { shift?: Duration; add_tags?: string[]; remove_tags?: string[] }
  const out: Record<string, unknown> = { ...rest }
  if (shift) out.due_date = shiftDue(task, shift, timeZone, now)
  if (add_tags || remove_tags) {
    const gone = new Set(remove_tags ?? [])
    out.tags = [...new Set([...(task.tags ?? []), ...(add_tags ?? [])])].filter((t) => !gone.has(t))
  }
  return out
}
