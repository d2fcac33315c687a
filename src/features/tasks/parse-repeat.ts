// Repeat phrases in task text ("every other monday", "on the 1st of every month", "jeden Montag", "3 times")
// read into the recurrence the task API takes: a preset (DAILY, WEEKLY, MONTHLY) or an RRULE body.
import { weekdayOf, type LocalDate } from '../../lib/time'

/** A repeat rule being built; `toRecurrence` writes it out. */
export interface Repeat {
  freq: 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY'
  interval?: number
  /** RRULE day codes, MO..SU. */
  byDay?: string[]
  byMonthDay?: number
  count?: number
  /** The last day the series may fall on, on the user's wall clock. */
  until?: LocalDate
}

export const DAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA']
const WEEKDAYS_CODES = ['MO', 'TU', 'WE', 'TH', 'FR']

// English and German weekday names (full or short), to their index (0 = Sunday).
const DAY_WORDS: Array<[RegExp, number]> = [
  [/^(sun(day)?|sonntags?)$/i, 0],
  [/^(mon(day)?|montags?)$/i, 1],
  [/^(tue(s(day)?)?|dienstags?)$/i, 2],
  [/^(wed(nesday)?|mittwochs?)$/i, 3],
  [/^(thu(r(s(day)?)?)?|donnerstags?)$/i, 4],
  [/^(fri(day)?|freitags?)$/i, 5],
  [/^(sat(urday)?|samstags?|sonnabends?)$/i, 6],
]
const DAY = '(?:sun(?:day)?|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sonntags?|montags?|dienstags?|mittwochs?|donnerstags?|freitags?|samstags?|sonnabends?)'
const DAY_LIST = `${DAY}(?:s)?(?:\\s*(?:,|and|und|&)\\s*${DAY}(?:s)?)*`
const ORDINAL = '(\\d{1,2})(?:st|nd|rd|th|\\.)?'
const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twice: 2, once: 1 }

const dayCodes = (list: string) =>
  list
    .split(/\s*(?:,|\band\b|\bund\b|&)\s*/i)
    .map((word) => DAY_WORDS.find(([re]) => re.test(word.replace(/s$/i, '')) || re.test(word))?.[1])
    .filter((i): i is number => i !== undefined)
    .filter((i, at, all) => all.indexOf(i) === at)
    .sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7))
    .map((i) => DAY_CODES[i]!)

const UNITS: Record<string, Repeat['freq']> = { hour: 'HOURLY', day: 'DAILY', week: 'WEEKLY', month: 'MONTHLY', year: 'YEARLY', stunde: 'HOURLY', tag: 'DAILY', woche: 'WEEKLY', monat: 'MONTHLY', jahr: 'YEARLY' }
// "weeks", "Wochen", "Tage": the plural ends in one letter more than the unit.
const unitFreq = (word: string) => UNITS[word.toLowerCase()] ?? UNITS[word.toLowerCase().slice(0, -1)]

/**
 * The repeat phrases, tried in order; each returns the rule its match means. Ordered so the longer
 * phrase wins ("every month on the 1st" before "every month").
 */
const PHRASES: Array<[RegExp, (m: RegExpExecArray) => Repeat]> = [
  // "on the 1st of every month", "the 15th of each month", "every month on the 1st", "monthly on the 15th", "every 15th"
  [new RegExp(`\\b(?:on\\s+)?the\\s+${ORDINAL}\\s+(?:of\\s+)?(?:every|each|the)\\s+month\\b`, 'i'), (m) => ({ freq: 'MONTHLY', byMonthDay: Number(m[1]) })],
  [new RegExp(`\\b(?:(?:every|each)\\s+month|monthly)\\s+on\\s+the\\s+${ORDINAL}(?![\\w/])`, 'i'), (m) => ({ freq: 'MONTHLY', byMonthDay: Number(m[1]) })],
  [/\b(?:every|each)\s+(\d{1,2})(?:st|nd|rd|th)\b/i, (m) => ({ freq: 'MONTHLY', byMonthDay: Number(m[1]) })],
  [new RegExp(`\\b(?:jeden|am)\\s+(\\d{1,2})\\.\\s+(?:jedes|eines|im)\\s+Monats?\\b`, 'i'), (m) => ({ freq: 'MONTHLY', byMonthDay: Number(m[1]) })],
  // Weekdays: "every weekday", "weekdays", "on weekdays", "werktags"
  [/\b(?:(?:every|each)\s+weekday|(?:on\s+)?weekdays|werktags|an\s+Werktagen|jeden\s+Werktag)\b/i, () => ({ freq: 'WEEKLY', byDay: WEEKDAYS_CODES })],
  [/\b(?:every|each)\s+weekend\b|\bon\s+weekends\b/i, () => ({ freq: 'WEEKLY', byDay: ['SA', 'SU'] })],
  // "every other monday", "every 2nd tuesday", "every monday and thursday", "jeden Montag", "mondays"
  [new RegExp(`\\b(?:every|each)\\s+(other|second|2nd|third|3rd|\\d{1,2})\\s+(${DAY_LIST})\\b`, 'i'), (m) => ({ freq: 'WEEKLY', interval: ordinalNumber(m[1]!), byDay: dayCodes(m[2]!) })],
  [new RegExp(`\\b(?:every|each|jeden|jeder|alle)\\s+(${DAY_LIST})\\b`, 'i'), (m) => ({ freq: 'WEEKLY', byDay: dayCodes(m[1]!) })],
  [new RegExp(`\\b(?:on\\s+)?((?:mon|tues|wednes|thurs|fri|satur|sun)days(?:\\s*(?:,|and|&)\\s*(?:mon|tues|wednes|thurs|fri|satur|sun)days)*)\\b`, 'i'), (m) => ({ freq: 'WEEKLY', byDay: dayCodes(m[1]!) })],
  [new RegExp(`\\b((?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)s(?:\\s*(?:,|und)\\s*(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)s)*)\\b`, 'i'), (m) => ({ freq: 'WEEKLY', byDay: dayCodes(m[1]!) })],
  // "every 2 weeks", "every other day", "every three months", "alle 2 Wochen"
  [/\b(?:every|each)\s+(other|\d{1,3}|two|three|four|five|six|seven|eight|nine|ten)\s+(hours?|days?|weeks?|months?|years?)\b/i, (m) => ({ freq: unitFreq(m[2]!)!, interval: ordinalNumber(m[1]!) })],
  [/\b(?:every|each)\s+other\s+(hour|day|week|month|year)\b/i, (m) => ({ freq: unitFreq(m[1]!)!, interval: 2 })],
  [/\balle\s+(\d{1,3}|zwei|drei|vier)\s+(Stunden|Tage|Wochen|Monate|Jahre)\b/i, (m) => ({ freq: unitFreq(m[2]!)!, interval: ordinalNumber(m[1]!) })],
  // "every day", "daily", "jeden Tag", "täglich", ...
  [/\b(?:every|each)\s+(hour|day|week|month|year)\b/i, (m) => ({ freq: unitFreq(m[1]!)! })],
  [/\b(?:jede[nrs]?)\s+(Stunde|Tag|Woche|Monat|Jahr)\b/i, (m) => ({ freq: unitFreq(m[1]!)! })],
  [/\b(hourly|daily|weekly|monthly|yearly|annually|stündlich|täglich|wöchentlich|monatlich|jährlich)(?![\p{L}])/iu, (m) => ({ freq: ADVERBS[m[1]!.toLowerCase()]! })],
]

