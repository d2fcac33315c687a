// Plain-language task text: "call mum tomorrow 5pm !high #family every week" → title, due date or day, priority,
// tags, repeat. The offline agent and the web UI's quick add both read text with it.
//
// Dates and times are found by chrono-node (English, then German, Spanish and French); around it sit our
// rules: which of several date expressions is meant, what a bare hour means, a time that has passed today,
// repeat phrases as RRULEs, priorities, tags and the words a title is cleaned of. docs/architecture.md
// "Reading task text" lists them.
import type { ParsedResult } from 'chrono-node'
import * as de from 'chrono-node/de'
import * as en from 'chrono-node/en'
import * as es from 'chrono-node/es'
import * as fr from 'chrono-node/fr'
import { addDays, isoDay, wallClock, weekdayOf, zonedTimeToUtc, zoneOffsetMs, type LocalDate } from '../../lib/time'
import { allows, COUNT_PHRASE, countOf, findRepeat, toRecurrence, UNTIL_WORD, type Repeat } from './parse-repeat'

export interface ParsedTask {
  title: string
  priority?: 'high' | 'medium' | 'low'
  /** ISO 8601 in UTC, when the text named a time. */
  due_date?: string
  /** YYYY-MM-DD on the user's calendar, when the text named a day and no time (an all-day task). */
  due_day?: string
  recurrence?: string
  tags: string[]
}

interface Clock {
  hour: number
  minute: number
}

/** One date or time expression found in the text, and where it stands. */
interface When {
  index: number
  end: number
  day?: LocalDate
  time?: Clock
  /** "in 2 hours": an exact instant. */
  exact?: Date
}

/**
 * Numeric dates: "12/05" is the 5th of December in America/* (and US/*) zones, where month/day is the
 * custom, and the 12th of May everywhere else (chrono's en-GB reading).
 */
const monthFirst = (timeZone: string) => /^(America|US)\//.test(timeZone)

/** The parsers tried, English first: the one that finds the most date text wins, ties to the earlier. */
const parsers = (timeZone: string) => [monthFirst(timeZone) ? en.casual : en.GB, de.casual, es.casual, fr.casual]

/** Hours a part of the day stands for when no time is given ("tomorrow morning"). */
const PART_OF_DAY: Array<[string, number]> = [
  ['casualReference/morning', 9],
  ['casualReference/afternoon', 15],
  ['casualReference/evening', 19],
  ['casualReference/tonight', 20],
  ['casualReference/noon', 12],
  ['casualReference/midnight', 0],
]

const MONTH_NAME = /^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?$/i
const SHORT_WEEKDAY = /^(?:sun|mon|tue|wed|thu|fri|sat)\.?$/i

/**
 * chrono reads some ordinary words as dates; these are left in the title: a month name alone ("March for
 * peace", "may"), a short weekday alone ("sun cream"), a span with no "in" before it ("a day at the zoo"),
 * and a part of the day alone ("Tokyo evening"; "this evening" and "tomorrow morning" are dates).
 */
function plausible(r: ParsedResult): boolean {
  const text = r.text.trim()
  const certain = (['year', 'month', 'day', 'weekday', 'hour'] as const).filter((c) => r.start.isCertain(c))
  if (certain.length === 1 && certain[0] === 'month' && MONTH_NAME.test(text)) return false
  if (certain.length === 1 && certain[0] === 'weekday' && SHORT_WEEKDAY.test(text)) return false
  if (r.tags().has('result/relativeDate') && /^(?:an?|one|\d+)\s/i.test(text)) return false
  if (certain.length === 0 && /^(?:morning|afternoon|evening|night)$/i.test(text)) return false
  return true
}

/** A bare hour without am/pm: 1–7 is the afternoon ("call at 3"), 8–11 the morning, 12 noon. "07:30", "14 Uhr" and "5pm" are read as written. */
function clockOf(r: ParsedResult): Clock | undefined {
  const s = r.start
  if (s.isCertain('hour')) {
    let hour = s.get('hour')!
    const twentyFourHour = /\b0\d|\buhr\b|\d\s*h\b/i.test(r.text)
    if (!s.isCertain('meridiem') && !twentyFourHour && hour >= 1 && hour <= 7) hour += 12
    return { hour, minute: s.get('minute') ?? 0 }
  }
  const tags = r.tags()
  const part = PART_OF_DAY.find(([tag]) => tags.has(tag))
  return part ? { hour: part[1], minute: 0 } : undefined
}

