// Importing from Todoist's CSV export and from iCalendar to-dos: the readers, the report, idempotency, limits,
// and that one person's imports never touch another's.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import ICAL from 'ical.js'
import { sql } from 'drizzle-orm'
import { readCsv } from '../src/features/import/csv'
import { asTag, IMPORT_BYTES_MAX, IMPORT_ROWS_MAX } from '../src/features/import/model'
import { importTasks } from '../src/features/import/service'
import { readTodoist } from '../src/features/import/todoist'
import { contentLines, readIcs } from '../src/features/import/vtodo'
import { AppError } from '../src/lib/errors'
import { DEFAULT_QUOTAS } from '../src/lib/quotas'
import type { TaskDeps } from '../src/features/tasks/service'
import { testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'

const NOW = new Date('2026-12-02T10:00:00Z')
const ZONE = 'Europe/Berlin'
const fixture = (name: string) => Bun.file(new URL(`./fixtures/import/${name}`, import.meta.url)).text()

let t: TestApp
let deps: TaskDeps
beforeAll(async () => {
  t = await testApp({ clock: () => NOW })
  deps = { db: t.database.db, clock: () => NOW, quotas: DEFAULT_QUOTAS }
})
afterAll(() => t.dispose())

/** A new account in Berlin: its id and zone (the actor the service takes) and its token. */
async function person(timezone = ZONE) {
  const { token, user } = await t.signUp(undefined, { timezone })
  return { token, actor: { id: user.id, timezone: user.timezone } }
}

const tasksOf = async (token: string) => (await t.call('GET', '/api/v1/tasks?status=pending,completed&limit=100&sort=title', { token })).body.items as Array<Record<string, any>>

/** The failure `run` throws. */
async function failure(run: () => Promise<unknown>): Promise<AppError> {
  try {
    await run()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected a failure')
}

describe('reading CSV (RFC 4180)', () => {
  test('quoted fields keep commas, doubled quotes and line breaks; each record knows the line it starts on', () => {
    const records = readCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n\r\nlast,,\n')
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x, y', 'say "hi"', 'two\r\nlines'] },
      { line: 5, cells: ['last', '', ''] },
    ])
  })

  test(`more than ${IMPORT_ROWS_MAX} rows are refused, naming the file and the limit`, () => {
    const big = `TYPE,CONTENT\n${'task,x\n'.repeat(IMPORT_ROWS_MAX)}`
    expect(() => readCsv(big)).toThrow(`more than ${IMPORT_ROWS_MAX.toLocaleString('en')} rows`)
  })
})

