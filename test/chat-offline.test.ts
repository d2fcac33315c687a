// The offline agent (no model configured) and the text parser it shares with quick add: phrases and their effects.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createApp } from '../src/app'
import { correctWord, editDistance, stem, titleScore } from '../src/chat/match'
import { HELP } from '../src/chat/offline'
import { parseTaskText } from '../src/features/tasks/parse-text'
import { loadEnv } from '../src/env'
import { createLogger } from '../src/lib/log'
import { testApp, type TestApp } from './helpers/app'
import { chatConversation } from './helpers/chat'

// Wednesday 25 November 2026, 15:20 in Berlin.
const NOW = new Date('2026-11-25T14:20:00Z')

describe('reading task text', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['call mum tomorrow 5pm !high #family', { title: 'call mum', priority: 'high', tags: ['family'], due_date: '2026-11-26T16:00:00.000Z' }],
    ['water plants every day at 8am', { title: 'water plants', recurrence: 'DAILY', due_date: '2026-11-26T07:00:00.000Z' }],
    ['standup every weekday 9:30', { title: 'standup', recurrence: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', due_date: '2026-11-26T08:30:00.000Z' }],
    ['team sync every monday 10am', { title: 'team sync', recurrence: 'FREQ=WEEKLY;BYDAY=MO', due_date: '2026-11-30T09:00:00.000Z' }],
    ['pay rent monthly on dec 1', { title: 'pay rent', recurrence: 'MONTHLY', due_day: '2026-12-01' }],
    ['gym next monday', { title: 'gym', due_day: '2026-11-30' }],
    ['review PR in 2 hours', { title: 'review PR', due_date: '2026-11-25T16:20:00.000Z' }],
    ['taxes in 3 days !low', { title: 'taxes', priority: 'low', due_day: '2026-11-28' }],
    ['dentist 2026-12-03 at 14:00 #health', { title: 'dentist', tags: ['health'], due_date: '2026-12-03T13:00:00.000Z' }],
    ['tonight read a book', { title: 'read a book', due_date: '2026-11-25T19:00:00.000Z' }],
    ['buy milk', { title: 'buy milk', tags: [] }],
    ['meeting at 9', { title: 'meeting', due_date: '2026-11-26T08:00:00.000Z' }],
    ['send invoice friday 17:00 !1 #work #Finance', { title: 'send invoice', priority: 'high', tags: ['work', 'finance'], due_date: '2026-11-27T16:00:00.000Z' }],
  ]
  for (const [text, expected] of cases) {
    test(text, () => {
      expect(parseTaskText(text, 'Europe/Berlin', NOW)).toMatchObject(expected)
    })
  }
  test('a day without a time is a day, with no time made up', () => {
    expect(parseTaskText('gym next monday', 'Europe/Berlin', NOW)).not.toHaveProperty('due_date')
  })
})

describe('matching words loosely', () => {
  test('plurals share a stem; a swap of two letters is one edit; short words forgive nothing', () => {
    expect(['groceries', 'grocery', 'boxes', 'calls', 'glass'].map(stem)).toEqual(['grocery', 'grocery', 'box', 'call', 'glass'])
    expect(editDistance('compelte', 'complete')).toBe(1)
    expect(correctWord('compelte', ['complete', 'delete'])).toBe('complete')
    expect(correctWord('delte', ['complete', 'delete'])).toBe('delete')
    expect(titleScore(['groceries'], 'Buy grocery')).toBe(1)
    expect(titleScore(['dentsit'], 'Dentist appointment')).toBeGreaterThan(0)
    expect(titleScore(['cat'], 'Call the bank')).toBe(0)
    expect(titleScore(['call', 'mum'], 'Call the plumber')).toBe(0)
  })
})

