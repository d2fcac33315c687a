// Reading plain-language task text (chrono-node for dates, our rules around it): each phrase as a person means it.
import { describe, expect, test } from 'bun:test'
import { parseTaskText } from '../src/features/tasks/parse-text'

// Wednesday 25 November 2026, 15:20 in Berlin, 09:20 in New York.
const NOW = new Date('2026-11-25T14:20:00Z')
const BERLIN = 'Europe/Berlin'
const NEW_YORK = 'America/New_York'

type Case = [string, Record<string, unknown>]
const check = (zone: string, now: Date, cases: Case[]) => {
  for (const [text, expected] of cases) {
    test(`${text} (${zone})`, () => {
      const parsed = parseTaskText(text, zone, now)
      // What is not expected is not there: a day-only task has no made-up time, a plain one no priority.
      expect(parsed).toEqual({ tags: [], ...expected } as never)
    })
  }
}

describe('dates, times and titles', () => {
  check(BERLIN, NOW, [
    ['remind me to call mum tomorrow at 5pm, high priority', { title: 'call mum', priority: 'high', due_date: '2026-11-26T16:00:00.000Z' }],
    ['add team lunch friday at noon #work', { title: 'team lunch', tags: ['work'], due_date: '2026-11-27T11:00:00.000Z' }],
    // The date word at the end is the due date; the one inside the title stays.
    ['Prepare Monday meeting agenda friday', { title: 'Prepare Monday meeting agenda', due_day: '2026-11-27' }],
    // Day/month outside the Americas: the 12th of May, next year as this one's has passed.
    ['add dentist checkup 12/05 at 2pm', { title: 'dentist checkup', due_date: '2027-05-12T12:00:00.000Z' }],
    // A bare 3 is the afternoon; 15:00 has passed at 15:20, so it is tomorrow's.
    ['Call Mark at 3', { title: 'Call Mark', due_date: '2026-11-26T14:00:00.000Z' }],
    ['meeting at 9', { title: 'meeting', due_date: '2026-11-26T08:00:00.000Z' }],
    ['lunch at 12', { title: 'lunch', due_date: '2026-11-26T11:00:00.000Z' }],
    ['dinner with Ann at 7:30', { title: 'dinner with Ann', due_date: '2026-11-25T18:30:00.000Z' }],
    ['run tomorrow at 07:00', { title: 'run', due_date: '2026-11-26T06:00:00.000Z' }],
    ['Buy tickets 31 dec', { title: 'Buy tickets', due_day: '2026-12-31' }],
    // A month name then a number is that day, not a year, in day-first zones too; a time after it still counts.
    ['call mum dec 21 at 11am', { title: 'call mum', due_date: '2026-12-21T10:00:00.000Z' }],
    ['renew passport on jan 5', { title: 'renew passport', due_day: '2027-01-05' }],
    ['party dec 21 2027', { title: 'party', due_day: '2027-12-21' }],
    ['Steuer machen !hoch', { title: 'Steuer machen', priority: 'high' }],
    ['pay water bill on the 15th', { title: 'pay water bill', due_day: '2026-12-15' }],
    // Next week is its Monday, as a day.
    ['call plumber next week', { title: 'call plumber', due_day: '2026-11-30' }],
    ['tomorrow call mum at 5', { title: 'call mum', due_date: '2026-11-26T16:00:00.000Z' }],
    ['review PR in 2 hours', { title: 'review PR', due_date: '2026-11-25T16:20:00.000Z' }],
    ['tonight read a book', { title: 'read a book', due_date: '2026-11-25T19:00:00.000Z' }],
    ['gym tomorrow morning', { title: 'gym', due_date: '2026-11-26T08:00:00.000Z' }],
    ['dentist 2026-12-03 at 14:00 #health', { title: 'dentist', tags: ['health'], due_date: '2026-12-03T13:00:00.000Z' }],
  ])
  check(BERLIN, new Date('2026-11-25T09:00:00Z'), [
    // At 10:00, 15:00 is still ahead: today.
    ['Call Mark at 3', { title: 'Call Mark', due_date: '2026-11-25T14:00:00.000Z' }],
  ])
  check(NEW_YORK, NOW, [
    // Month/day in America/* zones: the 5th of December, 14:00 EST.
    ['add dentist checkup 12/05 at 2pm', { title: 'dentist checkup', due_date: '2026-12-05T19:00:00.000Z' }],
    ['Call Mark at 3', { title: 'Call Mark', due_date: '2026-11-25T20:00:00.000Z' }],
  ])
})