describe('reading a Todoist export', () => {
  test('tasks, their @labels and section as tags, notes into the description, PRIORITY 4 as high, dates and repeats in the row zone', async () => {
    const read = await readTodoist(await fixture('todoist-project.csv'), ZONE, NOW)
    const byLine = Object.fromEntries(read.rows.map((r) => [r.line, r]))
    expect(byLine[3]!.fields).toEqual({ title: 'Plan the week', priority: 'high', due_date: '2026-12-07T08:00:00.000Z', recurrence: 'FREQ=WEEKLY;BYDAY=MO', tags: ['planning'] })
    // "every!" repeats from the completion in Todoist.
    expect(byLine[4]!.fields).toMatchObject({ title: 'Water the plants', priority: 'low', recurrence: 'FREQ=DAILY;INTERVAL=3', recurrence_from: 'completion' })
    expect(byLine[5]!.fields).toEqual({
      title: 'Pay rent',
      description: 'Transfer to the landlord, reference "Flat 4B"',
      priority: 'medium',
      due_date: '2027-01-01',
      recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1',
      tags: ['finance', 'home'],
    })
    expect(byLine[6]!.fields).toEqual({ title: 'Review quarterly goals', priority: 'low' })
    expect(byLine[6]!.notes).toEqual(['the repeat "every last friday" is not one this app follows; imported without a due date or repeat'])
    expect(byLine[9]!.fields).toEqual({
      title: 'Buy oat milk',
      description: 'Two cartons\nthe barista kind\n\nLidl has it cheaper\n\nOr the organic shop on Main St',
      priority: 'high',
      due_date: '2026-12-05',
      tags: ['errand', 'errands'],
    })
    // A sub-task (INDENT 2) is a task of its own; 17:30 in Berlin.
    expect(byLine[13]!.fields).toEqual({ title: 'Pick up the dry cleaning', priority: 'low', due_date: '2026-12-04T16:30:00.000Z', tags: ['errands'] })
    expect(byLine[17]!.notes).toEqual(['the date "sometime soonish" was not understood; imported without a due date'])
    // Two rows of the same content in one section are two tasks in Todoist: the second keys apart by its ordinal.
    expect(byLine[16]!.key).not.toBe(byLine[18]!.key)
    expect(read.skipped).toEqual([{ line: 19, reason: 'TYPE "label" is not task, section or note' }])
  })

  test('a DATE longer than a date is not read (a note says so); a CONTENT longer than a title is not searched for labels', async () => {
    const long = 'every monday at '.repeat(8_000)
    const started = performance.now()
    const read = await readTodoist(`TYPE,CONTENT,DATE\ntask,Long date,${long}\ntask,${'@x '.repeat(40_000)},\n`, ZONE, NOW)
    expect(performance.now() - started).toBeLessThan(500)
    expect(read.rows[0]!.fields).toEqual({ title: 'Long date' })
    expect(read.rows[0]!.notes).toEqual([`the date "${long.slice(0, 40)}…" is longer than 100 characters; imported without a due date`])
    expect(read.rows[1]!.fields.tags).toBeUndefined()
  })

  test('a large file is read in turns: other work on the server runs while it is read', async () => {
    const file = `TYPE,CONTENT,DATE\n${Array.from({ length: 1_000 }, (_, i) => `task,Row ${i},every monday at 9am until ${'next week '.repeat(9)}\n`).join('')}`
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    const read = await readTodoist(file, ZONE, NOW)
    clearInterval(timer)
    expect(read.rows).toHaveLength(1_000)
    expect(ticks).toBeGreaterThan(3)
  })

  test('a row keys by its section, its parent tasks and its ordinal among rows like it, not by its words alone', async () => {
    const file = [
      'TYPE,CONTENT,INDENT,DATE',
      'section,Kitchen,,', // 2
      'task,Clean,1,', // 3
      'task,Wipe,2,', // 4
      'section,Bath,,', // 5
      'task,Clean,1,', // 6
      'task,Wipe,2,', // 7
      'task,Clean,1,', // 8: a second "Clean" in Bath
      'task,Weekly review,1,every friday', // 9
    ].join('\n')
    const keys = (await readTodoist(file, ZONE, NOW)).rows.map((r) => r.key)
    expect(keys).toHaveLength(6)
    expect(new Set(keys).size).toBe(6)
    // Rows added elsewhere in the file leave a row's key as it was: the same project exported later imports once.
    const later = file.replace('section,Bath,,', 'task,Mop,1,\nsection,Bath,,')
    expect((await readTodoist(later, ZONE, NOW)).rows.map((r) => r.key)).toEqual(expect.arrayContaining(keys))
  })

  test('a file without the TYPE and CONTENT columns is refused, naming the file', async () => {
    await expect(readTodoist('Title,Due\nBuy milk,tomorrow\n', ZONE, NOW)).rejects.toThrow('file is not a Todoist CSV export')
    await expect(readTodoist('', ZONE, NOW)).rejects.toThrow('TYPE and CONTENT at least')
  })

  test('a note with no task above it is skipped with its line', async () => {
    const read = await readTodoist('TYPE,CONTENT\nnote,orphan\ntask,A\n', ZONE, NOW)
    expect(read.skipped).toEqual([{ line: 2, reason: 'a note with no task above it' }])
    expect(read.rows.map((r) => r.fields.title)).toEqual(['A'])
  })

  test('names become tags: lower-case, other characters one dash', () => {
    expect(asTag('Someday / Maybe')).toBe('someday-maybe')
    expect(asTag('Travel Expenses')).toBe('travel-expenses')
    expect(asTag('  ')).toBeUndefined()
  })
})