function toWhen(r: ParsedResult): When {
  const at = { index: r.index, end: r.index + r.text.length }
  if (r.tags().has('result/relativeDateAndTime')) return { ...at, exact: r.start.date() }
  const s = r.start
  const named = (['year', 'month', 'day', 'weekday'] as const).some((c) => s.isCertain(c))
  return {
    ...at,
    ...(named ? { day: { year: s.get('year')!, month: s.get('month')!, day: s.get('day')! } } : {}),
    ...(clockOf(r) ? { time: clockOf(r) } : {}),
  }
}

/** The next `nth` of a month, today included (a month without that day is skipped). */
function nextMonthDay(today: LocalDate, nth: number): LocalDate {
  for (let i = 0; i < 400; i++) {
    const d = addDays(today, i)
    if (d.day === nth) return d
  }
  return today
}

/** Date phrases chrono does not read, or that we read differently. */
const OWN_DATES: Array<[RegExp, (m: RegExpExecArray, today: LocalDate) => LocalDate]> = [
  // "next week" is its Monday, not a week from today.
  [/(?:^|\s)(?:next\s+week|nächste\s+woche)(?=[\s,.;!]|$)/i, (_, today) => addDays(today, ((8 - weekdayOf(today)) % 7) || 7)],
  // "on the 15th": the next 15th.
  [/(?:^|\s)(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)(?!\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))(?=[\s,.;!]|$)/i, (m, today) => nextMonthDay(today, Number(m[1]))],
  // "dec 21": the 21st of December (the next one), not December 2021 as chrono's day-first reading has it. With a
  // year after it ("dec 21 2027"), chrono reads it.
  [/(?:^|\s)(?:on\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?![\d:.])(?!,?\s+\d{4})(?=[\s,.;!]|$)/i, (m, today) => nextDate(today, MONTHS.indexOf(m[1]!.toLowerCase().slice(0, 3)) + 1, Number(m[2]))],
]

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/** The next `day` of `month`, today included: this year's, or next year's once it has passed. */
function nextDate(today: LocalDate, month: number, day: number): LocalDate {
  const ahead = month > today.month || (month === today.month && day >= today.day)
  return { year: today.year + (ahead ? 0 : 1), month, day }
}

/** Removes `re`'s first match from the text, returning what it matched. */
function take(state: { text: string }, re: RegExp): RegExpExecArray | null {
  const match = re.exec(state.text)
  if (match) state.text = `${state.text.slice(0, match.index)} ${state.text.slice(match.index + match[0].length)}`
  return match
}

const PRIORITY_WORD: Record<string, 'high' | 'medium' | 'low'> = {
  high: 'high', h: 'high', 1: 'high', top: 'high', hoch: 'high', hohe: 'high',
  medium: 'medium', med: 'medium', m: 'medium', 2: 'medium', normal: 'medium', normale: 'medium', mittlere: 'medium', mittel: 'medium',
  low: 'low', l: 'low', 3: 'low', niedrig: 'low', niedrige: 'low',
}
const END = '(?=[\\s,;.!]|$)'
const START = '(?:^|[\\s,;])'
/** "!high", "p1", "high priority", "priority: low", "hohe Priorität". */
const PRIORITY_PHRASES = [
  new RegExp(`${START}!(high|medium|med|low|h|m|l|1|2|3|hoch|mittel|niedrig)${END}`, 'i'),
  new RegExp(`${START}p([1-3])${END}`, 'i'),
  new RegExp(`${START}(high|top|medium|normal|low|hohe|normale|mittlere|niedrige)[\\s-]+(?:prio(?:rity|rität)?)${END}`, 'iu'),
  new RegExp(`${START}prio(?:rity|rität)?[:\\s]+(high|medium|normal|low|hoch|mittel|normal|niedrig)${END}`, 'iu'),
]
/** "urgent", "asap", "dringend" mean high priority where they start or end the text; inside a title ("reply to urgent email") they stay. */
const URGENT = '(?:urgent|urgently|asap|important|dringend|wichtig)'

