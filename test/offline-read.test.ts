// How the offline agent reads a request: many ways of saying each everyday intent, in English and German, read into
// the same request. Pure reading (no database): what the agent then does with it is test/chat-offline.test.ts's.
import { describe, expect, test } from 'bun:test'
import { tidy } from '../src/chat/offline-grammar'
import { readMessage, type Request } from '../src/chat/offline-read'
import { readDuration } from '../src/chat/duration'
import { shiftDue } from '../src/chat/offline-change'

// Wednesday 25 November 2026, 15:20 in Berlin.
const NOW = new Date('2026-11-25T14:20:00Z')
const BERLIN = 'Europe/Berlin'
const read = (text: string): Request => readMessage(text, BERLIN, NOW).request

type Case = [string, Record<string, unknown>]
const check = (cases: Case[]) => {
  for (const [text, expected] of cases) test(text, () => expect(read(text)).toMatchObject(expected as never))
}

describe('the words around a request that carry nothing', () => {
  test.each([
    ['ok finish report done', 'finish report done'],
    ['oops, undo', 'undo'],
    ['no wait undo that', 'undo that'],
    ['can you please add milk', 'add milk'],
    ["I'd like to delete the dentist", 'delete the dentist'],
    ['compete walk the dog pls', 'compete walk the dog'],
    ['reopen taxes, thanks!', 'reopen taxes'],
    ['dentist isn’t done actually', "dentist isn't done"],
  ])('%s', (text, tidied) => expect(tidy(text)).toBe(tidied))
})

describe('adding', () => {
  check([
    ['add a task to email landlord', { kind: 'add', body: 'email landlord' }],
    ['put vet for rex on my list', { kind: 'add', body: 'vet for rex' }],
    ['put clean the garage on my list tomorrow 9am', { kind: 'add', body: 'clean the garage tomorrow 9am' }],
    ['add milk to my todo list', { kind: 'add', body: 'milk' }],
    ['todo: book flights', { kind: 'add', body: 'book flights' }],
    ['new task dentist on friday', { kind: 'add', body: 'dentist on friday' }],
    ['could you add call mum tomorrow', { kind: 'add', body: 'call mum tomorrow' }],
    ['remind me to pay rent on the 1st', { kind: 'add', body: 'pay rent on the 1st', remind: true }],
    ['Zahnarzt auf die Liste', { kind: 'add', body: 'Zahnarzt' }],
    ['füge Brot kaufen hinzu', { kind: 'add', body: 'Brot kaufen' }],
    ['neue Aufgabe Wäsche waschen', { kind: 'add', body: 'Wäsche waschen' }],
    ['trag Zahnarzt am Freitag ein', { kind: 'add', body: 'Zahnarzt am Freitag' }],
    ['schreib Milch kaufen auf', { kind: 'add', body: 'Milch kaufen' }],
    ['nouvelle tâche dentiste lundi', { kind: 'add', body: 'dentiste lundi' }],
    ['añadir comprar pan mañana', { kind: 'add', body: 'comprar pan mañana' }],
  ])
})