describe('the offline agent', () => {
  let t: TestApp
  let token: string
  const say = async (message: string) => (await t.call('POST', '/api/v1/chat', { token, body: { message } })).body
  const tasks = async (q = '') => (await t.call('GET', `/api/v1/tasks?limit=100${q}`, { token })).body.items as Array<Record<string, any>>

  beforeAll(async () => {
    t = await testApp()
    token = (await t.signUp(undefined, { timezone: 'Europe/Berlin' })).token
  })
  afterAll(() => t.dispose())

  test('answers as the offline agent when no model is configured', async () => {
    const answer = await say('hello')
    expect(answer.agent).toBe('offline')
    expect(answer.reply).toContain('I can add tasks')
  })

  test('add, with date, priority, tags and repeat', async () => {
    const answer = await say('add water the plants every day at 8am !low #home')
    expect(answer.reply).toMatch(/^Added "water the plants" \(due .+\), low priority, repeating, #home\.$/)
    expect((await tasks('&search=water'))[0]).toMatchObject({ priority: 'low', recurrence: 'DAILY', tags: ['home'] })
  })

  test('"remind me to …" adds the task and a reminder at its time', async () => {
    const answer = await say('remind me to call mum tomorrow at 5pm')
    expect(answer.tool_calls.map((c: { name: string }) => c.name)).toEqual(['add_task', 'set_reminder'])
    expect(answer.reply).toContain("I'll remind you then")
  })

  test('list, search and what is due', async () => {
    expect((await say('list')).reply).toContain('water the plants')
    expect((await say('find mum')).reply).toMatch(/^Found 1: "call mum"/)
    expect((await say('search for nothing-like-this')).reply).toBe('Nothing matches "nothing-like-this".')
  })

  test('complete: one match is completed, several ask which', async () => {
    await say('add call the plumber')
    expect((await say('done call')).reply).toMatch(/^Which one\?/)
    expect((await say('done call mum')).reply).toBe('Completed "call mum".')
    expect((await tasks('&search=mum'))[0]!.status).toBe('completed')
  })

  test('delete: more than one needs "all", and "all" asks first', async () => {
    await say('add old note one')
    await say('add old note two')
    const ask = await say('delete old note')
    expect(ask.reply).toMatch(/^That matches 2 tasks/)
    expect(ask.tool_calls.every((c: { name: string }) => c.name !== 'delete_task')).toBe(true)
    const all = await t.call('POST', '/api/v1/chat', { token, body: { message: 'delete all old note' } })
    expect(all.body.reply).toBe('Delete these 2 tasks: "old note one", "old note two"? Say yes or no.')
    expect(await tasks('&search=old%20note')).toHaveLength(2)
    const yes = await t.call('POST', '/api/v1/chat', { token, body: { message: 'yes', conversation_id: all.body.conversation_id } })
    expect(yes.body.reply).toBe('Deleted these 2 tasks: "old note one", "old note two".')
    expect(await tasks('&search=old%20note')).toEqual([])
  })

  test('remind me about an existing task in 2 hours', async () => {
    const answer = await say('remind me about plumber in 2 hours')
    expect(answer.reply).toBe(`I'll remind you about "call the plumber" then.`)
    expect(answer.tool_calls.at(-1)).toMatchObject({ name: 'set_reminder', ok: true })
  })

  test('a day without a time: the task is all-day, and its reminder goes off at 09:00 that day', async () => {
    const answer = await say('remind me to renew the passport tomorrow')
    expect(answer.tool_calls.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([['add_task', true], ['set_reminder', true]])
    const [task] = await tasks('&search=passport')
    const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(Date.now() + 86_400_000))
    expect(task).toMatchObject({ title: 'renew the passport', all_day: true, due_day: tomorrow })
    const remindAt = answer.tool_calls[1].result.remind_at as string
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(remindAt))).toBe('09:00')
    const about = await say('remind me about passport tomorrow')
    expect(about.reply).toBe(`I'll remind you about "renew the passport" then.`)
    expect(about.tool_calls.at(-1).result.remind_at).toBe(remindAt)
  })

  test('says plainly what it cannot do', async () => {
    const answer = await say('write me a poem about Tuesdays')
    expect(answer.reply).toMatch(/^Sorry, I can't do that without a language model/)
    expect(answer.tool_calls).toEqual([])
  })
})