/** Words that ask for a task rather than name it: "remind me to", "add", "Erinnere mich … an den", "añadir". */
const LEAD_INS = [
  /^(?:please\s+)?(?:remind\s+me\s+(?:to|about|of)|remind\s+me|(?:add|create)(?:\s+an?)?(?:\s+new)?\s+(?:task|todo|to-do)\s*:?|new\s+(?:task|todo)\s*:?|todo\s*:|add|create)\s+/i,
  /^erinnere\s+mich(?:\s+bitte)?(?:\s+daran)?\s*,?\s*(?:(?:an|dass|zu)\s+)?(?:(?:den|die|das|dem|der)\s+)?/i,
  /^(?:neue\s+aufgabe\s*:?|aufgabe\s*:)\s*/i,
  /^(?:añadir|añade|agregar|agrega|recuérdame(?:\s+que)?|recordar)\s+/i,
  /^(?:ajouter|ajoute|rappelle-moi\s+de)\s+/i,
]
/** Words left dangling where a date was cut out: "call mark at", "dentist on". */
const DANGLING = new Set(['on', 'at', 'by', 'due', 'from', 'starting', 'am', 'um', 'ab', 'el', 'le', 'à'])
const SEPARATOR = /[\s,;:–-]/

/** The title without trailing separators and dangling words (walked from the end: no regex backtracks over a long line). */
function trimEnd(title: string): string {
  let end = title.length
  for (;;) {
    while (end > 0 && SEPARATOR.test(title[end - 1]!)) end--
    const start = title.lastIndexOf(' ', end - 1) + 1
    if (start === 0 || !DANGLING.has(title.slice(start, end).toLowerCase())) return title.slice(0, end)
    end = start
  }
}

function cleanTitle(text: string): string {
  let title = text
    .replace(/\s+/g, ' ')
    .replace(/\s+([,;:])/g, '$1')
    .replace(/([,;:])(?:\s*[,;:])+/g, '$1')
    .trim()
  // One lead-in at most: "remind me to add milk" keeps "add milk".
  const lead = LEAD_INS.find((re) => re.test(title))
  if (lead) title = title.replace(lead, '')
  return trimEnd(title).replace(/^[\s,;:–-]+/, '').trim()
}

/** The date expression meant: the one that ends the text, else the most specific; a lone day and a lone time elsewhere join. */
function choose(whens: When[], textEnd: number): When[] {
  if (whens.length === 0) return []
  const weight = (w: When) => (w.exact ? 3 : 0) + (w.day ? 1 : 0) + (w.time ? 1 : 0)
  const chosen = whens.find((w) => w.end >= textEnd) ?? whens.reduce((best, w) => (weight(w) > weight(best) ? w : best))
  if (chosen.exact || (chosen.day && chosen.time)) return [chosen]
  const partner = whens.find((w) => w !== chosen && !w.exact && (chosen.day ? w.time && !w.day : w.day && !w.time))
  return partner ? [chosen, partner] : [chosen]
}

/**
 * Reads `text` in the user's zone at `now`: priority (`!high`, `p1`, "high priority", "urgent"), `#tags`,
 * a repeat ("every other monday", "on the 1st of every month", "3 times", "until June"), and a date with or
 * without a time ("tomorrow at 5pm", "friday", "12/05 at 2pm", "in 2 hours", "morgen um 10 Uhr").
 * A day without a time is `due_day`; with a time it is `due_date`, an instant computed on the user's
 * wall clock (DST included).
 */