describe('listing, counting and finding', () => {
  check([
    ['what do i have to do', { kind: 'list', selection: { parts: [], search: '' } }],
    ["what's on my plate today", { kind: 'list', selection: { parts: [{ kind: 'today' }] } }],
    ["what's on tomorrow", { kind: 'list', selection: { parts: [{ kind: 'day', day: '2026-11-26' }] } }],
    ['anything overdue?', { kind: 'list', selection: { parts: [{ kind: 'overdue' }] } }],
    ['high priority stuff', { kind: 'list', selection: { parts: [{ kind: 'priority', level: 'high' }] } }],
    ['show urgent tasks', { kind: 'list', selection: { parts: [{ kind: 'priority', level: 'high' }] } }],
    ['what is tagged work', { kind: 'list', selection: { parts: [{ kind: 'tag', tag: 'work' }] } }],
    ['show my #errands', { kind: 'list', selection: { parts: [{ kind: 'tag', tag: 'errands' }] } }],
    ['what did i get done', { kind: 'list', selection: { parts: [{ kind: 'completed' }] } }],
    ['what is due next week', { kind: 'list', selection: { parts: [{ kind: 'range', from: '2026-11-30', to: '2026-12-06' }] } }],
    ['what do i have this week', { kind: 'list', selection: { parts: [{ kind: 'week', from: '2026-11-25', to: '2026-11-29' }] } }],
    // A word that names no filter is searched for: "work" in the title or description.
    ['show overdue work tasks', { kind: 'list', selection: { parts: [{ kind: 'overdue' }], search: 'work' } }],
    ['show overdue #work tasks', { kind: 'list', selection: { parts: [{ kind: 'overdue' }, { kind: 'tag', tag: 'work' }], search: '' } }],
    ['was hab ich heute', { kind: 'list', selection: { parts: [{ kind: 'today' }] } }],
    ['was ist überfällig', { kind: 'list', selection: { parts: [{ kind: 'overdue' }] } }],
    ['was steht morgen an', { kind: 'list', selection: { parts: [{ kind: 'day', day: '2026-11-26' }] } }],
    ['zeige erledigte Aufgaben', { kind: 'list', selection: { parts: [{ kind: 'completed' }] } }],
    ['how many things are on my list', { kind: 'count', selection: { parts: [] } }],
    ['how many are overdue', { kind: 'count', selection: { parts: [{ kind: 'overdue' }] } }],
    ['count my high priority tasks', { kind: 'count', selection: { parts: [{ kind: 'priority', level: 'high' }] } }],
    ['wieviele todos hab ich', { kind: 'count', selection: { parts: [] } }],
    ['wie viele Aufgaben sind überfällig', { kind: 'count', selection: { parts: [{ kind: 'overdue' }] } }],
    ['do i have anything about taxes', { kind: 'find', words: 'taxes' }],
    ['is there a task for the plumber', { kind: 'find', words: 'the plumber' }],
    ['where is my passport task', { kind: 'find', words: 'passport' }],
    ['look for milk', { kind: 'find', words: 'milk' }],
    ['show dentist', { kind: 'find', words: 'dentist' }],
    ['suche Zahnarzt', { kind: 'find', words: 'Zahnarzt' }],
    ['gibt es etwas zu Steuern', { kind: 'find', words: 'Steuern' }],
  ])
  test('a question about something else is not about tasks', () => expect(read('what is the weather like?').kind).toBe('unknown'))
})

describe('completing and reopening', () => {
  check([
    ['mark pay rent done', { kind: 'complete', target: 'pay rent' }],
    ['i finished dog walk', { kind: 'complete', target: 'dog walk' }],
    ["i've done the laundry", { kind: 'complete', target: 'the laundry' }],
    ['taxes is done', { kind: 'complete', target: 'taxes' }],
    ['the bills are paid, mark them done', { kind: 'complete', target: 'the bills' }],
    ['done with the report', { kind: 'complete', target: 'the report' }],
    ['check off bank call', { kind: 'complete', target: 'bank call' }],
    ['cross the groceries off', { kind: 'complete', target: 'the groceries' }],
    ['mrak buy milk done', { kind: 'complete', target: 'buy milk' }],
    ['Zahnarzt erledigt', { kind: 'complete', target: 'Zahnarzt' }],
    ['erledige den Zahnarzt', { kind: 'complete', target: 'den Zahnarzt' }],
    ['hake Milch kaufen ab', { kind: 'complete', target: 'Milch kaufen' }],
    ['ich habe die Wäsche erledigt', { kind: 'complete', target: 'die Wäsche' }],
    ['markiere Steuern als erledigt', { kind: 'complete', target: 'Steuern' }],
    ['uncheck pay rent', { kind: 'reopen', target: 'pay rent' }],
    ["dentist isn't done actually", { kind: 'reopen', target: 'dentist' }],
    ['undo the completion of water the plants', { kind: 'reopen', target: 'water the plants' }],
    ['mark taxes as not done', { kind: 'reopen', target: 'taxes' }],
    ['Reifen wechseln wieder öffnen', { kind: 'reopen', target: 'Reifen wechseln' }],
    ['öffne Reifen wechseln wieder', { kind: 'reopen', target: 'Reifen wechseln' }],
    ['Milch kaufen ist doch nicht erledigt', { kind: 'reopen', target: 'Milch kaufen' }],
    ['markiere Steuern als offen', { kind: 'reopen', target: 'Steuern' }],
  ])
})

