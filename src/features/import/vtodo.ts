// iCalendar (RFC 5545) to-dos read into tasks: lines unfolded, properties and parameters split, TEXT unescaped,
// and each VTODO's SUMMARY, DESCRIPTION, DUE, PRIORITY, STATUS, CATEGORIES, RRULE and COMPLETED read.
import { invalid } from '../../lib/errors'
import { sha256 } from '../../lib/secrets'
import { isTimeZone, zonedTimeToUtc } from '../../lib/time'
import { asTag, checkRows, ordinals, type ImportRow, type ReadFile } from './model'

/** One content line (§3.1): its name, parameters and raw value, and the line of the file it starts on. */
export interface ContentLine {
  line: number
  name: string
  params: Record<string, string>
  value: string
}

/** Unfolds the text (a CRLF or LF followed by a space or tab continues the line, §3.1) into its content lines. */
export function contentLines(text: string): ContentLine[] {
  const out: ContentLine[] = []
  let current: { line: number; text: string } | undefined
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/)
  const flush = () => {
    const parsed = current && current.text !== '' ? parseLine(current.text, current.line) : undefined
    if (parsed) out.push(parsed)
  }
  physical.forEach((raw, i) => {
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && current) current.text += raw.slice(1)
    else {
      flush()
      current = { line: i + 1, text: raw }
    }
  })
  flush()
  return out
}

/** name *(";" param) ":" value; a parameter value may be quoted (and then hold ";", ":" and ","). */
function parseLine(text: string, line: number): ContentLine | undefined {
  const nameEnd = text.search(/[;:]/)
  if (nameEnd <= 0) return undefined
  const params: Record<string, string> = {}
  let i = nameEnd
  while (text[i] === ';') {
    const eq = text.indexOf('=', i)
    if (eq < 0) return undefined
    const key = text.slice(i + 1, eq).toUpperCase()
    let j = eq + 1
    let value = ''
    if (text[j] === '"') {
      const close = text.indexOf('"', j + 1)
      if (close < 0) return undefined
      value = text.slice(j + 1, close)
      j = close + 1
    } else {
      while (j < text.length && text[j] !== ';' && text[j] !== ':') j++
      value = text.slice(eq + 1, j)
    }
    params[key] = value
    i = j
  }
  if (text[i] !== ':') return undefined
  return { line, name: text.slice(0, nameEnd).toUpperCase(), params, value: text.slice(i + 1) }
}

/** A TEXT value unescaped (§3.3.11): \n, \, \; and \\. */
export const unescapeText = (value: string) => value.replace(/\\([nN,;\\])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c))

/** A TEXT list split at its unescaped commas, each unescaped. */
const textList = (value: string) => value.split(/(?<!\\),/).map(unescapeText).map((v) => v.trim()).filter(Boolean)

const STAMP = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/

/** A DATE or DATE-TIME's parts, when the calendar has it (no month 13, no hour 99, no year before 1970); else undefined. */
function stampOf(value: string) {
  const m = STAMP.exec(value.trim())
  if (!m) return undefined
  const [, y, mo, d, h, mi, s, utc] = m
  const wall = { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h ?? 0), minute: Number(mi ?? 0), second: Number(s ?? 0) }
  const probe = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second))
  const real =
    wall.year >= 1970 &&
    probe.getUTCFullYear() === wall.year &&
    probe.getUTCMonth() === wall.month - 1 &&
    probe.getUTCDate() === wall.day &&
    probe.getUTCHours() === wall.hour &&
    probe.getUTCMinutes() === wall.minute &&
    probe.getUTCSeconds() === wall.second
  return real ? { day: `${y}-${mo}-${d}`, time: h === undefined ? undefined : `${h}:${mi}:${s}`, utc: utc !== undefined, wall, instant: probe } : undefined
}

