// Next due dates of recurring tasks: presets, RFC 5545 rules, month ends, COUNT/UNTIL, from completion, DST.
import { describe, expect, test } from 'bun:test'
import { firstDueDate, nextDueDate, upcomingDueDates, type RecurringTask } from '../src/features/tasks/recurrence'

const task = (over: Partial<RecurringTask> & { recurrence: string; dueDate: Date | null }): RecurringTask => ({
  recurrenceFrom: 'due',
  seriesAnchor: null,
  completedAt: new Date('2026-01-01T00:00:00Z'),
  occurrence: 1,
  ...over,
})
const iso = (d: Date | null) => d?.toISOString() ?? null

describe('presets', () => {
  test('DAILY, WEEKLY, MONTHLY from the due date', () => {
    const due = new Date('2026-03-10T09:00:00Z')
    expect(iso(nextDueDate(task({ recurrence: 'DAILY', dueDate: due }), 'UTC'))).toBe('2026-03-11T09:00:00.000Z')
    expect(iso(nextDueDate(task({ recurrence: 'WEEKLY', dueDate: due }), 'UTC'))).toBe('2026-03-17T09:00:00.000Z')
    expect(iso(nextDueDate(task({ recurrence: 'MONTHLY', dueDate: due }), 'UTC'))).toBe('2026-04-10T09:00:00.000Z')
  })

  test('months do not drift: Jan 31 → Feb 28 → Mar 31 → Apr 30, and Feb 29 in a leap year', () => {
    const first = task({ recurrence: 'MONTHLY', dueDate: new Date('2027-01-31T10:00:00Z') })
    expect(upcomingDueDates(first, 'UTC', 4).map(iso)).toEqual([
      '2027-02-28T10:00:00.000Z', '2027-03-31T10:00:00.000Z', '2027-04-30T10:00:00.000Z', '2027-05-31T10:00:00.000Z',
    ])
    const leap = task({ recurrence: 'MONTHLY', dueDate: new Date('2028-01-31T10:00:00Z') })
    expect(iso(nextDueDate(leap, 'UTC'))).toBe('2028-02-29T10:00:00.000Z')
    // Completing Feb 28 of a series anchored on the 31st goes back to the 31st.
    const feb = task({ recurrence: 'MONTHLY', dueDate: new Date('2027-02-28T10:00:00Z'), seriesAnchor: new Date('2027-01-31T10:00:00Z'), occurrence: 2 })
    expect(iso(nextDueDate(feb, 'UTC'))).toBe('2027-03-31T10:00:00.000Z')
  })
})

describe('RFC 5545 rules', () => {
  test('every weekday skips the weekend', () => {
    const friday = task({ recurrence: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', dueDate: new Date('2026-11-27T08:00:00Z') })
    expect(iso(nextDueDate(friday, 'UTC'))).toBe('2026-11-30T08:00:00.000Z')
  })

  test('every 2nd Tuesday of the month', () => {
    const t = task({ recurrence: 'FREQ=MONTHLY;BYDAY=2TU', dueDate: new Date('2026-11-10T17:00:00Z') })
    expect(upcomingDueDates(t, 'UTC', 3).map(iso)).toEqual(['2026-12-08T17:00:00.000Z', '2027-01-12T17:00:00.000Z', '2027-02-09T17:00:00.000Z'])
  })

  test('the last day of the month', () => {
    const t = task({ recurrence: 'FREQ=MONTHLY;BYMONTHDAY=-1', dueDate: new Date('2026-11-30T12:00:00Z') })
    expect(upcomingDueDates(t, 'UTC', 3).map(iso)).toEqual(['2026-12-31T12:00:00.000Z', '2027-01-31T12:00:00.000Z', '2027-02-28T12:00:00.000Z'])
  })

  test('every other day (INTERVAL)', () => {
    const t = task({ recurrence: 'FREQ=DAILY;INTERVAL=2', dueDate: new Date('2026-11-25T07:00:00Z') })
    expect(iso(nextDueDate(t, 'UTC'))).toBe('2026-11-27T07:00:00.000Z')
  })
})

describe('the series ends', () => {
  test('COUNT=3: the third instance has no successor', () => {
    const rule = 'FREQ=DAILY;COUNT=3'
    expect(nextDueDate(task({ recurrence: rule, dueDate: new Date('2026-11-25T07:00:00Z'), occurrence: 2 }), 'UTC')).not.toBeNull()
    expect(nextDueDate(task({ recurrence: rule, dueDate: new Date('2026-11-26T07:00:00Z'), occurrence: 3 }), 'UTC')).toBeNull()
  })

  test('UNTIL: no date after it', () => {
    const rule = 'FREQ=WEEKLY;UNTIL=20261210T000000Z'
    expect(iso(nextDueDate(task({ recurrence: rule, dueDate: new Date('2026-11-26T07:00:00Z') }), 'UTC'))).toBe('2026-12-03T07:00:00.000Z')
    expect(nextDueDate(task({ recurrence: rule, dueDate: new Date('2026-12-03T07:00:00Z') }), 'UTC')).toBeNull()
  })
})

describe('from the completion date', () => {
  test('every 3 days counts from the day it was done, at the due time of day', () => {
    const t = task({
      recurrence: 'FREQ=DAILY;INTERVAL=3',
      recurrenceFrom: 'completion',
      dueDate: new Date('2026-11-20T09:00:00Z'),
      completedAt: new Date('2026-11-25T18:30:00Z'),
    })
    expect(iso(nextDueDate(t, 'UTC'))).toBe('2026-11-28T09:00:00.000Z')
  })

  test('a task done late from the due date keeps its schedule', () => {
    const t = task({ recurrence: 'WEEKLY', dueDate: new Date('2026-11-02T09:00:00Z'), completedAt: new Date('2026-11-25T18:30:00Z') })
    expect(iso(nextDueDate(t, 'UTC'))).toBe('2026-11-09T09:00:00.000Z')
  })
})

describe('time zones and DST', () => {
  test('daily at 09:00 in Berlin stays 09:00 across the March change (08:00Z, then 07:00Z)', () => {
    const t = task({ recurrence: 'DAILY', dueDate: new Date('2026-03-28T08:00:00Z') })
    expect(upcomingDueDates(t, 'Europe/Berlin', 2).map(iso)).toEqual(['2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z'])
  })

  test('weekly at 18:00 in New York across the November change', () => {
    const t = task({ recurrence: 'WEEKLY', dueDate: new Date('2026-10-29T22:00:00Z') })
    expect(iso(nextDueDate(t, 'America/New_York'))).toBe('2026-11-05T23:00:00.000Z')
  })

  test('a monthly series on the 31st counts the month end in the user zone, not in UTC', () => {
    // 31 Jan 23:30 in Tokyo is 31 Jan 14:30Z; the next is 28 Feb 23:30 Tokyo time.
    const t = task({ recurrence: 'MONTHLY', dueDate: new Date('2027-01-31T14:30:00Z') })
    expect(iso(nextDueDate(t, 'Asia/Tokyo'))).toBe('2027-02-28T14:30:00.000Z')
  })
})

test('a rule with no due date takes its first date from the rule, from the next full hour', () => {
  const now = new Date('2026-11-25T10:20:00Z') // a Wednesday
  expect(iso(firstDueDate('DAILY', 'UTC', now))).toBe('2026-11-25T11:00:00.000Z')
  expect(iso(firstDueDate('FREQ=WEEKLY;BYDAY=SA;BYHOUR=10;BYMINUTE=0;BYSECOND=0', 'UTC', now))).toBe('2026-11-28T10:00:00.000Z')
})
