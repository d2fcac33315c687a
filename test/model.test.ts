// Task rules that every face shares: tags, recurrence, due dates and time zones.
import { describe, expect, test } from 'bun:test'
import { AppError } from '../src/lib/errors'
import { endOfLocalDay, isTimeZone, parseDateTime, zonedTimeToUtc } from '../src/lib/time'
import { parseRecurrence, parseTags } from '../src/features/tasks/model'

const fieldOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    return (error as AppError).field
  }
  return undefined
}

describe('tags', () => {
  test('lower-cased, trimmed, # removed, de-duplicated in order', () => {
    expect(parseTags([' Work', 'work', '#Home', 'ÉTÉ', 'q4-2026', 'a/b'])).toEqual(['work', 'home', 'été', 'q4-2026', 'a/b'])
  })
  test('refuses spaces, commas and symbols inside a tag', () => {
    for (const tag of ['two words', 'a,b', '<b>', 'semi;colon']) expect(fieldOf(() => parseTags([tag]))).toBe('tags')
  })
})

describe('recurrence', () => {
  test('presets in any case, RRULE bodies with or without the RRULE: prefix', () => {
    expect(parseRecurrence('daily')).toBe('DAILY')
    expect(parseRecurrence(' Monthly ')).toBe('MONTHLY')
    expect(parseRecurrence('rrule:freq=weekly;byday=mo,we,fr')).toBe('FREQ=WEEKLY;BYDAY=MO,WE,FR')
    expect(parseRecurrence('FREQ=MONTHLY;BYMONTHDAY=-1')).toBe('FREQ=MONTHLY;BYMONTHDAY=-1')
    expect(parseRecurrence('FREQ=MONTHLY;BYDAY=2TU')).toBe('FREQ=MONTHLY;BYDAY=2TU')
    expect(parseRecurrence('FREQ=DAILY;COUNT=5')).toBe('FREQ=DAILY;COUNT=5')
    expect(parseRecurrence('FREQ=WEEKLY;UNTIL=20270101T000000Z')).toBe('FREQ=WEEKLY;UNTIL=20270101T000000Z')
    expect(parseRecurrence('')).toBeNull()
    expect(parseRecurrence(null)).toBeNull()
  })
  test('refuses what is not a usable rule', () => {
    for (const rule of ['FREQ=FORTNIGHTLY', 'DTSTART=20260101T000000Z;FREQ=DAILY', 'FREQ=DAILY;FREQ=WEEKLY', 'FREQ=DAILY;COUNT=-1', 'FREQ=DAILY;;', 'FREQ=WEEKLY;BYDAY=XX']) {
      expect(fieldOf(() => parseRecurrence(rule))).toBe('recurrence')
    }
  })
})

describe('time zones', () => {
  test('IANA names are recognised, others are not', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true)
    expect(isTimeZone('UTC')).toBe(true)
    expect(isTimeZone('America/Argentina/Buenos_Aires')).toBe(true)
    expect(isTimeZone('Mars/Base')).toBe(false)
    expect(isTimeZone('')).toBe(false)
    expect(isTimeZone('../../etc/passwd')).toBe(false)
  })

  test('wall-clock times across DST in Berlin and New York', () => {
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 29, hour: 1, minute: 30 }, 'Europe/Berlin').toISOString()).toBe('2026-03-29T00:30:00.000Z')
    // 02:30 does not exist on 29 March 2026 in Berlin: it moves forward by the jump.
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z')
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 29, hour: 3, minute: 30 }, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z')
    // 01:30 happens twice on 1 November 2026 in New York: the earlier one is taken.
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z')
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 1, hour: 3, minute: 0 }, 'America/New_York').toISOString()).toBe('2026-11-01T08:00:00.000Z')
  })

  test('parseDateTime: offsets are exact, bare times are local, impossible dates are refused', () => {
    expect(parseDateTime('2026-12-01T17:00:00+05:30', 'UTC')!.date.toISOString()).toBe('2026-12-01T11:30:00.000Z')
    expect(parseDateTime('2026-12-01T17:00:00.250Z', 'Asia/Tokyo')!.date.toISOString()).toBe('2026-12-01T17:00:00.250Z')
    expect(parseDateTime('2026-12-01 17:00', 'Asia/Tokyo')!.date.toISOString()).toBe('2026-12-01T08:00:00.000Z')
    expect(parseDateTime('2026-12-01', 'Asia/Tokyo')).toMatchObject({ dateOnly: true })
    for (const bad of ['2026-02-29T00:00:00Z', '2026-04-31', '2026-12-01T24:00', '2026-12-01T10:00+25:00', 'next tuesday', '1969-12-31']) {
      expect(parseDateTime(bad, 'UTC')).toBeNull()
    }
  })

  test('endOfLocalDay is the last millisecond of that local day, even on a 25-hour day', () => {
    const start = parseDateTime('2026-11-01', 'America/New_York')!.date
    expect(start.toISOString()).toBe('2026-11-01T04:00:00.000Z')
    expect(endOfLocalDay(start, 'America/New_York').toISOString()).toBe('2026-11-02T04:59:59.999Z')
  })
})