/** A DATE or DATE-TIME as the task API takes it: a day, an exact instant, or a floating wall-clock time (read in the user's zone). */
function dueOf(prop: ContentLine, notes: string[]): string | undefined {
  const stamp = stampOf(prop.value)
  if (!stamp) {
    notes.push(`DUE "${prop.value.slice(0, 40)}" is not a date; imported without a due date`)
    return undefined
  }
  if (stamp.time === undefined || prop.params.VALUE === 'DATE') return stamp.day
  const wall = `${stamp.day}T${stamp.time}`
  if (stamp.utc) return `${wall}Z`
  const zone = prop.params.TZID?.replace(/^\//, '')
  if (!zone) return wall
  if (!isTimeZone(zone)) {
    notes.push(`the time zone "${zone.slice(0, 40)}" is not known here; the due time is read in your time zone`)
    return wall
  }
  return zonedTimeToUtc(stamp.wall, zone).toISOString()
}

/** When a done to-do was done: its COMPLETED (a UTC DATE-TIME, §3.8.2.1), else now, with a note when COMPLETED is not a date. */
function completedOf(prop: ContentLine | undefined, notes: string[], now: Date): Date {
  if (!prop) return now
  const stamp = stampOf(prop.value)
  if (stamp?.time !== undefined) return stamp.instant
  if (!stamp) notes.push(`COMPLETED "${prop.value.slice(0, 40)}" is not a date; imported as completed now`)
  return now
}

/** RFC 5545 PRIORITY: 1–4 high, 5 medium, 6–9 low, 0 (none) the default. */
function priorityOf(value: string): 'high' | 'medium' | 'low' | undefined {
  const n = Number(value.trim())
  if (!Number.isInteger(n) || n < 1 || n > 9) return undefined
  return n <= 4 ? 'high' : n === 5 ? 'medium' : 'low'
}

function todoRow(start: number, props: ContentLine[], now: Date, nth: (key: string) => string): ImportRow | { line: number; reason: string } {
  const one = (name: string) => props.find((p) => p.name === name)
  const notes: string[] = []
  const status = one('STATUS')?.value.trim().toUpperCase()
  if (status === 'CANCELLED') return { line: start, reason: 'cancelled (STATUS:CANCELLED)' }
  const summary = unescapeText(one('SUMMARY')?.value ?? '').trim()
  const due = one('DUE')
  const dueDate = due ? dueOf(due, notes) : undefined
  const tags = props.filter((p) => p.name === 'CATEGORIES').flatMap((p) => textList(p.value)).map(asTag).filter((t): t is string => t !== undefined)
  const priority = one('PRIORITY') ? priorityOf(one('PRIORITY')!.value) : undefined
  const completed = one('COMPLETED')
  const completedAt = status === 'COMPLETED' || completed ? completedOf(completed, notes, now) : null
  const rrule = one('RRULE')?.value.trim()
  const uid = one('UID')?.value.trim()
  return {
    line: start,
    // A UID names one to-do (the same UID again is that to-do again); without one, to-dos alike are numbered.
    key: uid ? sha256(`uid:${uid}`) : nth(sha256(`${summary}\n${due?.value ?? ''}`)),
    fields: {
      title: summary,
      ...(one('DESCRIPTION') ? { description: unescapeText(one('DESCRIPTION')!.value) } : {}),
      ...(priority ? { priority } : {}),
      ...(dueDate ? { due_date: dueDate } : {}),
      ...(rrule ? { recurrence: rrule } : {}),
      ...(tags.length ? { tags } : {}),
    },
    completedAt,
    notes,
  }
}

/**
 * Reads an iCalendar file's VTODOs (an alarm inside one is passed over). Events, journal entries and other
 * components are reported as skipped; a to-do's key is its UID (else a hash of its SUMMARY and DUE, numbered
 * among to-dos alike).
 */
export function readIcs(text: string, now: Date): ReadFile {
  const lines = contentLines(text)
  if (!lines.some((l) => l.name === 'BEGIN' && l.value.trim().toUpperCase() === 'VCALENDAR')) {
    throw invalid('file', 'file is not an iCalendar file: it has no BEGIN:VCALENDAR line')
  }
  const out: ReadFile = { rows: [], skipped: [] }
  let todo: { line: number; props: ContentLine[] } | undefined
  let depth = 0 // components open inside the current top-level one
  let components = 0
  const nth = ordinals()
  for (const l of lines) {
    const value = l.value.trim().toUpperCase()
    if (l.name === 'BEGIN' && value !== 'VCALENDAR') {
      if (depth++ > 0) continue
      checkRows(++components)
      if (value === 'VTODO') todo = { line: l.line, props: [] }
      else if (value !== 'VTIMEZONE') out.skipped.push({ line: l.line, reason: `a ${value.slice(0, 20)}${value === 'VEVENT' ? ' (an event)' : ''}, not a to-do (VTODO)` })
    } else if (l.name === 'END' && value !== 'VCALENDAR') {
      if (--depth > 0) continue
      depth = 0
      if (value === 'VTODO' && todo) {
        const row = todoRow(todo.line, todo.props, now, nth)
        if ('reason' in row) out.skipped.push(row)
        else out.rows.push(row)
      }
      todo = undefined
    } else if (todo && depth === 1) todo.props.push(l)
  }
  return out
}
