// Plain-language task text: "call mum tomorrow 5pm !high #family every week" → title, due date, priority, tags, repeat.
// The offline agent and the web UI's quick add both read text with it.
import { wallClock, zonedTimeToUtc } from '../lib/time'

export interface ParsedTask {
  title: string
  priority?: 'high' | 'medium' | 'low'
  /** ISO 8601 in UTC. */
  due_date?: string
  recurrence?: string
  tags: string[]
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']
const DAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA']
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const WEEKDAY = '(?:sun|mon|tue|tues|wed|thu|thur|thurs|fri|sat)(?:day|nesday|rsday|urday)?'

const weekdayIndex = (word: string) => WEEKDAYS.findIndex((d) => d.startsWith(word.slice(0, 3).toLowerCase()))

/** Removes `re`'s first match from the text, returning what it matched. */
function take(state: { text: string }, re: RegExp): RegExpExecArray | null {
  const match = re.exec(state.text)
  if (match) state.text = (state.text.slice(0, match.index) + ' ' + state.text.slice(match.index + match[0].length)).replace(/\s+/g, ' ').trim()
  return match
}

function parseClock(hourText: string, minuteText: string | undefined, meridiem: string | undefined): { hour: number; minute: number } | null {
  let hour = Number(hourText)
  const minute = minuteText ? Number(minuteText) : 0
  if (meridiem) {
    const pm = meridiem.toLowerCase().startsWith('p')
    if (hour < 1 || hour > 12) return null
    hour = (hour % 12) + (pm ? 12 : 0)
  }
  if (hour > 23 || minute > 59) return null
  return { hour, minute }
}

/**
 * Reads `text` in the user's zone at `now`. Understands priorities (`!high`, `!h`, `!1`), `#tags`,
 * days (today, tonight, tomorrow, monday, next monday, in 3 days, in 2 hours, 2026-12-01, dec 1),
 * times (5pm, 5:30 pm, 17:00, at 9), and repeats (every day, daily, every weekday, every monday,
 * every week, weekly, every month, monthly).
 */
export function parseTaskText(text: string, timeZone: string, now: Date): ParsedTask {
  const state = { text: ` ${text.trim()} ` }
  const out: ParsedTask = { title: '', tags: [] }

  const priority = take(state, /(?:^|\s)!(high|medium|med|low|h|m|l|1|2|3)(?=\s|$)/i)
  if (priority) {
    const p = priority[1]!.toLowerCase()
    out.priority = p.startsWith('h') || p === '1' ? 'high' : p.startsWith('l') || p === '3' ? 'low' : 'medium'
  }
  for (let tag = take(state, /(?:^|\s)#([\p{L}\p{N}][\p{L}\p{N}_\-./:+]*)/u); tag; tag = take(state, /(?:^|\s)#([\p{L}\p{N}][\p{L}\p{N}_\-./:+]*)/u)) {
    const t = tag[1]!.toLowerCase()
    if (!out.tags.includes(t)) out.tags.push(t)
  }

  // Repeats first, so "every monday" is not read as a date.
  const every = take(state, new RegExp(`(?:^|\\s)(?:every\\s+(day|weekday|week|month|${WEEKDAY})|(daily|weekly|monthly))(?=\\s|$)`, 'i'))
  let repeatWeekday: number | undefined
  if (every) {
    const word = (every[1] ?? every[2])!.toLowerCase()
    if (word === 'day' || word === 'daily') out.recurrence = 'DAILY'
    else if (word === 'weekday') out.recurrence = 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'
    else if (word === 'week' || word === 'weekly') out.recurrence = 'WEEKLY'
    else if (word === 'month' || word === 'monthly') out.recurrence = 'MONTHLY'
    else {
      repeatWeekday = weekdayIndex(word)
      out.recurrence = `FREQ=WEEKLY;BYDAY=${DAY_CODES[repeatWeekday]}`
    }
  }

  const wall = wallClock(now, timeZone)
  let date: { year: number; month: number; day: number } | undefined
  let time: { hour: number; minute: number } | undefined
  let exact: Date | undefined

  const relative = take(state, /(?:^|\s)in\s+(\d{1,3}|an?|one)\s+(minutes?|mins?|hours?|hrs?|days?|weeks?)(?=\s|$)/i)
  if (relative) {
    const n = /^\d/.test(relative[1]!) ? Number(relative[1]) : 1
    const unit = relative[2]!.toLowerCase()
    if (unit.startsWith('m')) exact = new Date(now.getTime() + n * 60_000)
    else if (unit.startsWith('h')) exact = new Date(now.getTime() + n * 3_600_000)
    else {
      const days = unit.startsWith('w') ? 7 * n : n
      date = { year: wall.year, month: wall.month, day: wall.day + days }
    }
  }
  const iso = take(state, /(?:^|\s)(?:on\s+)?(\d{4})-(\d{2})-(\d{2})(?=\s|$)/)
  if (iso) date = { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) }
  const named = !date && !exact ? take(state, new RegExp(`(?:^|\\s)(?:on\\s+)?(today|tonight|tomorrow|tmrw|(next\\s+)?${WEEKDAY})(?=\\s|$)`, 'i')) : null
  if (named) {
    const word = named[1]!.toLowerCase()
    if (word === 'today') date = { ...wall }
    else if (word === 'tonight') {
      date = { ...wall }
      time = { hour: 20, minute: 0 }
    } else if (word === 'tomorrow' || word === 'tmrw') date = { year: wall.year, month: wall.month, day: wall.day + 1 }
    else {
      const target = weekdayIndex(word.replace(/^next\s+/, ''))
      let ahead = (target - wall.weekday + 7) % 7
      if (ahead === 0) ahead = 7
      date = { year: wall.year, month: wall.month, day: wall.day + ahead }
    }
  }
  const monthDay = !date && !exact ? take(state, new RegExp(`(?:^|\\s)(?:on\\s+)?(${MONTHS.join('|')})[a-z]*\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?=\\s|$)`, 'i')) : null
  if (monthDay) {
    const month = MONTHS.indexOf(monthDay[1]!.toLowerCase().slice(0, 3)) + 1
    const day = Number(monthDay[2])
    const year = month < wall.month || (month === wall.month && day < wall.day) ? wall.year + 1 : wall.year
    date = { year, month, day }
  }
  const clock =
    take(state, /(?:^|\s)(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)(?=\s|$)/i) ??
    take(state, /(?:^|\s)(?:at\s+)?([01]?\d|2[0-3]):([0-5]\d)(?=\s|$)/) ??
    take(state, /(?:^|\s)at\s+(\d{1,2})(?=\s|$)/i)
  if (clock) {
    const parsed = parseClock(clock[1]!, clock[2], clock[3])
    if (parsed) time = parsed
  }

  if (exact) out.due_date = exact.toISOString()
  else if (date || time || repeatWeekday !== undefined) {
    let day = date ?? { year: wall.year, month: wall.month, day: wall.day }
    if (!date && repeatWeekday !== undefined) {
      let ahead = (repeatWeekday - wall.weekday + 7) % 7
      if (ahead === 0 && (time ? time.hour * 60 + time.minute <= wall.hour * 60 + wall.minute : true)) ahead = 7
      day = { year: wall.year, month: wall.month, day: wall.day + ahead }
    }
    const at = time ?? { hour: 9, minute: 0 }
    // A time alone that has passed today means tomorrow.
    if (!date && repeatWeekday === undefined && time && at.hour * 60 + at.minute <= wall.hour * 60 + wall.minute) day = { ...day, day: day.day + 1 }
    out.due_date = zonedTimeToUtc({ ...day, hour: at.hour, minute: at.minute }, timeZone).toISOString()
  }

  out.title = state.text.replace(/\s+(on|at|by|due)$/i, '').trim()
  return out
}
