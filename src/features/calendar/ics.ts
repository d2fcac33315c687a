// RFC 5545 text: escaping, line folding at 75 octets, CRLF endings, and the VCALENDAR of a user's tasks.
import type { ReminderView } from '../reminders/model'
import type { TaskView } from '../tasks/model'
import { rruleFor } from '../tasks/recurrence'

/** Control characters a TEXT value may not hold (§3.3.11), C1 included; tab is allowed, line breaks are escaped first. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g

/**
 * TEXT values (RFC 5545 §3.3.11): backslash, semicolon and comma escaped; a line break (CRLF, a bare CR or LF)
 * becomes `\n`; any other control character is dropped, so no text can end its property or start another.
 */
export const escapeText = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n').replace(CONTROL, '')

/** UTF-8 length of one code point. */
const utf8Bytes = (codePoint: number) => (codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4)

/** Folds a content line at 75 octets, never splitting a UTF-8 character (§3.1). */
export function fold(line: string): string {
  const octets = Buffer.byteLength(line)
  if (octets <= 75) return line
  if (octets === line.length) {
    // ASCII: one octet a character, so plain slices (75, then 74 after each continuation's space).
    const parts = [line.slice(0, 75)]
    for (let i = 75; i < line.length; i += 74) parts.push(line.slice(i, i + 74))
    return parts.join('\r\n ')
  }
  const parts: string[] = []
  let current = ''
  let size = 0
  for (const char of line) {
    const bytes = utf8Bytes(char.codePointAt(0)!)
    const limit = parts.length === 0 ? 75 : 74 // continuation lines start with a space
    if (size + bytes > limit) {
      parts.push(current)
      current = ''
      size = 0
    }
    current += char
    size += bytes
  }
  parts.push(current)
  return parts.join('\r\n ')
}

/** 20261201T170000Z */
export const utcStamp = (iso: string | Date) => new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')

const minutesOf = (lead: string) => {
  const m = /^(\d+)([mhd])$/.exec(lead)!
  return Number(m[1]) * ({ m: 1, h: 60, d: 1440 } as const)[m[2] as 'm' | 'h' | 'd']
}

export interface FeedTask {
  task: TaskView
  reminders: ReminderView[]
  /** The series' first due date (monthly rules keep its day). */
  seriesAnchor: Date | null
  /** This instance's number in its series (1 for the first): a COUNT is told from here on. */
  occurrence: number
}

/** 20261205 from 2026-12-05, moved by `days`. */
const dateStamp = (day: string, days = 0) => {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10).replace(/-/g, '')
}

/**
 * When the event is: a timed task 30 minutes at its due time; an all-day task its whole day as DATE values
 * (§3.6.1: DTEND is the next day, not part of the event), which calendars show with no time.
 */
const eventTimes = (task: TaskView) =>
  task.due_day
    ? [`DTSTART;VALUE=DATE:${dateStamp(task.due_day)}`, `DTEND;VALUE=DATE:${dateStamp(task.due_day, 1)}`]
    : [`DTSTART:${utcStamp(task.due_date!)}`, 'DURATION:PT30M']

/**
 * A calendar of the user's pending tasks that have due dates: one VEVENT each (see eventTimes), with the
 * RRULE of a recurring task and a VALARM per pending reminder; `name` is the calendar's (a project feed's says which).
 */
export function calendar(tasks: FeedTask[], now: Date, timeZone: string, name = 'todo-chatbot'): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//todo-chatbot//tasks//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(name)}`, `X-WR-TIMEZONE:${timeZone}`]
  for (const { task, reminders, seriesAnchor, occurrence } of tasks) {
    if (!task.due_date) continue
    lines.push(
      'BEGIN:VEVENT',
      `UID:${task.id}@todo-chatbot`,
      `DTSTAMP:${utcStamp(now)}`,
      ...eventTimes(task),
      `SUMMARY:${escapeText(task.title)}`,
      `LAST-MODIFIED:${utcStamp(task.updated_at)}`,
    )
    if (task.description) lines.push(`DESCRIPTION:${escapeText(task.description)}`)
    if (task.tags.length) lines.push(`CATEGORIES:${task.tags.map(escapeText).join(',')}`)
    if (task.priority !== 'medium') lines.push(`PRIORITY:${task.priority === 'high' ? 1 : 9}`)
    if (task.recurrence) {
      const rule = rruleFor(task.recurrence, new Date(task.due_date), seriesAnchor, timeZone, occurrence)
      // With a DATE start, UNTIL is a DATE too (§3.3.10).
      lines.push(`RRULE:${task.due_day ? rule.replace(/UNTIL=(\d{8})T\d{6}Z?/, 'UNTIL=$1') : rule}`)
    }
    for (const r of reminders) {
      if (r.status !== 'pending') continue
      // An all-day task's lead counts from 09:00 of its day, not from the event's start: its alarms are absolute.
      const trigger = r.lead && !task.all_day ? `TRIGGER:-PT${minutesOf(r.lead)}M` : `TRIGGER;VALUE=DATE-TIME:${utcStamp(r.remind_at)}`
      lines.push('BEGIN:VALARM', `UID:${r.id}@todo-chatbot`, 'ACTION:DISPLAY', `DESCRIPTION:${escapeText(task.title)}`, trigger, 'END:VALARM')
    }
    lines.push('END:VEVENT')
  }
  lines.push('END:VCALENDAR')
  return lines.map(fold).join('\r\n') + '\r\n'
}