describe('deleting', () => {
  check([
    ['get rid of landlord email', { kind: 'delete', target: 'landlord email' }],
    ['cancel fix bike, delete it', { kind: 'delete', target: 'fix bike' }],
    ['remove the low priority ones', { kind: 'delete', target: 'the low priority ones' }],
    ['delete completed', { kind: 'delete', target: 'completed' }],
    ['clear my done tasks', { kind: 'delete', target: 'my done tasks' }],
    ['remove groceries from my list', { kind: 'delete', target: 'groceries' }],
    ["i don't need the gym task anymore", { kind: 'delete', target: 'the gym task' }],
    ['scratch the dentist', { kind: 'delete', target: 'the dentist' }],
    ['lösche den Zahnarzt', { kind: 'delete', target: 'den Zahnarzt' }],
    ['Zahnarzt löschen', { kind: 'delete', target: 'Zahnarzt' }],
    ['entferne alle erledigten Aufgaben', { kind: 'delete', target: 'alle erledigten Aufgaben' }],
  ])
})

describe('renaming', () => {
  check([
    ['rename gym to gym with sam', { kind: 'update', target: 'gym', change: { kind: 'title', title: 'gym with sam' } }],
    ['fix bike should be called fix bike brakes', { kind: 'update', target: 'fix bike', change: { kind: 'title', title: 'fix bike brakes' } }],
    ['rename laundry to "do laundry"', { kind: 'update', target: 'laundry', change: { kind: 'title', title: 'do laundry' } }],
    ['change the name of the invoice task to send invoice to acme', { kind: 'update', target: 'the invoice task', change: { kind: 'title', title: 'send invoice to acme' } }],
    ["change gym's title to gym with sam", { kind: 'update', target: 'gym', change: { kind: 'title', title: 'gym with sam' } }],
    ['retitle email landlord as email landlord about heating', { kind: 'update', target: 'email landlord', change: { kind: 'title', title: 'email landlord about heating' } }],
    ['benenne Zahnarzt in Zahnarzt um 3 um', { kind: 'update', target: 'Zahnarzt', change: { kind: 'title', title: 'Zahnarzt um 3' } }],
    ['Zahnarzt umbenennen in Kieferorthopäde', { kind: 'update', target: 'Zahnarzt', change: { kind: 'title', title: 'Kieferorthopäde' } }],
  ])
})