describe('reading iCalendar to-dos (RFC 5545)', () => {
  test('unfolds lines and reads quoted parameters', () => {
    const lines = contentLines('BEGIN:VTODO\r\nDESCRIPTION;ALTREP="cid:a;b:c":one \r\n two\r\n\tthree\r\nEND:VTODO\r\n')
    expect(lines[1]).toEqual({ line: 2, name: 'DESCRIPTION', params: { ALTREP: 'cid:a;b:c' }, value: 'one twothree' })
  })

  test('each VTODO: SUMMARY, folded DESCRIPTION, DUE in its TZID or as a day, PRIORITY, CATEGORIES, RRULE, COMPLETED', async () => {
    const read = readIcs(await fixture('tasks.ics'), NOW)
    const byLine = Object.fromEntries(read.rows.map((r) => [r.line, r]))
    // Unfolded, unescaped; 17:00 in Berlin; PRIORITY 1 is high; categories become tags.
    expect(byLine[22]!.fields.description).toBe('Receipts are in the shared folder, sorted by date. Attach the hotel invoice; the taxi receipts are optional.\nDeadline per finance: end of day.')
    expect(byLine[22]!.fields).toMatchObject({ title: 'Submit the travel expense report', priority: 'high', due_date: '2026-12-04T16:00:00.000Z', tags: ['work', 'travel-expenses'] })
    expect(byLine[41]!.fields).toEqual({ title: 'Weekly review', priority: 'medium', due_date: '2026-12-07', recurrence: 'FREQ=WEEKLY;BYDAY=MO', tags: ['planning'] })
    expect(byLine[50]!.fields).toMatchObject({ title: 'Renew passport', priority: 'low', due_date: '2026-11-10T12:00:00Z' })
    expect(byLine[50]!.completedAt).toEqual(new Date('2026-11-09T16:45:00Z'))
    expect(byLine[72]!.fields.due_date).toBe('2027-05-31T07:00:00.000Z')
    expect(read.skipped).toEqual([
      { line: 61, reason: 'cancelled (STATUS:CANCELLED)' },
      { line: 79, reason: 'a VEVENT (an event), not a to-do (VTODO)' },
    ])
  })

  test('reads the fixture as ical.js does (summaries, descriptions, categories)', async () => {
    const text = await fixture('tasks.ics')
    const theirs = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vtodo').filter((c) => c.getFirstPropertyValue('status') !== 'CANCELLED')
    const ours = readIcs(text, NOW).rows
    expect(ours.map((r) => r.fields.title)).toEqual(theirs.map((c) => String(c.getFirstPropertyValue('summary') ?? '')))
    expect(ours.map((r) => r.fields.description)).toEqual(theirs.map((c) => (c.getFirstPropertyValue('description') as string | null) ?? undefined))
  })

  test('a file that is not iCalendar is refused, naming the file', () => {
    expect(() => readIcs('SUMMARY:hello\n', NOW)).toThrow('file is not an iCalendar file')
  })

  test('a date the calendar does not have (month 13, hour 99) is a note, never a failure: COMPLETED keeps the to-do done, DUE is left out', () => {
    const ics = (props: string) => `BEGIN:VCALENDAR\nBEGIN:VTODO\nUID:bad\nSUMMARY:A\n${props}\nEND:VTODO\nEND:VCALENDAR\n`
    const done = readIcs(ics('STATUS:COMPLETED\nCOMPLETED:20241399T996099Z'), NOW).rows[0]!
    expect(done.completedAt).toEqual(NOW)
    expect(done.notes).toEqual(['COMPLETED "20241399T996099Z" is not a date; imported as completed now'])
    for (const due of ['DUE:20241399T996099Z', 'DUE;TZID=Europe/Berlin:20260231T090000', 'DUE:20260229', 'DUE:00000101T000000Z']) {
      const row = readIcs(ics(due), NOW).rows[0]!
      expect(row.fields.due_date).toBeUndefined()
      expect(row.notes[0]).toEndWith('is not a date; imported without a due date')
    }
  })

  test('a time zone it does not know reads the time in the user zone, with a note', () => {
    const read = readIcs('BEGIN:VCALENDAR\nBEGIN:VTODO\nUID:x\nSUMMARY:A\nDUE;TZID=W. Europe Standard Time:20261205T090000\nEND:VTODO\nEND:VCALENDAR\n', NOW)
    expect(read.rows[0]!.fields.due_date).toBe('2026-12-05T09:00:00')
    expect(read.rows[0]!.notes[0]).toContain('"W. Europe Standard Time" is not known here')
  })
})

