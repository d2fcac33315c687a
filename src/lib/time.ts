// Time-zone aware parsing: user input is read in the user's IANA zone and stored in UTC.

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** True when `name` is an IANA time zone this runtime knows (e.g. Europe/Berlin, UTC). */
/** The real time: the clock of a running app (tests hand the app a clock of their own). */
export const systemClock = (): Date => new Date()

export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(name)) return false
  try {
    formatter(name)
    return true
  } catch {
    return false
  }
}

const DAY_MS = 86_400_000
/** Per zone and UTC day: the offset that holds all day, or null on a day with a transition. */
const dayOffsets = new Map<string, number | null>()

/**
 * The zone's offset from UTC, in milliseconds, at instant `ts`. Offsets change at most a couple of
 * times a year, so each UTC day's offset is looked up once (when it is the same at both ends of the
 * day); only on a transition day is every instant asked of Intl, which is slow.
 */
export function zoneOffsetMs(ts: number, timeZone: string): number {
  const day = Math.floor(ts / DAY_MS)
  const key = `${timeZone}|${day}`
  let offset = dayOffsets.get(key)
  if (offset === undefined) {
    const first = exactOffsetMs(day * DAY_MS, timeZone)
    offset = first === exactOffsetMs(day * DAY_MS + DAY_MS - 1000, timeZone) ? first : null
    if (dayOffsets.size >= 100_000) dayOffsets.clear()
    dayOffsets.set(key, offset)
  }
  return offset ?? exactOffsetMs(ts, timeZone)
}

function exactOffsetMs(ts: number, timeZone: string): number {
  const parts: Record<string, number> = {}
  for (const p of formatter(timeZone).formatToParts(new Date(ts))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!)
  return asUtc - Math.floor(ts / 1000) * 1000
}

/**
 * The UTC instant of a wall-clock time in `timeZone`. A time that a DST jump skips moves forward
 * by the jump; an ambiguous one takes the earlier instant.
 */
export function zonedTimeToUtc(
  wall: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number; ms?: number },
  timeZone: string,
): Date {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour ?? 0, wall.minute ?? 0, wall.second ?? 0, wall.ms ?? 0)
  const first = naive - zoneOffsetMs(naive, timeZone)
  const second = naive - zoneOffsetMs(first, timeZone)
  if (first === second) return new Date(first)
  // Near a transition: prefer the earlier reading that maps back to the same wall time.
  const candidates = [first, second].sort((a, b) => a - b)
  for (const c of candidates) if (c + zoneOffsetMs(c, timeZone) === naive) return new Date(c)
  return new Date(Math.max(first, second))
}

/** The last instant a timestamp is written as (year 9999): one past it prints as +010000, which PostgreSQL refuses. */
export const LAST_INSTANT = new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999))

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i

export interface ParsedDateTime {
  date: Date
  /** The input had only a date (no time). */
  dateOnly: boolean
}

/**
 * Parses an ISO 8601 date or date-time. With an offset (Z, +01:00) it is exact; without one it is
 * a wall-clock time in `timeZone`. Returns null for anything else, including impossible dates.
 */
export function parseDateTime(input: string, timeZone: string): ParsedDateTime | null {
  const m = DATE_TIME.exec(input.trim())
  if (!m) return null
  const [, y, mo, d, h, mi, s, frac, offset] = m
  const wall = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: h === undefined ? 0 : Number(h),
    minute: mi === undefined ? 0 : Number(mi),
    second: s === undefined ? 0 : Number(s),
    ms: frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0')),
  }
  if (wall.year < 1970 || wall.month < 1 || wall.month > 12 || wall.hour > 23 || wall.minute > 59 || wall.second > 59) {
    return null
  }
  const daysInMonth = new Date(Date.UTC(wall.year, wall.month, 0)).getUTCDate()
  if (wall.day < 1 || wall.day > daysInMonth) return null
  let date: Date
  if (offset) {
    let offsetMs = 0
    if (offset.toUpperCase() !== 'Z') {
      const sign = offset[0] === '-' ? -1 : 1
      const digits = offset.slice(1).replace(':', '')
      const oh = Number(digits.slice(0, 2))
      const om = Number(digits.slice(2, 4))
      if (oh > 23 || om > 59) return null
      offsetMs = sign * (oh * 60 + om) * 60_000
    }
    date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.ms) - offsetMs)
  } else {
    date = zonedTimeToUtc(wall, timeZone)
  }
  if (date > LAST_INSTANT) return null
  return { date, dateOnly: h === undefined }
}

/** The last millisecond of `date`'s local day in `timeZone`. */
export function endOfLocalDay(date: Date, timeZone: string): Date {
  return dayBounds(localDay(date, timeZone), timeZone).end
}

/** A calendar day, with no time and no zone. */
export interface LocalDate {
  year: number
  month: number
  day: number
}

/** `date`'s calendar day in `timeZone`, moved by `days`. */
export function localDay(date: Date, timeZone: string, days = 0): LocalDate {
  return addDays(wallClock(date, timeZone), days)
}

/** The calendar day `days` after `day` (before, when negative). */
export function addDays(day: LocalDate, days: number): LocalDate {
  const shifted = new Date(Date.UTC(day.year, day.month - 1, day.day + days))
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() }
}

/** A calendar day's weekday, 0 for Sunday. */
export const weekdayOf = (day: LocalDate): number => new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay()

/** The instants a local day starts and ends at (23 or 25 hours long across a DST change). */
export function dayBounds(day: LocalDate, timeZone: string): { start: Date; end: Date } {
  const start = zonedTimeToUtc(day, timeZone)
  const next = new Date(Date.UTC(day.year, day.month - 1, day.day + 1))
  const end = zonedTimeToUtc({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() }, timeZone)
  return { start, end: new Date(end.getTime() - 1) }
}

/** `YYYY-MM-DD`, for date inputs, URLs and day comparisons. */
export const isoDay = (d: LocalDate) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`

/** A `YYYY-MM-DD` the calendar has, or null. */
export function parseDay(text: string): LocalDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!m) return null
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const probe = new Date(Date.UTC(year, month - 1, day))
  if (year < 1970 || year > 9999 || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null
  return { year, month, day }
}

export interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  /** 0 = Sunday. */
  weekday: number
}

/** The wall-clock reading of `date` in `timeZone`. */
export function wallClock(date: Date, timeZone: string): WallClock {
  const local = new Date(date.getTime() + zoneOffsetMs(date.getTime(), timeZone))
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    weekday: local.getUTCDay(),
  }
}