describe('moving to a time, and by a span', () => {
  check([
    ['move dentist to friday at 3pm', { kind: 'update', target: 'dentist', change: { kind: 'due', due: '2026-11-27T14:00:00.000Z' } }],
    ['move call mum at home to friday', { kind: 'update', target: 'call mum at home', change: { kind: 'due', due: '2026-11-27' } }],
    ['set dentist appointment for tomorrow at 4', { kind: 'update', target: 'dentist appointment', change: { kind: 'due', due: '2026-11-26T15:00:00.000Z' } }],
    ['dog walk should be on dec 21 at 11am', { kind: 'update', target: 'dog walk', change: { kind: 'due', due: '2026-12-21T10:00:00.000Z' } }],
    ['bike is now on monday', { kind: 'update', target: 'bike', change: { kind: 'due', due: '2026-11-30' } }],
    ['snooze garage till monday', { kind: 'update', target: 'garage', change: { kind: 'due', due: '2026-11-30' } }],
    ['mvoe book fligths to friday at 3pm', { kind: 'update', target: 'book fligths', change: { kind: 'due', due: '2026-11-27T14:00:00.000Z' } }],
    ['verschiebe Zahnarzt auf Freitag', { kind: 'update', target: 'Zahnarzt', change: { kind: 'due', due: '2026-11-27' } }],
    ['Mama anrufen auf Freitag 15 Uhr verschieben', { kind: 'update', target: 'Mama anrufen', change: { kind: 'due', due: '2026-11-27T14:00:00.000Z' } }],
    ['verlege Zahnarzt auf Montag', { kind: 'update', target: 'Zahnarzt', change: { kind: 'due', due: '2026-11-30' } }],
    ['postpone garage by a week', { kind: 'update', target: 'garage', change: { kind: 'shift', by: { amount: 1, unit: 'week' } } }],
    ['delay groceries by an hour', { kind: 'update', target: 'groceries', change: { kind: 'shift', by: { amount: 1, unit: 'hour' } } }],
    ['snooze walk the dog 2 hours', { kind: 'update', target: 'walk the dog', change: { kind: 'shift', by: { amount: 2, unit: 'hour' } } }],
    ['push taxes back two days', { kind: 'update', target: 'taxes', change: { kind: 'shift', by: { amount: 2, unit: 'day' } } }],
    ['gym half an hour later', { kind: 'update', target: 'gym', change: { kind: 'shift', by: { amount: 30, unit: 'minute' } } }],
    ['Müll rausbringen eine Woche später', { kind: 'update', target: 'Müll rausbringen', change: { kind: 'shift', by: { amount: 1, unit: 'week' } } }],
    ['verschiebe Miete zahlen um eine Woche', { kind: 'update', target: 'Miete zahlen', change: { kind: 'shift', by: { amount: 1, unit: 'week' } } }],
    ['Zahnarzt um 2 Stunden verschieben', { kind: 'update', target: 'Zahnarzt', change: { kind: 'shift', by: { amount: 2, unit: 'hour' } } }],
    ['move dentist to sometime', { kind: 'when', target: 'dentist' }],
  ])
})

describe('priority and tags', () => {
  check([
    ['make return library books high priority', { kind: 'update', target: 'return library books', change: { kind: 'priority', level: 'high' } }],
    ['mark return library books as important', { kind: 'update', target: 'return library books', change: { kind: 'priority', level: 'high' } }],
    ['give invoice high priority', { kind: 'update', target: 'invoice', change: { kind: 'priority', level: 'high' } }],
    ['finish report is urgent', { kind: 'update', target: 'finish report', change: { kind: 'priority', level: 'high' } }],
    ['set passport to low priority', { kind: 'update', target: 'passport', change: { kind: 'priority', level: 'low' } }],
    ['order printer ink is not urgent', { kind: 'update', target: 'order printer ink', change: { kind: 'priority', level: 'low' } }],
    ['prioritize taxes', { kind: 'update', target: 'taxes', change: { kind: 'priority', level: 'high' } }],
    ['lower the priority of gym', { kind: 'update', target: 'gym', change: { kind: 'priority', level: 'low' } }],
    ['setze Geschenk für Anna auf hohe Priorität', { kind: 'update', target: 'Geschenk für Anna', change: { kind: 'priority', level: 'high' } }],
    ['Fahrrad reparieren ist dringend', { kind: 'update', target: 'Fahrrad reparieren', change: { kind: 'priority', level: 'high' } }],
    ['Steuern hat hohe Priorität', { kind: 'update', target: 'Steuern', change: { kind: 'priority', level: 'high' } }],
    ['tag book flights with work', { kind: 'update', target: 'book flights', change: { kind: 'tags', add: ['work'], remove: [] } }],
    ['tag book flights #errands #home', { kind: 'update', target: 'book flights', change: { kind: 'tags', add: ['errands', 'home'], remove: [] } }],
    ['add #home to renew passport', { kind: 'update', target: 'renew passport', change: { kind: 'tags', add: ['home'], remove: [] } }],
    ['add the tags family and weekend to dry cleaning', { kind: 'update', target: 'dry cleaning', change: { kind: 'tags', add: ['family', 'weekend'], remove: [] } }],
    ['remove the work tag from finish report', { kind: 'update', target: 'finish report', change: { kind: 'tags', add: [], remove: ['work'] } }],
    ['untag finish report #work', { kind: 'update', target: 'finish report', change: { kind: 'tags', add: [], remove: ['work'] } }],
    ['markiere Steuern mit #arbeit', { kind: 'update', target: 'Steuern', change: { kind: 'tags', add: ['arbeit'], remove: [] } }],
  ])
})