describe('importing', () => {
  test('a Todoist export: the report names what was made, what was skipped and why; tasks, tags and events are there', async () => {
    const me = await person()
    const report = await importTasks(deps, me.actor, 'todoist-csv', await fixture('todoist-project.csv'))
    expect(report).toEqual({
      format: 'todoist-csv',
      created: 9,
      duplicates: 0,
      duplicate_rows: [],
      skipped: [
        { line: 14, reason: 'title must not be empty' },
        { line: 19, reason: 'TYPE "label" is not task, section or note' },
      ],
      notes: [
        { line: 6, note: 'the repeat "every last friday" is not one this app follows; imported without a due date or repeat' },
        { line: 17, note: 'the date "sometime soonish" was not understood; imported without a due date' },
      ],
    })
    const list = await tasksOf(me.token)
    expect(list.map((task) => task.title)).toEqual([
      'Buy oat milk',
      'Learn to juggle',
      'Learn to juggle',
      'Pay rent',
      'Pick up the dry cleaning',
      'Plan the week',
      'Read "Thinking in Systems"',
      'Review quarterly goals',
      'Water the plants',
    ])
    const milk = list.find((task) => task.title === 'Buy oat milk')!
    expect(milk).toMatchObject({ priority: 'high', all_day: true, due_day: '2026-12-05', tags: ['errand', 'errands'] })
    // Each created task wrote its task.created event in the same transaction.
    const [events] = await rows<{ n: number | string }>(t.database, sql`select count(*) as n from outbox_events where type = 'task.created' and event->'data'->>'user_id' = ${me.actor.id}`)
    expect(Number(events!.n)).toBe(9)
  })

  test('"Clean" under Kitchen and "Clean" under Bath are two tasks; again, each duplicate is listed with its line', async () => {
    const me = await person()
    const file = 'TYPE,CONTENT,INDENT\nsection,Kitchen,\ntask,Clean,1\nsection,Bath,\ntask,Clean,1\n'
    expect(await importTasks(deps, me.actor, 'todoist-csv', file)).toMatchObject({ created: 2, duplicates: 0, duplicate_rows: [] })
    expect(await importTasks(deps, me.actor, 'todoist-csv', file)).toMatchObject({
      created: 0,
      duplicates: 2,
      duplicate_rows: [{ line: 3, reason: 'imported before' }, { line: 5, reason: 'imported before' }],
    })
  })

  test('calendar to-dos without a UID key by their ordinal too; the same UID twice in one file is listed as a duplicate of the first', async () => {
    const me = await person()
    const todo = (props: string) => `BEGIN:VTODO\n${props}\nEND:VTODO\n`
    const file = `BEGIN:VCALENDAR\n${todo('SUMMARY:Call the bank\nDUE;VALUE=DATE:20261210')}${todo('SUMMARY:Call the bank\nDUE;VALUE=DATE:20261210')}${todo('UID:u-1\nSUMMARY:A')}${todo('UID:u-1\nSUMMARY:A again')}END:VCALENDAR\n`
    const report = await importTasks(deps, me.actor, 'ics', file)
    expect(report).toMatchObject({ created: 3, duplicates: 1, duplicate_rows: [{ line: 14, reason: 'the same to-do as line 10' }] })
  })

  test('the same file again creates nothing: every row is a duplicate', async () => {
    const me = await person()
    const text = await fixture('todoist-project.csv')
    await importTasks(deps, me.actor, 'todoist-csv', text)
    const again = await importTasks(deps, me.actor, 'todoist-csv', text)
    expect(again).toMatchObject({ created: 0, duplicates: 9, notes: [] })
    expect(again.duplicate_rows.map((d) => d.line)).toEqual([3, 4, 5, 6, 9, 13, 16, 17, 18])
    expect(again.duplicate_rows[0]!.reason).toBe('imported before')
    expect(await tasksOf(me.token)).toHaveLength(9)
  })

  test('a calendar file: to-dos made (one completed), the repeat this app cannot follow left out with a note; again, nothing new', async () => {
    const me = await person()
    const text = await fixture('tasks.ics')
    const report = await importTasks(deps, me.actor, 'ics', text)
    expect(report.created).toBe(4)
    expect(report.skipped).toEqual([
      { line: 61, reason: 'cancelled (STATUS:CANCELLED)' },
      { line: 67, reason: 'title must not be empty' },
      { line: 79, reason: 'a VEVENT (an event), not a to-do (VTODO)' },
    ])
    expect(report.notes).toHaveLength(1)
    expect(report.notes[0]!.line).toBe(72)
    expect(report.notes[0]!.note).toStartWith('its repeat was left out: recurrence must be DAILY, WEEKLY, MONTHLY or an RRULE')
    const list = await tasksOf(me.token)
    expect(list.find((task) => task.title === 'Renew passport')).toMatchObject({ status: 'completed', completed_at: '2026-11-09T16:45:00.000Z', recurrence: null })
    expect(list.find((task) => task.title === 'File the tax return')).toMatchObject({ recurrence: null, due_date: '2027-05-31T07:00:00.000Z' })
    expect(list.find((task) => task.title === 'Weekly review')).toMatchObject({ recurrence: 'FREQ=WEEKLY;BYDAY=MO', due_day: '2026-12-07' })
    expect(await importTasks(deps, me.actor, 'ics', text)).toMatchObject({ created: 0, duplicates: 4 })
  })

  test("another person's import of the same file is theirs: their own tasks, no duplicates against the first", async () => {
    const first = await person()
    const second = await person('America/New_York')
    const text = await fixture('tasks.ics')
    await importTasks(deps, first.actor, 'ics', text)
    expect(await importTasks(deps, second.actor, 'ics', text)).toMatchObject({ created: 4, duplicates: 0 })
    const firstIds = new Set((await tasksOf(first.token)).map((task) => task.id))
    const secondList = await tasksOf(second.token)
    expect(secondList).toHaveLength(4)
    expect(secondList.some((task) => firstIds.has(task.id))).toBe(false)
  })

  test('a UID already imported keeps its task even if the row changed; a file in the other format keys apart', async () => {
    const me = await person()
    const todo = (summary: string) => `BEGIN:VCALENDAR\nBEGIN:VTODO\nUID:same@x\nSUMMARY:${summary}\nEND:VTODO\nEND:VCALENDAR\n`
    expect(await importTasks(deps, me.actor, 'ics', todo('First'))).toMatchObject({ created: 1 })
    expect(await importTasks(deps, me.actor, 'ics', todo('Renamed'))).toMatchObject({ created: 0, duplicates: 1 })
    expect(await importTasks(deps, me.actor, 'todoist-csv', 'TYPE,CONTENT\ntask,First\n')).toMatchObject({ created: 1 })
  })

  test('a file over the size limit is refused with 413, naming the file and the limit', async () => {
    const me = await person()
    const error = await failure(() => importTasks(deps, me.actor, 'todoist-csv', `TYPE,CONTENT\n${'x'.repeat(IMPORT_BYTES_MAX)}`))
    expect(error.status).toBe(413)
    expect(error.field).toBe('file')
    expect(error.message).toContain('at most 1,000,000 bytes')
  })

  test('more tasks than the quota leaves room for: refused whole (409), nothing made, nothing keyed', async () => {
    const me = await person()
    const tight = { ...deps, quotas: { ...DEFAULT_QUOTAS, tasks: 2 } }
    const error = await failure(() => importTasks(tight, me.actor, 'todoist-csv', 'TYPE,CONTENT\ntask,A\ntask,B\ntask,C\n'))
    expect(error.status).toBe(409)
    expect(error.field).toBe('file')
    expect(await tasksOf(me.token)).toHaveLength(0)
    expect(await importTasks(deps, me.actor, 'todoist-csv', 'TYPE,CONTENT\ntask,A\ntask,B\ntask,C\n')).toMatchObject({ created: 3 })
  })

  test('two imports of the same file at once make each task once', async () => {
    const me = await person()
    const text = await fixture('tasks.ics')
    const [a, b] = await Promise.all([importTasks(deps, me.actor, 'ics', text), importTasks(deps, me.actor, 'ics', text)])
    expect(a.created + b.created).toBe(4)
    expect(await tasksOf(me.token)).toHaveLength(4)
  })
})