describe('the offline agent asks before deleting or changing many, can undo, and finds tasks loosely', () => {
  let t: TestApp
  // The clock moves a second per reading, from Wednesday 25 November 2026 (Berlin): every change gets a new updated_at.
  let tick = NOW.getTime()
  const clock = () => new Date((tick += 1000))
  type Person = { token: string; id: string }
  let alice: Person
  let bob: Person

  /** One conversation of one person: each message continues it. */
  const conversation = (who: Person) => chatConversation(t, () => who.token)
  const add = async (who: Person, body: Record<string, unknown>) => (await t.call('POST', '/api/v1/tasks', { token: who.token, body })).body as Record<string, any>
  const get = (who: Person, id: string) => t.call('GET', `/api/v1/tasks/${id}`, { token: who.token })
  const all = async (who: Person, q = '') => (await t.call('GET', `/api/v1/tasks?limit=100${q}`, { token: who.token })).body.items as Array<Record<string, any>>
  const count = async (who: Person, q: string) => (await t.call('GET', `/api/v1/tasks?limit=1${q}`, { token: who.token })).body.total as number
  const titles = (items: Array<Record<string, any>>) => items.map((i) => i.title).sort()
  const writes = <C extends { name: string }>(calls: C[]) => calls.filter((c) => !['list_tasks', 'get_task'].includes(c.name))

  beforeAll(async () => {
    // Many messages a minute: the per-user chat limit is not what these tests are about.
    t = await testApp({ clock, events: true, env: { CHAT_MESSAGES_PER_MINUTE: '100000' } })
    const a = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
    const b = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
    alice = { token: a.token, id: a.user.id }
    bob = { token: b.token, id: b.user.id }
  })
  afterAll(() => t.dispose())

  test('"delete all call" names every match and waits; "yes" deletes exactly those; "undo" brings them back as they were', async () => {
    const mum = await add(alice, { title: 'Call mum', priority: 'high', tags: ['family'], due_date: '2026-11-28T17:00:00Z', description: 'about Sunday' })
    const others = [await add(alice, { title: 'call the bank' }), await add(alice, { title: 'Conference call notes' }), await add(alice, { title: 'call dentist' })]
    const { body: reminder } = await t.call('POST', `/api/v1/tasks/${mum.id}/reminders`, { token: alice.token, body: { lead: '1h' } })
    const reminderOf = async () => {
      const lists = await Promise.all(['upcoming', 'past'].map((when) => t.call('GET', `/api/v1/reminders?when=${when}&limit=100`, { token: alice.token })))
      return lists.flatMap((l) => l.body.items as Array<Record<string, any>>).find((r) => r.id === reminder.id)
    }
    const say = conversation(alice)

    const ask = await say('delete all call')
    expect(ask.reply).toBe('Delete these 4 tasks: "Call mum", "call the bank", "Conference call notes", "call dentist"? Say yes or no.')
    expect(writes(ask.tool_calls)).toEqual([])
    expect(titles(await all(alice, '&search=call'))).toHaveLength(4)

    const yes = await say('Yes')
    expect(yes.reply).toBe('Deleted these 4 tasks: "Call mum", "call the bank", "Conference call notes", "call dentist".')
    expect(writes(yes.tool_calls).map((c) => c.arguments.task_id).sort()).toEqual([mum.id, ...others.map((o) => o.id)].sort())
    expect(await all(alice, '&search=call')).toEqual([])
    await t.drain()
    expect((await reminderOf())?.status).toBe('cancelled')

    const undo = await say('undo')
    expect(undo.reply).toBe('Undone: restored "call dentist", "Conference call notes", "call the bank", "Call mum".')
    const back = await get(alice, mum.id)
    expect(back.body).toEqual(mum)
    expect(titles(await all(alice, '&search=call'))).toEqual(['Call mum', 'Conference call notes', 'call dentist', 'call the bank'])

    // The audit log shows each restore as such.
    await t.drain()
    const audit = (await t.call('GET', `/api/v1/audit?task_id=${mum.id}`, { token: alice.token })).body.items as Array<{ action: string }>
    expect(audit.map((e) => e.action).sort()).toEqual(['created', 'deleted', 'restored'])
    // Its reminder, cancelled by the delete, is back as it was.
    expect(await reminderOf()).toMatchObject({ status: 'pending', remind_at: '2026-11-28T16:00:00.000Z' })

    expect((await say('undo')).reply).toBe('Nothing to undo.')
    expect(titles(await all(alice, '&search=call'))).toHaveLength(4)
    for (const o of others) await t.call('DELETE', `/api/v1/tasks/${o.id}`, { token: alice.token })
  })

  test('another replica continues the conversation: asked on one, confirmed on another, undone on the first', async () => {
    const other = createApp({ env: loadEnv({ CHAT_MESSAGES_PER_MINUTE: '100000' }), database: t.database, log: createLogger('silent'), clock })
    const post = async (app: { handle: (r: Request) => Response | Promise<Response> }, message: string, conversation_id?: string) => {
      const res = await app.handle(
        new Request('http://localhost/api/v1/chat', {
          method: 'POST',
          headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ message, ...(conversation_id ? { conversation_id } : {}) }),
        }),
      )
      expect(res.status).toBe(200)
      return (await res.json()) as { reply: string; conversation_id: string }
    }
    const task = await add(alice, { title: 'Replica chore' })
    const ask = await post(t.app, 'delete replica chore')
    expect(ask.reply).toBe('Delete "Replica chore"? Say yes or no.')
    expect((await post(other, 'yes', ask.conversation_id)).reply).toBe('Deleted "Replica chore".')
    expect((await get(alice, task.id)).status).toBe(404)
    expect((await post(t.app, 'undo', ask.conversation_id)).reply).toBe('Undone: restored "Replica chore".')
    expect((await get(alice, task.id)).body.title).toBe('Replica chore')
    expect((await post(other, 'undo', ask.conversation_id)).reply).toBe('Nothing to undo.')
    await t.call('DELETE', `/api/v1/tasks/${task.id}`, { token: alice.token })
  })

  test('a single delete asks too; "no" cancels, and anything else cancels and is read as a new request', async () => {
    const task = await add(alice, { title: 'Water cactus' })
    const say = conversation(alice)
    expect((await say('delete water cactus')).reply).toBe('Delete "Water cactus"? Say yes or no.')
    expect((await say('no')).reply).toBe('OK, I cancelled that: nothing was changed.')
    expect((await get(alice, task.id)).status).toBe(200)
    // "yes" now answers nothing: the question was closed.
    expect((await say('yes')).reply).toMatch(/^Sorry/)
    expect((await say('remove cactus')).reply).toBe('Delete "Water cactus"? Say yes or no.')
    const moved = await say('list')
    expect(moved.reply).toMatch(/^OK, I cancelled that: nothing was changed\. Your open tasks: .*"Water cactus"/)
    expect((await say('yes')).reply).toMatch(/^Sorry/)
    expect((await get(alice, task.id)).status).toBe(200)
    for (const word of ['Y', 'ok', 'SURE', 'confirm', 'ja']) {
      const again = await add(alice, { title: `Confirm me ${word}` })
      await say(`delete confirm me ${word}`)
      expect((await say(word)).reply).toBe(`Deleted "Confirm me ${word}".`)
      expect((await get(alice, again.id)).status).toBe(404)
    }
    await t.call('DELETE', `/api/v1/tasks/${task.id}`, { token: alice.token })
  })

  test('"delete all Review" with 31 matches says 31 and deletes all 31; above 100 it says how many match and how many it will take', async () => {
    for (let i = 1; i <= 31; i++) await add(alice, { title: `Review chapter ${i}` })
    const say = conversation(alice)
    const ask = await say('delete all Review')
    expect(ask.reply).toStartWith('Delete these 31 tasks: "Review chapter 1", "Review chapter 2",')
    expect(ask.reply).toEndWith('"Review chapter 10" and 21 more? Say yes or no.')
    const yes = await say('yes')
    expect(yes.reply).toStartWith('Deleted these 31 tasks:')
    expect(yes.reply).not.toContain('still match')
    expect(await all(alice, '&search=review')).toEqual([])

    for (let i = 1; i <= 103; i++) await add(alice, { title: `Bulk item ${i}` })
    const big = await say('delete all bulk item')
    expect(big.reply).toStartWith('103 tasks match "bulk item"; I can change 100 at a time. Delete these 100 tasks: "Bulk item 1",')
    expect(big.reply).toEndWith('and 90 more? Say yes or no.')
    const done = await say('yes')
    expect(done.reply).toEndWith('3 more still match "bulk item".')
    expect(titles(await all(alice, '&search=bulk'))).toEqual(['Bulk item 101', 'Bulk item 102', 'Bulk item 103'])
    expect((await say('undo')).reply).toStartWith('Undone: restored "Bulk item 100", "Bulk item 99",')
    expect(await count(alice, '&search=bulk')).toBe(103)
    await say('delete all bulk item')
    await say('yes')
    await say('delete all bulk item')
    await say('yes')
    expect(await all(alice, '&search=bulk')).toEqual([])
  })

  test('"yes" acts on exactly the tasks named: one added since is left, one changed since is reported and left, one gone is reported', async () => {
    const [a, b, c] = [await add(alice, { title: 'Old draft A' }), await add(alice, { title: 'Old draft B' }), await add(alice, { title: 'Old draft C' })]
    const say = conversation(alice)
    expect((await say('delete all old draft')).reply).toBe('Delete these 3 tasks: "Old draft A", "Old draft B", "Old draft C"? Say yes or no.')
    const later = await add(alice, { title: 'Old draft D' })
    await t.call('PATCH', `/api/v1/tasks/${b.id}`, { token: alice.token, body: { title: 'Old draft B (keep!)' } })
    await t.call('DELETE', `/api/v1/tasks/${c.id}`, { token: alice.token })
    const yes = await say('yes')
    expect(yes.reply).toBe('Deleted "Old draft A". "Old draft C" was already gone. "Old draft B (keep!)" changed since I asked, so I left it alone.')
    expect((await get(alice, a.id)).status).toBe(404)
    expect((await get(alice, b.id)).body.title).toBe('Old draft B (keep!)')
    expect((await get(alice, later.id)).status).toBe(200)
    await say('delete all old draft')
    await say('yes')
  })

  test('"delete all completed tasks" takes the completed ones, after asking', async () => {
    const open = await add(alice, { title: 'Still open thing' })
    const done = [await add(alice, { title: 'Finished thing one' }), await add(alice, { title: 'Finished thing two' })]
    for (const d of done) await t.call('POST', `/api/v1/tasks/${d.id}/complete`, { token: alice.token })
    const say = conversation(alice)
    expect((await say('delete all completed tasks')).reply).toBe('Delete these 2 tasks: "Finished thing one", "Finished thing two"? Say yes or no.')
    expect((await say('yes')).reply).toBe('Deleted these 2 tasks: "Finished thing one", "Finished thing two".')
    expect(await all(alice, '&status=completed')).toEqual([])
    expect((await get(alice, open.id)).status).toBe(200)
    await t.call('DELETE', `/api/v1/tasks/${open.id}`, { token: alice.token })
  })

  test('matching survives plurals and typos: "mark groceries done", "compelte dentsit"; "mark … done" phrasing works; undo reopens', async () => {
    const grocery = await add(alice, { title: 'Buy grocery' })
    const dentist = await add(alice, { title: 'Dentist appointment' })
    const say = conversation(alice)
    expect((await say('mark groceries done')).reply).toBe('Completed "Buy grocery".')
    expect((await get(alice, grocery.id)).body.status).toBe('completed')
    expect((await say('undo')).reply).toBe('Undone: reopened "Buy grocery".')
    expect((await get(alice, grocery.id)).body.status).toBe('pending')
    expect((await say('compelte dentsit')).reply).toBe('Completed "Dentist appointment".')
    expect((await say('mark buy grocery as done')).reply).toBe('Completed "Buy grocery".')
    expect((await say('reopen groceries')).reply).toBe('Reopened "Buy grocery".')
    expect((await get(alice, grocery.id)).body.status).toBe('pending')
    expect((await say('mark dentist as not done')).reply).toBe('Reopened "Dentist appointment".')
    expect((await say('undo')).reply).toBe('Undone: completed again "Dentist appointment".')
    expect((await get(alice, dentist.id)).body.status).toBe('completed')
    await say('delete all grocery')
    await say('yes')
    await t.call('DELETE', `/api/v1/tasks/${dentist.id}`, { token: alice.token })
  })

  test('two equal matches: "Which one? 1. … 2. …", answered by number, "the first" or a word only one has', async () => {
    const mum = await add(alice, { title: 'Phone mum' })
    const plumber = await add(alice, { title: 'Phone the plumber' })
    const say = conversation(alice)
    expect((await say('done phone')).reply).toBe('Which one? 1. "Phone mum" 2. "Phone the plumber" (or say "complete all phone")')
    expect((await say('2')).reply).toBe('Completed "Phone the plumber".')
    await say('reopen plumber')
    await say('done phone')
    expect((await say('the first')).reply).toBe('Completed "Phone mum".')
    await say('reopen mum')
    // Not an answer: a new request.
    await say('done phone')
    expect((await say('list')).reply).toMatch(/^Your open tasks:/)
    expect((await get(alice, mum.id)).body.status).toBe('pending')
    expect((await get(alice, plumber.id)).body.status).toBe('pending')
    await say('delete phone')
    const ask = await say('plumber')
    expect(ask.reply).toBe('Delete "Phone the plumber"? Say yes or no.')
    expect((await say('yes')).reply).toBe('Deleted "Phone the plumber".')
    expect((await get(alice, plumber.id)).status).toBe(404)
    expect((await get(alice, mum.id)).body.status).toBe('pending')
    await t.call('DELETE', `/api/v1/tasks/${mum.id}`, { token: alice.token })
  })

  test('rename, postpone and move, each undone to the fields as they were', async () => {
    const task = await add(alice, { title: 'Dentist', due_date: '2026-11-26T10:00:00Z' })
    const say = conversation(alice)
    expect((await say('rename dentist to Dentist at 3')).reply).toBe('Renamed "Dentist" to "Dentist at 3".')
    expect((await get(alice, task.id)).body.title).toBe('Dentist at 3')
    expect((await say('undo')).reply).toBe('Undone: put back "Dentist".')
    expect((await get(alice, task.id)).body.title).toBe('Dentist')
    // A day without a time: all day on Friday 27 November (in Berlin).
    expect((await say('postpone dentist to friday')).reply).toBe('Moved "Dentist" to Fri 27 Nov.')
    expect((await get(alice, task.id)).body).toMatchObject({ all_day: true, due_day: '2026-11-27' })
    expect((await say('move dentist to 2026-12-03 at 9am')).reply).toBe('Moved "Dentist" to Thu 3 Dec, 09:00.')
    expect((await get(alice, task.id)).body).toMatchObject({ all_day: false, due_date: '2026-12-03T08:00:00.000Z' })
    // Undone, it is all-day on Friday again, not midnight.
    await say('undo')
    expect((await get(alice, task.id)).body).toMatchObject({ all_day: true, due_day: '2026-11-27' })
    // One step back only.
    expect((await say('undo')).reply).toBe('Nothing to undo.')
    expect((await say('move dentist to someday')).reply).toMatch(/^When to\?/)
    await t.call('DELETE', `/api/v1/tasks/${task.id}`, { token: alice.token })
  })

  test('priority, tags, moving by a span and reminders ahead: each done as said and undone to what it was', async () => {
    const fresh = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
    const dana = { token: fresh.token, id: fresh.user.id }
    const report = await add(dana, { title: 'Finish report', due_date: '2026-11-27T09:00:00Z', tags: ['q4', 'work'] })
    const passport = await add(dana, { title: 'Reisepass erneuern', due_date: '2026-12-09' })
    const say = conversation(dana)
    expect((await say('finish report is urgent')).reply).toBe('Set "Finish report" to high priority.')
    expect((await get(dana, report.id)).body.priority).toBe('high')
    expect((await say('undo')).reply).toBe('Undone: put back "Finish report".')
    expect((await get(dana, report.id)).body.priority).toBe('medium')
    expect((await say('remove the work tag from finish report')).reply).toBe('Removed #work from "Finish report".')
    expect((await get(dana, report.id)).body.tags).toEqual(['q4'])
    expect((await say('tag finish report with home and errands')).reply).toBe('Tagged "Finish report" #home #errands.')
    expect((await get(dana, report.id)).body.tags).toEqual(['q4', 'home', 'errands'])
    await say('undo')
    expect((await get(dana, report.id)).body.tags).toEqual(['q4'])
    // 10:00 in Berlin, pushed by a week across no DST change, stays 10:00; a day stays a day.
    expect((await say('push finish report back a week')).reply).toBe('Moved "Finish report" to Fri 4 Dec, 10:00.')
    expect((await get(dana, report.id)).body.due_date).toBe('2026-12-04T09:00:00.000Z')
    expect((await say('Reisepass eine Woche später')).reply).toBe('"Reisepass erneuern" auf Mi., 16. Dez. verschoben.')
    expect((await get(dana, passport.id)).body).toMatchObject({ all_day: true, due_day: '2026-12-16' })
    expect((await say('rückgängig')).reply).toBe('Rückgängig gemacht: "Reisepass erneuern" zurückgesetzt.')
    expect((await get(dana, passport.id)).body.due_day).toBe('2026-12-09')
    // A reminder ahead of the due date, and one at a time for a task that does not exist yet (it is added).
    expect((await say('remind me about the report 30 minutes before')).reply).toBe('I\'ll remind you about "Finish report" then.')
    const reminders = (await t.call('GET', `/api/v1/tasks/${report.id}/reminders`, { token: dana.token })).body.items as Array<Record<string, unknown>>
    expect(reminders.map((r) => r.remind_at)).toEqual(['2026-12-04T08:30:00.000Z'])
    expect((await say('erinnere mich an den Elternabend morgen um 19 Uhr')).reply).toBe('Hinzugefügt: "Elternabend" (fällig Do., 26. Nov., 19:00). Ich erinnere dich dann.')
    // Said again, the task is found, not added twice, and the new reminder is set on it.
    expect((await say('erinnere mich an den Elternabend morgen um 18 Uhr')).reply).toBe('Ich erinnere dich dann an "Elternabend".')
  })

  test('a bulk change by priority or tag names the tasks, waits for yes, and is undone in one step', async () => {
    const fresh = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
    const erin = { token: fresh.token, id: fresh.user.id }
    const low = [await add(erin, { title: 'Old note', priority: 'low' }), await add(erin, { title: 'Sort photos', priority: 'low', tags: ['old'] })]
    const keep = await add(erin, { title: 'Pay rent', priority: 'high', tags: ['old'] })
    const say = conversation(erin)
    expect((await say('remove the low priority ones')).reply).toBe('Delete these 2 tasks: "Old note", "Sort photos"? Say yes or no.')
    expect((await get(erin, low[0]!.id)).status).toBe(200)
    expect((await say('yes, delete them')).reply).toBe('Deleted these 2 tasks: "Old note", "Sort photos".')
    for (const task of low) expect((await get(erin, task.id)).status).toBe(404)
    // Undone in the reverse order of the change.
    expect((await say('no wait, undo that')).reply).toBe('Undone: restored "Sort photos", "Old note".')
    for (const task of low) expect((await get(erin, task.id)).status).toBe(200)
    expect((await say('delete everything tagged old')).reply).toBe('Delete these 2 tasks: "Sort photos", "Pay rent"? Say yes or no.')
    expect((await say('actually no, keep them')).reply).toBe('OK, I cancelled that: nothing was changed.')
    expect((await get(erin, keep.id)).status).toBe(200)
  })

  test('undo of an add deletes the task it added', async () => {
    const say = conversation(alice)
    expect((await say('add fix the bike')).reply).toBe('Added "fix the bike".')
    const id = (await all(alice, '&search=bike'))[0]!.id
    expect((await say('undo')).reply).toBe('Undone: removed "fix the bike".')
    expect((await get(alice, id)).status).toBe(404)
    expect((await say('rückgängig')).reply).toBe('Nothing to undo.')
  })

  test('overdue, high priority, how many, this week', async () => {
    const fresh = await t.signUp(undefined, { timezone: 'Europe/Berlin' })
    const carol = { token: fresh.token, id: fresh.user.id }
    await add(carol, { title: 'Late report', due_date: '2026-11-24T09:00:00Z', priority: 'high' })
    await add(carol, { title: 'Friday review', due_date: '2026-11-27T09:00:00Z' })
    await add(carol, { title: 'Next week plan', due_date: '2026-12-02T09:00:00Z', priority: 'high' })
    const done = await add(carol, { title: 'Already done' })
    await t.call('POST', `/api/v1/tasks/${done.id}/complete`, { token: carol.token })
    const say = conversation(carol)
    expect((await say('show overdue')).reply).toBe('Overdue: "Late report" (due Tue 24 Nov, 10:00).')
    expect((await say('show my high priority tasks')).reply).toBe('Your open high priority tasks: "Late report" (due Tue 24 Nov, 10:00); "Next week plan" (due Wed 2 Dec, 10:00).')
    expect((await say('how many tasks do I have?')).reply).toBe('You have 3 open tasks and 1 completed.')
    expect((await say('what do I have this week?')).reply).toBe('This week: "Friday review" (due Fri 27 Nov, 10:00).')
  })

  test("nobody acts on another's tasks: Bob cannot answer Alice's question, and Alice's yes and undo touch only hers", async () => {
    const hers = await add(alice, { title: 'Shared name chore' })
    const his = await add(bob, { title: 'Shared name chore' })
    const say = conversation(alice)
    const ask = await say('delete all shared name chore')
    expect(ask.reply).toBe('Delete "Shared name chore"? Say yes or no.')
    // Bob answering in Alice's conversation: not found, and nothing happens.
    const bobYes = await t.call('POST', '/api/v1/chat', { token: bob.token, body: { message: 'yes', conversation_id: ask.conversation_id } })
    expect(bobYes.status).toBe(404)
    expect((await get(alice, hers.id)).status).toBe(200)
    const bobUndo = await t.call('POST', '/api/v1/chat', { token: bob.token, body: { message: 'undo', conversation_id: ask.conversation_id } })
    expect(bobUndo.status).toBe(404)
    expect((await say('yes')).reply).toBe('Deleted "Shared name chore".')
    expect((await get(alice, hers.id)).status).toBe(404)
    expect((await get(bob, his.id)).body.title).toBe('Shared name chore')
    // Bob's own "undo" (in his conversation) has nothing to undo; Alice's restores hers only.
    expect((await conversation(bob)('undo')).reply).toBe('Nothing to undo.')
    expect((await get(alice, hers.id)).status).toBe(404)
    expect((await say('undo')).reply).toBe('Undone: restored "Shared name chore".')
    expect((await get(alice, hers.id)).status).toBe(200)
    expect((await get(bob, hers.id)).status).toBe(404)
    expect(titles(await all(bob, '&search=shared'))).toEqual(['Shared name chore'])
    // The agent's memory is not shown as a tool call.
    const stored = (await t.call('GET', `/api/v1/chat/${ask.conversation_id}`, { token: alice.token })).body as Array<{ tool_calls: Array<{ name: string }> }>
    expect(stored.flatMap((m) => m.tool_calls.map((c) => c.name)).filter((n) => !n.endsWith('_task') && n !== 'list_tasks')).toEqual([])
  })
})