describe('reminders and undo', () => {
  check([
    ['remind me about bank call 30 minutes before', { kind: 'remind', target: 'bank call', before: { amount: 30, unit: 'minute' } }],
    ['remind me an hour before flight to rome', { kind: 'remind', target: 'flight to rome', before: { amount: 1, unit: 'hour' } }],
    ['set a reminder for dentist 15 min before', { kind: 'remind', target: 'dentist', before: { amount: 15, unit: 'minute' } }],
    ['remind me about the dentist tomorrow at 9', { kind: 'remind', target: 'the dentist', at: '2026-11-26T08:00:00.000Z' }],
    ['remind me about taxes in 2 hours', { kind: 'remind', target: 'taxes', at: '2026-11-25T16:20:00.000Z' }],
    ['ping me about taxes in 2 hours', { kind: 'remind', target: 'taxes', at: '2026-11-25T16:20:00.000Z' }],
    ['alert me 10 minutes before the dentist', { kind: 'remind', target: 'the dentist', before: { amount: 10, unit: 'minute' } }],
    ['erinnere mich an den Zahnarzt in 2 Stunden', { kind: 'remind', target: 'Zahnarzt', at: '2026-11-25T16:20:00.000Z' }],
    ['erinnere mich 30 Minuten vor dem Zahnarzt', { kind: 'remind', target: 'dem Zahnarzt', before: { amount: 30, unit: 'minute' } }],
    ['erinnere mich morgen um 9 an den Zahnarzt', { kind: 'add', remind: true }],
    ['undo that', { kind: 'undo' }],
    ['take that back', { kind: 'undo' }],
    ['revert', { kind: 'undo' }],
    ['mach das rückgängig', { kind: 'undo' }],
  ])
})

describe('spans and moving by them', () => {
  test.each([
    ['2 hours', { amount: 2, unit: 'hour' }],
    ['an hour', { amount: 1, unit: 'hour' }],
    ['half an hour', { amount: 30, unit: 'minute' }],
    ['30m', { amount: 30, unit: 'minute' }],
    ['a couple of days', { amount: 2, unit: 'day' }],
    ['eine Woche', { amount: 1, unit: 'week' }],
    ['zwei Stunden', { amount: 2, unit: 'hour' }],
  ])('%s', (text, expected) => expect(readDuration(text)).toEqual(expected as never))

  test('a day moves by whole days and stays a day; a time keeps its wall-clock hour across DST; no date moves from now', () => {
    const berlin = 'Europe/Berlin'
    expect(shiftDue({ due_date: null, due_day: '2026-12-09' }, { amount: 1, unit: 'day' }, berlin, NOW)).toBe('2026-12-10')
    expect(shiftDue({ due_date: null, due_day: '2026-01-31' }, { amount: 1, unit: 'month' }, berlin, NOW)).toBe('2026-02-28')
    // 09:00 on Saturday 24 October (CEST) a week later is 09:00 on 31 October (CET): an hour more in UTC.
    expect(shiftDue({ due_date: '2026-10-24T07:00:00.000Z' }, { amount: 1, unit: 'week' }, berlin, NOW)).toBe('2026-10-31T08:00:00.000Z')
    expect(shiftDue({ due_date: '2026-10-24T07:00:00.000Z' }, { amount: 90, unit: 'minute' }, berlin, NOW)).toBe('2026-10-24T08:30:00.000Z')
    expect(shiftDue({ due_date: null }, { amount: 2, unit: 'hour' }, berlin, NOW)).toBe('2026-11-25T16:20:00.000Z')
    expect(shiftDue({ due_date: null }, { amount: 1, unit: 'week' }, berlin, NOW)).toBe('2026-12-02')
  })
})