export function parseTaskText(text: string, timeZone: string, now: Date): ParsedTask {
  const state = { text: ` ${text.trim()} ` }
  const out: ParsedTask = { title: '', tags: [] }

  for (const re of PRIORITY_PHRASES) {
    const m = take(state, re)
    if (m && !out.priority) out.priority = PRIORITY_WORD[m[1]!.toLowerCase()] ?? 'medium'
  }
  const TAG = /(?:^|\s)#([\p{L}\p{N}][\p{L}\p{N}_\-./:+]*)/u
  for (let tag = take(state, TAG); tag; tag = take(state, TAG)) {
    const t = tag[1]!.replace(/[.,:;]+$/, '').toLowerCase()
    if (!out.tags.includes(t)) out.tags.push(t)
  }

  const wall = wallClock(now, timeZone)
  const today: LocalDate = { year: wall.year, month: wall.month, day: wall.day }
  const ref = { instant: now, timezone: Math.round(zoneOffsetMs(now.getTime(), timeZone) / 60_000) }
  const readers = parsers(timeZone)

  // Repeats first, so "every monday" is not read as one Monday.
  let repeat: Repeat | undefined
  const found = findRepeat(state.text)
  if (found) {
    repeat = found.repeat
    state.text = `${state.text.slice(0, found.index)} ${state.text.slice(found.index + found.length)}`
    const until = UNTIL_WORD.exec(state.text)
    if (until) {
      const rest = state.text.slice(until.index + until[0].length)
      for (const reader of readers) {
        const r = reader.parse(rest, ref, { forwardDate: true }).find((r) => rest.slice(0, r.index).trim() === '')
        if (!r) continue
        repeat.until = { year: r.start.get('year')!, month: r.start.get('month')!, day: r.start.get('day')! }
        state.text = `${state.text.slice(0, until.index)} ${rest.slice(r.index + r.text.length)}`
        break
      }
    }
    const count = repeat.until ? null : take(state, COUNT_PHRASE)
    if (count) repeat.count = countOf(count)
  }

  // Our own date phrases, then chrono's, on what is left.
  const whens: When[] = []
  for (const [re, read] of OWN_DATES) {
    const m = re.exec(state.text)
    if (m) whens.push({ index: m.index, end: m.index + m[0].length, day: read(m, today) })
  }
  const free = (w: { index: number; end: number }) => whens.every((o) => w.end <= o.index || w.index >= o.end)
  let best: When[] = []
  let bestLength = 0
  // chrono reads the rest with our phrases blanked out, so a time after one of them ("dec 21 at 11am") is read alone.
  const unread = whens.reduce((t, w) => `${t.slice(0, w.index)}${' '.repeat(w.end - w.index)}${t.slice(w.end)}`, state.text)
  for (const reader of readers) {
    const results = reader.parse(unread, ref, { forwardDate: true }).filter(plausible).map(toWhen).filter(free)
    const length = results.reduce((sum, w) => sum + w.end - w.index, 0)
    if (length > bestLength) [best, bestLength] = [results, length]
  }
  whens.push(...best)
  whens.sort((a, b) => a.index - b.index)

  const textEnd = state.text.replace(/[\s,;.!]+$/, '').length
  const chosen = choose(whens, textEnd)
  for (const w of [...chosen].sort((a, b) => b.index - a.index)) state.text = `${state.text.slice(0, w.index)} ${state.text.slice(w.end)}`

  const exact = chosen.find((w) => w.exact)?.exact
  let day = chosen.find((w) => w.day)?.day
  const time = chosen.find((w) => w.time)?.time
  // No day named: today, unless its time has passed; a repeat starts on the first day it allows. A repeat
  // that names neither a time nor a day ("every 2 weeks") is left to the task service, which starts it.
  if (!exact && !day && (time || repeat?.byDay || repeat?.byMonthDay !== undefined)) {
    const passed = time && time.hour * 60 + time.minute <= wall.hour * 60 + wall.minute
    day = addDays(today, passed ? 1 : 0)
    if (repeat) for (let i = 0; i < 400 && !allows(repeat, day); i++) day = addDays(day, 1)
  }

  if (exact) out.due_date = exact.toISOString()
  else if (day && time) out.due_date = zonedTimeToUtc({ ...day, ...time }, timeZone).toISOString()
  else if (day) out.due_day = isoDay(day)
  if (repeat) out.recurrence = toRecurrence(repeat)

  let title = cleanTitle(state.text)
  const urgentStart = new RegExp(`^${URGENT}\\s*[:!,–-]*\\s+`, 'i')
  const urgentEnd = new RegExp(`[\\s,;:–-]${URGENT}!*$`, 'i')
  // The end is looked for in the last few characters only: no regex backtracks over a long line.
  const rest = title.replace(urgentStart, '')
  const tail = rest.slice(-20)
  if (rest !== title || urgentEnd.test(tail)) {
    title = cleanTitle(rest.slice(0, rest.length - tail.length) + tail.replace(urgentEnd, ''))
    out.priority ??= 'high'
  }
  out.title = title
  return out
}
