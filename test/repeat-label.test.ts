// Repeat rules in words, as the task list, Today, Upcoming and the edit form label a series.
import { describe, expect, test } from 'bun:test'
import { repeatLabel } from '../views/format'

describe('repeatLabel', () => {
  test.each([
    ['DAILY', 'Daily'],
    ['WEEKLY', 'Weekly'],
    ['MONTHLY', 'Monthly'],
    ['FREQ=DAILY;INTERVAL=3', 'Every 3 days'],
    ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'Weekdays'],
    ['FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR', 'Weekdays'],
    ['FREQ=WEEKLY;BYDAY=SA,SU', 'Weekends'],
    ['FREQ=WEEKLY;BYDAY=WE,MO', 'Every Mon and Wed'],
    ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=0', 'Every Mon, Wed and Fri'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=FR', 'Every 2 weeks on Fri'],
    ['FREQ=WEEKLY;INTERVAL=2', 'Every 2 weeks'],
    ['FREQ=MONTHLY;BYMONTHDAY=1', 'Monthly on the 1st'],
    ['FREQ=MONTHLY;BYMONTHDAY=22', 'Monthly on the 22nd'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', 'Monthly on the last day'],
    ['FREQ=MONTHLY;BYDAY=-1FR', 'Monthly on the last Fri'],
    ['FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU', 'Every 3 months on the second Tue'],
    ['FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=5', 'Yearly on 5 Mar'],
    ['FREQ=YEARLY', 'Yearly'],
    ['FREQ=WEEKLY;BYDAY=TH;COUNT=12', 'Every Thu, 12 times'],
    ['FREQ=DAILY;UNTIL=20300331T000000Z', 'Daily, until 31 Mar 2030'],
  ])('%s reads "%s"', (rule, words) => {
    expect(repeatLabel(rule)).toBe(words)
  })

  test.each([
    // The last workday of the month: BYSETPOS has no short words.
    'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
    'FREQ=YEARLY;BYWEEKNO=20',
    'FREQ=HOURLY;INTERVAL=4',
    'FREQ=DAILY;INTERVAL=2;BYDAY=MO',
    'not a rule',
  ])('%s is "Custom"', (rule) => {
    expect(repeatLabel(rule)).toBe('Custom')
  })
})