describe('projects: a name is a project only when the user has one so named, or the words say "project"', () => {
  const PROJECTS = ['Groceries', 'Family', 'Errands', 'Work', 'Personal', 'Travel', 'Home & Garden', 'Einkaufen', 'Arbeit', 'Privat', 'Inbox']
  const withProjects = (cases: Case[]) => {
    for (const [text, expected] of cases) test(text, () => expect(readMessage(text, BERLIN, NOW, PROJECTS).request).toMatchObject(expected as never))
  }
  const into = (body: string, name: string, missing = false) => ({ kind: 'add', body, project: { name, missing } })
  describe('adding into one', () =>
    withProjects([
      ['add milk to Groceries', into('milk', 'Groceries')],
      ['add milk to groceries', into('milk', 'Groceries')],
      ['add call mom to my Family project', into('call mom', 'Family')],
      ['add book flights to the Family project', into('book flights', 'Family')],
      ['put buy stamps in Errands', into('buy stamps', 'Errands')],
      ['put eggs into the Groceries list', into('eggs', 'Groceries')],
      ['add seed potatoes to Home & Garden', into('seed potatoes', 'Home & Garden')],
      ['add milk to Groceries tomorrow 9am', into('milk tomorrow 9am', 'Groceries')],
      ['add pay rent to project Finance', into('pay rent', 'Finance', true)],
      ['add fix sink to the Home project', into('fix sink', 'Home', true)],
      ['füge Milch zu Einkaufen hinzu', into('Milch', 'Einkaufen')],
      ['trag Butter in Einkaufen ein', into('Butter', 'Einkaufen')],
      ['füge Brot zum Projekt Einkaufen hinzu', into('Brot', 'Einkaufen')],
    ]))
  describe('a name that is no project stays in the title', () => {
    test.each([
      ['add milk to the list', 'milk'],
      ['add send letter to grandma', 'send letter to grandma'],
      ['add a project review meeting', 'project review meeting'],
      ['put vet for rex on my list', 'vet for rex'],
      ['füge Brief an Oma zu Weihnachten hinzu', 'Brief an Oma zu Weihnachten'],
    ])('%s', (text, body) => expect(readMessage(text, BERLIN, NOW, PROJECTS).request).toEqual({ kind: 'add', body, remind: false }))
  })
  const listed = (name: string, more: Record<string, unknown>[] = []) => ({ kind: 'list', selection: { parts: [...more, { kind: 'project', name }], search: '' } })
  describe('listing and counting one', () =>
    withProjects([
      ["what's in Work?", listed('Work')],
      ['show my Work tasks', listed('Work')],
      ["what's in my Work project?", listed('Work')],
      ['show project Errands', listed('Errands')],
      ['show @project:Work', listed('Work')],
      ["what's overdue in Work", listed('Work', [{ kind: 'overdue' }])],
      ['anything overdue in Work?', listed('Work', [{ kind: 'overdue' }])],
      ['high priority tasks in Family', listed('Family', [{ kind: 'priority', level: 'high' }])],
      ["what's in my inbox", listed('Inbox')],
      ['was ist in Arbeit?', listed('Arbeit')],
      ['was steht in Arbeit an?', listed('Arbeit')],
      ['zeige Arbeit', listed('Arbeit')],
      ['how many tasks in Groceries', { kind: 'count', selection: { parts: [{ kind: 'project', name: 'Groceries' }], terms: ['@project:Groceries'] } }],
      ['how many tasks are in Errands', { kind: 'count', selection: { parts: [{ kind: 'project', name: 'Errands' }] } }],
      ['how many tasks in Home & Garden', { kind: 'count', selection: { terms: ['@project:"Home & Garden"'] } }],
      ['wie viele Aufgaben sind in Einkaufen', { kind: 'count', selection: { parts: [{ kind: 'project', name: 'Einkaufen' }] } }],
      ['show dentist', { kind: 'find', words: 'dentist' }],
    ]))
  const moved = (target: string, project: string, missing = false) => ({ kind: 'update', target, change: { kind: 'project', project, missing } })
  describe('moving into one', () =>
    withProjects([
      ['move dentist to Personal', moved('dentist', 'Personal')],
      ['move call mom to Family', moved('call mom', 'Family')],
      ['shift taxes into the Work project', moved('taxes', 'Work')],
      ['move dentist to project Health', moved('dentist', 'Health', true)],
      ['verschiebe Zahnarzt nach Privat', moved('Zahnarzt', 'Privat')],
      ['verschiebe Zahnarzt ins Projekt Privat', moved('Zahnarzt', 'Privat')],
      // A time is still a time.
      ['move dentist to friday', { kind: 'update', target: 'dentist', change: { kind: 'due', due: '2026-11-27' } }],
      ['verschiebe Zahnarzt auf Freitag', { kind: 'update', target: 'Zahnarzt', change: { kind: 'due' } }],
    ]))
  const project = (action: string, more: Record<string, unknown> = {}) => ({ kind: 'project', action, ...more })
  describe('making, renaming, archiving and deleting one', () =>
    withProjects([
      ['create a project Trips', project('create', { name: 'Trips' })],
      ['make a new project called Garden', project('create', { name: 'Garden' })],
      ['add a new project Garden', project('create', { name: 'Garden' })],
      ['new project: Reading', project('create', { name: 'Reading' })],
      ['start a Fitness project', project('create', { name: 'Fitness' })],
      ['erstelle ein Projekt Reisen', project('create', { name: 'Reisen' })],
      ['neues Projekt Urlaub', project('create', { name: 'Urlaub' })],
      ['rename project Travel to Trips', project('rename', { name: 'Travel', to: 'Trips' })],
      ['rename the Travel project to Holidays', project('rename', { name: 'Travel', to: 'Holidays' })],
      ['rename Travel to Trips', project('rename', { name: 'Travel', to: 'Trips' })],
      ['benenne Projekt Arbeit in Büro um', project('rename', { name: 'Arbeit', to: 'Büro' })],
      ['archive Groceries', project('archive', { name: 'Groceries' })],
      ['archive the Errands project', project('archive', { name: 'Errands' })],
      ['archiviere Einkaufen', project('archive', { name: 'Einkaufen' })],
      ['unarchive project Groceries', project('unarchive', { name: 'Groceries' })],
      ['delete project Travel', project('delete', { name: 'Travel' })],
      ['remove the project Travel', project('delete', { name: 'Travel' })],
      ['delete the Groceries list', project('delete', { name: 'Groceries' })],
      ['delete project Travel and its tasks', project('delete', { name: 'Travel', tasks: 'delete' })],
      ['delete the Travel project with all its tasks', project('delete', { name: 'Travel', tasks: 'delete' })],
      ['lösche Projekt Arbeit samt Aufgaben', project('delete', { name: 'Arbeit', tasks: 'delete' })],
      ['delete project Trips', project('missing', { name: 'Trips' })],
      ['list my projects', project('list')],
      ['what projects do I have', project('list')],
      ['zeige meine Projekte', project('list')],
    ]))
  describe('task requests that mention no project stay task requests', () =>
    withProjects([
      ['delete milk from my list', { kind: 'delete', target: 'milk' }],
      ['rename dentist to dentist at 3', { kind: 'update', target: 'dentist', change: { kind: 'title', title: 'dentist at 3' } }],
      ['archive old emails', { kind: 'unknown' }],
      ['restore the dentist', { kind: 'unknown' }],
    ]))
  test('without the projects, "add milk to Groceries" is a title', () => expect(read('add milk to Groceries')).toMatchObject({ kind: 'add', body: 'milk to Groceries' }))
})