const ADVERBS: Record<string, Repeat['freq']> = {
  hourly: 'HOURLY', daily: 'DAILY', weekly: 'WEEKLY', monthly: 'MONTHLY', yearly: 'YEARLY', annually: 'YEARLY',
  stündlich: 'HOURLY', täglich: 'DAILY', wöchentlich: 'WEEKLY', monatlich: 'MONTHLY', jährlich: 'YEARLY',
}

function ordinalNumber(word: string): number {
  const w = word.toLowerCase()
  if (w === 'other' || w === 'second' || w === '2nd' || w === 'zwei') return 2
  if (w === 'third' || w === '3rd' || w === 'drei') return 3
  if (w === 'vier') return 4
  return NUMBER_WORDS[w] ?? Number(w)
}

/** "3 times", "twice", "5 mal": how many times the series runs. */
export const COUNT_PHRASE = /\b(?:for\s+)?(\d{1,4}|two|three|four|five|six|seven|eight|nine|ten)\s*(?:times|x|-?mal)\b|\btwice\b/i
export const countOf = (m: RegExpExecArray) => (m[1] ? ordinalNumber(m[1]) : 2)

/** "until", "bis (zum)": what follows names the series' last day. */
export const UNTIL_WORD = /\b(?:until|till|through|bis(?:\s+(?:zum|zur))?)\s+/i

/** Finds the first repeat phrase in `text`: the rule and where it stands. */
export function findRepeat(text: string): { repeat: Repeat; index: number; length: number } | null {
  for (const [re, read] of PHRASES) {
    const m = re.exec(text)
    if (!m) continue
    const repeat = read(m)
    // A phrase that named nothing usable (a day list that read as no day, a month day past 31) is not a repeat.
    if (repeat.byDay?.length === 0 || (repeat.byMonthDay !== undefined && (repeat.byMonthDay < 1 || repeat.byMonthDay > 31)) || !repeat.freq || (repeat.interval !== undefined && !(repeat.interval >= 1 && repeat.interval <= 999))) continue
    return { repeat, index: m.index, length: m[0].length }
  }
  return null
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The rule as the task API takes it: a bare preset where one says it all, else an RRULE body. */
export function toRecurrence(r: Repeat): string {
  const plain = r.interval === undefined || r.interval === 1
  if (plain && !r.byDay && r.byMonthDay === undefined && r.count === undefined && !r.until && (r.freq === 'DAILY' || r.freq === 'WEEKLY' || r.freq === 'MONTHLY')) return r.freq
  const parts = [`FREQ=${r.freq}`]
  if (!plain) parts.push(`INTERVAL=${r.interval}`)
  if (r.byDay) parts.push(`BYDAY=${r.byDay.join(',')}`)
  if (r.byMonthDay !== undefined) parts.push(`BYMONTHDAY=${r.byMonthDay}`)
  if (r.count !== undefined) parts.push(`COUNT=${r.count}`)
  // Series dates are walked on the user's wall clock, so UNTIL is the end of that wall day.
  if (r.until) parts.push(`UNTIL=${pad(r.until.year, 4)}${pad(r.until.month)}${pad(r.until.day)}T235959Z`)
  return parts.join(';')
}

/** Whether a day may hold one of the rule's dates (its weekday and month-day parts; the rest starts anywhere). */
export function allows(r: Repeat, day: LocalDate): boolean {
  if (r.byDay && !r.byDay.includes(DAY_CODES[weekdayOf(day)]!)) return false
  if (r.byMonthDay !== undefined && day.day !== r.byMonthDay) return false
  return true
}