describe('the offline agent reads everyday requests as a person means them, in English and German', () => {
  let t: TestApp
  // From Wednesday 25 November 2026, 15:20 in Berlin, a second per reading.
  let tick = NOW.getTime()
  const clock = () => new Date((tick += 1000))
  let token: string

  /** One conversation: each message continues it. */
  const conversation = () => chatConversation(t, () => token)
  const find = async (title: string) => ((await t.call('GET', `/api/v1/tasks?limit=100&search=${encodeURIComponent(title)}`, { token })).body.items as Array<Record<string, any>>).filter((i) => i.title === title)
  const one = async (title: string) => {
    const found = await find(title)
    expect(found).toHaveLength(1)
    return found[0]!
  }
  const get = (id: string) => t.call('GET', `/api/v1/tasks/${id}`, { token })
  const remindersOf = async (taskId: string) =>
    ((await t.call('GET', '/api/v1/reminders?when=upcoming&limit=100', { token })).body.items as Array<Record<string, any>>).filter((r) => r.task_id === taskId)

  beforeAll(async () => {
    t = await testApp({ clock, env: { CHAT_MESSAGES_PER_MINUTE: '100000' } })
    token = (await t.signUp(undefined, { timezone: 'Europe/Berlin' })).token
  })
  afterAll(() => t.dispose())

  test('a bare task is added ("buy eggs"); a bare command is still the command ("list", "undo", "help")', async () => {
    const say = conversation()
    expect((await say('buy eggs')).reply).toBe('Added "buy eggs".')
    const eggs = await one('buy eggs')
    expect(eggs).toMatchObject({ status: 'pending', due_date: null })
    expect((await say('list')).reply).toBe('Your open tasks: "buy eggs".')
    expect((await say('help')).reply).toBe(HELP)
    expect((await say('undo')).reply).toBe('Undone: removed "buy eggs".')
    expect((await get(eggs.id)).status).toBe(404)
    for (const word of ['list', 'undo', 'help']) expect(await find(word)).toEqual([])
    // Questions and small talk are not tasks.
    for (const text of ['thanks', 'what is the weather like?', 'can you sing', 'please write a short story about a dragon who learns to fly over the mountains']) {
      const answer = await say(text)
      expect(answer.reply).toStartWith("Sorry, I can't do that without a language model.")
      expect(answer.tool_calls).toEqual([])
    }
  })

  test('"ad buy batteries" is a typo of add', async () => {
    const say = conversation()
    expect((await say('ad buy batteries')).reply).toBe('Added "buy batteries".')
    await one('buy batteries')
  })

  test('"every other Monday water plants": the repeat phrase first, then the task', async () => {
    const answer = await conversation()('every other Monday water plants')
    expect(answer.reply).toBe('Added "water plants" (due Mon 30 Nov), repeating.')
    expect(await one('water plants')).toMatchObject({ recurrence: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', all_day: true, due_day: '2026-11-30' })
  })

  test('"add Pay bills on the 1st of every month": monthly on the 1st, all-day', async () => {
    const answer = await conversation()('add Pay bills on the 1st of every month')
    expect(answer.reply).toBe('Added "Pay bills" (due Tue 1 Dec), repeating.')
    expect(await one('Pay bills')).toMatchObject({ recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1', all_day: true, due_day: '2026-12-01' })
  })

  test('"remind me to call mum tomorrow at 5pm, high priority": the task at 17:00, high priority, and a reminder at 17:00', async () => {
    const answer = await conversation()('remind me to call mum tomorrow at 5pm, high priority')
    expect(answer.reply).toBe(`Added "call mum" (due Thu 26 Nov, 17:00), high priority. I'll remind you then.`)
    const task = await one('call mum')
    expect(task).toMatchObject({ priority: 'high', all_day: false, due_date: '2026-11-26T16:00:00.000Z' })
    expect((await remindersOf(task.id)).map((r) => r.remind_at)).toEqual(['2026-11-26T16:00:00.000Z'])
  })

  test('"cancel the dentist" deletes it, after asking', async () => {
    const { body: dentist } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Dentist' } })
    const say = conversation()
    expect((await say('cancel the dentist')).reply).toBe('Delete "Dentist"? Say yes or no.')
    expect((await get(dentist.id)).status).toBe(200)
    expect((await say('yes')).reply).toBe('Deleted "Dentist".')
    expect((await get(dentist.id)).status).toBe(404)
  })

  test('"move the dentist to Friday" and "postpone tax return to next monday": all day on that day, undone to the time it had', async () => {
    const { body: dentist } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Dentist appointment', due_date: '2026-11-26T09:00:00Z' } })
    const { body: taxes } = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Tax return' } })
    const say = conversation()
    expect((await say('move the dentist to Friday')).reply).toBe('Moved "Dentist appointment" to Fri 27 Nov.')
    expect((await get(dentist.id)).body).toMatchObject({ all_day: true, due_day: '2026-11-27' })
    expect((await say('undo')).reply).toBe('Undone: put back "Dentist appointment".')
    expect((await get(dentist.id)).body).toMatchObject({ all_day: false, due_date: '2026-11-26T09:00:00.000Z' })
    expect((await say('postpone tax return to next monday')).reply).toBe('Moved "Tax return" to Mon 30 Nov.')
    expect((await get(taxes.id)).body).toMatchObject({ all_day: true, due_day: '2026-11-30' })
  })

  test('German end to end: add with a reminder, add, list, today, complete, move, undo, delete after asking; replies in German', async () => {
    const say = conversation()
    const remind = await say('Erinnere mich morgen um 10 Uhr an den Zahnarzt')
    expect(remind.reply).toBe('Hinzugefügt: "Zahnarzt" (fällig Do., 26. Nov., 10:00). Ich erinnere dich dann.')
    const zahnarzt = await one('Zahnarzt')
    expect(zahnarzt).toMatchObject({ all_day: false, due_date: '2026-11-26T09:00:00.000Z' })
    expect((await remindersOf(zahnarzt.id)).map((r) => r.remind_at)).toEqual(['2026-11-26T09:00:00.000Z'])

    expect((await say('füge Brot kaufen morgen hinzu')).reply).toBe('Hinzugefügt: "Brot kaufen" (fällig Do., 26. Nov.).')
    expect(await one('Brot kaufen')).toMatchObject({ all_day: true, due_day: '2026-11-26' })
    expect((await say('neue Aufgabe Milch kaufen morgen')).reply).toBe('Hinzugefügt: "Milch kaufen" (fällig Do., 26. Nov.).')
    expect(await one('Milch kaufen')).toMatchObject({ all_day: true, due_day: '2026-11-26' })

    expect((await say('was steht heute an')).reply).toBe('Heute ist nichts fällig.')
    expect((await say('füge Müll rausbringen heute hinzu')).reply).toBe('Hinzugefügt: "Müll rausbringen" (fällig Mi., 25. Nov.).')
    expect((await say('was steht heute an')).reply).toBe('Heute fällig: "Müll rausbringen" (fällig Mi., 25. Nov.).')
    const listed = (await say('zeige meine Aufgaben')).reply
    expect(listed).toStartWith('Deine offenen Aufgaben: ')
    for (const title of ['Zahnarzt', 'Brot kaufen', 'Milch kaufen', 'Müll rausbringen']) expect(listed).toContain(`"${title}"`)

    expect((await say('Zahnarzt erledigt')).reply).toBe('"Zahnarzt" erledigt.')
    expect((await get(zahnarzt.id)).body.status).toBe('completed')
    expect((await say('rückgängig')).reply).toBe('Rückgängig gemacht: "Zahnarzt" wieder geöffnet.')
    expect((await get(zahnarzt.id)).body.status).toBe('pending')
    expect((await say('erledige Brot kaufen')).reply).toBe('"Brot kaufen" erledigt.')
    expect((await one('Brot kaufen')).status).toBe('completed')
    expect((await one('Milch kaufen')).status).toBe('pending')

    expect((await say('verschiebe Zahnarzt auf Freitag')).reply).toBe('"Zahnarzt" auf Fr., 27. Nov. verschoben.')
    expect((await get(zahnarzt.id)).body).toMatchObject({ all_day: true, due_day: '2026-11-27' })
    expect((await say('rückgängig')).reply).toBe('Rückgängig gemacht: "Zahnarzt" zurückgesetzt.')
    expect((await get(zahnarzt.id)).body).toMatchObject({ all_day: false, due_date: '2026-11-26T09:00:00.000Z' })
    expect((await say('rückgängig')).reply).toBe('Es gibt nichts rückgängig zu machen.')

    expect((await say('lösche Zahnarzt')).reply).toBe('"Zahnarzt" löschen? Sag ja oder nein.')
    expect((await say('nein')).reply).toBe('OK, abgebrochen: nichts wurde geändert.')
    expect((await get(zahnarzt.id)).status).toBe(200)
    expect((await say('lösche Zahnarzt')).reply).toBe('"Zahnarzt" löschen? Sag ja oder nein.')
    expect((await say('ja')).reply).toBe('"Zahnarzt" gelöscht.')
    expect((await get(zahnarzt.id)).status).toBe(404)
    expect((await say('rückgängig')).reply).toBe('Rückgängig gemacht: "Zahnarzt" wiederhergestellt.')
    expect((await get(zahnarzt.id)).status).toBe(200)

    expect((await say('hilfe')).reply).toStartWith('Ich kann Aufgaben anlegen')
  })

  test('German with articles and other phrasings: "den Zahnarzt", "Aufgabe … erledigt", "hake … ab", "was steht morgen an", "lösche alle erledigten Aufgaben"', async () => {
    const own = (await t.signUp(undefined, { timezone: 'Europe/Berlin' })).token
    let id: string | undefined
    const say = async (message: string) => {
      const res = await t.call('POST', '/api/v1/chat', { token: own, body: { message, ...(id ? { conversation_id: id } : {}) } })
      id = res.body.conversation_id
      return res.body.reply as string
    }
    const titled = async (title: string) => ((await t.call('GET', `/api/v1/tasks?limit=100&search=${encodeURIComponent(title)}`, { token: own })).body.items as Array<Record<string, any>>).find((i) => i.title === title)
    expect(await say('Erinnere mich an den Zahnarzt morgen um 10')).toBe('Hinzugefügt: "Zahnarzt" (fällig Do., 26. Nov., 10:00). Ich erinnere dich dann.')
    expect(await say('füge Brot kaufen Freitag hinzu')).toBe('Hinzugefügt: "Brot kaufen" (fällig Fr., 27. Nov.).')
    expect(await say('was steht morgen an')).toBe('Fällig am Do., 26. Nov.: "Zahnarzt" (fällig Do., 26. Nov., 10:00).')
    expect(await say('what is due on friday?')).toBe('Due Fri 27 Nov: "Brot kaufen" (due Fri 27 Nov).')
    expect(await say('verschiebe den Zahnarzt auf morgen 9 Uhr')).toBe('"Zahnarzt" auf Do., 26. Nov., 09:00 verschoben.')
    expect((await titled('Zahnarzt'))!.due_date).toBe('2026-11-26T08:00:00.000Z')
    expect(await say('füge Brot backen hinzu')).toBe('Hinzugefügt: "Brot backen".')
    expect(await say('lösche Brot')).toBe('Das passt auf 2 Aufgaben. Welche? 1. "Brot backen" 2. "Brot kaufen" (fällig Fr., 27. Nov.) (oder sag "lösche alle Brot")')
    expect(await say('die erste')).toBe('"Brot backen" löschen? Sag ja oder nein.')
    expect(await say('ja')).toBe('"Brot backen" gelöscht.')
    expect(await titled('Brot backen')).toBeUndefined()
    expect(await say('Aufgabe Zahnarzt erledigt')).toBe('"Zahnarzt" erledigt.')
    expect(await say('hake Brot kaufen ab')).toBe('"Brot kaufen" erledigt.')
    // A command word alone is not a task.
    expect(await say('erledigt')).toStartWith('Das kann ich ohne Sprachmodell leider nicht.')
    expect(await titled('erledigt')).toBeUndefined()
    expect(await say('lösche alle erledigten Aufgaben')).toBe('Diese 2 Aufgaben ("Zahnarzt", "Brot kaufen") löschen? Sag ja oder nein.')
    expect(await say('ja')).toBe('Diese 2 Aufgaben ("Zahnarzt", "Brot kaufen") gelöscht.')
    expect((await t.call('GET', '/api/v1/tasks?limit=1', { token: own })).body.total).toBe(0)
  })

  test('Spanish: "añadir comprar pan mañana" adds "comprar pan" for tomorrow, all-day', async () => {
    expect((await conversation()('añadir comprar pan mañana')).reply).toBe('Added "comprar pan" (due Thu 26 Nov).')
    expect(await one('comprar pan')).toMatchObject({ all_day: true, due_day: '2026-11-26' })
  })
})