describe('words that are not dates stay in the title', () => {
  check(BERLIN, NOW, [
    ['buy milk', { title: 'buy milk' }],
    ['Buy 2 apples', { title: 'Buy 2 apples' }],
    ['Read chapter 5', { title: 'Read chapter 5' }],
    ['sun cream', { title: 'sun cream' }],
    ['March for peace', { title: 'March for peace' }],
    ['a day at the zoo', { title: 'a day at the zoo' }],
    ['Tokyo evening', { title: 'Tokyo evening' }],
    ['call mum this evening', { title: 'call mum', due_date: '2026-11-25T18:00:00.000Z' }],
    ['Reply to urgent email', { title: 'Reply to urgent email' }],
  ])
})

describe('priority and tags', () => {
  check(BERLIN, NOW, [
    ['fix login, urgent', { title: 'fix login', priority: 'high' }],
    ['p1 fix login', { title: 'fix login', priority: 'high' }],
    ['water plants !low #home #Garden', { title: 'water plants', priority: 'low', tags: ['home', 'garden'] }],
    ['tidy desk, low priority', { title: 'tidy desk', priority: 'low' }],
    ['send invoice friday 17:00 !1 #work', { title: 'send invoice', priority: 'high', tags: ['work'], due_date: '2026-11-27T16:00:00.000Z' }],
  ])
})

describe('repeats as the API takes them', () => {
  check(BERLIN, NOW, [
    ['Pay bills on the 1st of every month', { title: 'Pay bills', recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1', due_day: '2026-12-01' }],
    ['rent every month on the 1st', { title: 'rent', recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1', due_day: '2026-12-01' }],
    ['stretch every day', { title: 'stretch', recurrence: 'DAILY' }],
    ['stretch daily', { title: 'stretch', recurrence: 'DAILY' }],
    ['water plants every day at 8am', { title: 'water plants', recurrence: 'DAILY', due_date: '2026-11-26T07:00:00.000Z' }],
    ['standup weekdays at 9:30', { title: 'standup', recurrence: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', due_date: '2026-11-26T08:30:00.000Z' }],
    ['standup every weekday', { title: 'standup', recurrence: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', due_day: '2026-11-25' }],
    ['team sync every monday 10am', { title: 'team sync', recurrence: 'FREQ=WEEKLY;BYDAY=MO', due_date: '2026-11-30T09:00:00.000Z' }],
    ['team sync every other Monday', { title: 'team sync', recurrence: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', due_day: '2026-11-30' }],
    ['review budget every 2 weeks', { title: 'review budget', recurrence: 'FREQ=WEEKLY;INTERVAL=2' }],
    ['service boiler every 3 months until June', { title: 'service boiler', recurrence: 'FREQ=MONTHLY;INTERVAL=3;UNTIL=20270601T235959Z' }],
    ['take pill every day 3 times', { title: 'take pill', recurrence: 'FREQ=DAILY;COUNT=3' }],
    ['renew passport yearly', { title: 'renew passport', recurrence: 'FREQ=YEARLY' }],
    ['gym every thursday, monday and thursday', { title: 'gym', recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH', due_day: '2026-11-26' }],
    ['pay rent monthly on dec 1', { title: 'pay rent', recurrence: 'MONTHLY', due_day: '2026-12-01' }],
  ])
})

describe('German, Spanish', () => {
  check(BERLIN, NOW, [
    ['Erinnere mich morgen um 10 Uhr an den Zahnarzt', { title: 'Zahnarzt', due_date: '2026-11-26T09:00:00.000Z' }],
    ['Zahnarzt am Freitag um 14 Uhr', { title: 'Zahnarzt', due_date: '2026-11-27T13:00:00.000Z' }],
    ['Teamrunde jeden Montag', { title: 'Teamrunde', recurrence: 'FREQ=WEEKLY;BYDAY=MO', due_day: '2026-11-30' }],
    ['añadir comprar pan mañana', { title: 'comprar pan', due_day: '2026-11-26' }],
  ])
})

describe('across a DST change, on the wall clock', () => {
  // Berlin leaves summer time on Sunday 25 October 2026; New York on Sunday 1 November, and enters it on 8 March.
  check(BERLIN, new Date('2026-10-24T10:00:00Z'), [['call mum tomorrow at 5pm', { title: 'call mum', due_date: '2026-10-25T16:00:00.000Z' }]])
  check(NEW_YORK, new Date('2026-10-31T16:00:00Z'), [['call mum tomorrow at 5pm', { title: 'call mum', due_date: '2026-11-01T22:00:00.000Z' }]])
  check(NEW_YORK, new Date('2026-03-07T17:00:00Z'), [['standup tomorrow at 9am', { title: 'standup', due_date: '2026-03-08T13:00:00.000Z' }]])
  // "In 2 hours" is two hours of real time, even when the clocks go back in between.
  check(NEW_YORK, new Date('2026-11-01T05:30:00Z'), [['check oven in 2 hours', { title: 'check oven', due_date: '2026-11-01T07:30:00.000Z' }]])
})
