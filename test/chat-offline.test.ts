// The offline agent (no model configured) and the text parser it shares with quick add: phrases and their effects.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { parseTaskText } from '../src/chat/parse'
import { testApp, type TestApp } from './helpers/app'

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

  test('delete: more than one needs "all"', async () => {
    await say('add old note one')
    await say('add old note two')
    const ask = await say('delete old note')
    expect(ask.reply).toMatch(/^That matches 2 tasks/)
    expect(ask.tool_calls.every((c: { name: string }) => c.name !== 'delete_task')).toBe(true)
    expect((await say('delete all old note')).reply).toBe('Deleted 2 tasks.')
    expect(await tasks('&search=old%20note')).toEqual([])
  })

  test('remind me about an existing task in 2 hours', async () => {
    const answer = await say('remind me about plumber in 2 hours')
    expect(answer.reply).toBe(`I'll remind you about "call the plumber" then.`)
    expect(answer.tool_calls.at(-1)).toMatchObject({ name: 'set_reminder', ok: true })
  })

  test('says plainly what it cannot do', async () => {
    const answer = await say('write me a poem about Tuesdays')
    expect(answer.reply).toMatch(/^Sorry, I can't do that without a language model/)
    expect(answer.tool_calls).toEqual([])
  })
})
