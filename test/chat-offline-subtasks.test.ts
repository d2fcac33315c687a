// The offline agent and a task with open subtasks: asked to complete it, it asks whether to complete them too or leave
// them open, reads the answer in English and German (a plain yes or no too), does it, says what it completed, and
// "undo" reopens it all. What a user would check afterwards is read back through the REST API.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readSubtaskAnswer } from '../src/chat/offline-subtasks'
import { testApp, type TestApp } from './helpers/app'
import { chatConversation } from './helpers/chat'

describe('reading the answer to "complete them too, or leave them open?"', () => {
  const pending = { ids: ['a'], titles: ['Plan the party'], open: [3] }
  test.each([
    ['complete them too', 'complete'], ['yes', 'complete'], ['yes, all of them', 'complete'], ['all', 'complete'], ['them too', 'complete'],
    ['complete the rest too', 'complete'], ['ja', 'complete'], ['alle', 'complete'], ['ja, alle', 'complete'], ['die auch', 'complete'],
    ['leave them', 'keep'], ['leave them open', 'keep'], ['just the parent', 'keep'], ['only the parent', 'keep'], ['keep them open', 'keep'],
    ['just the party', 'keep'], ['no', 'keep'], ['nein', 'keep'], ['nur die Aufgabe', 'keep'], ['nur die Hauptaufgabe', 'keep'], ['lass sie offen', 'keep'],
    ['nein, lass sie offen', 'keep'], ['offen lassen', 'keep'], ['cancel', 'cancel'], ['never mind', 'cancel'], ['abbrechen', 'cancel'],
  ])('"%s" is %s', (text, expected) => {
    expect(readSubtaskAnswer(text, pending)).toBe(expected as 'complete' | 'keep' | 'cancel')
  })

  test.each(['add buy balloons', 'show all tasks', 'complete buy milk', 'what is overdue', 'undo'])('"%s" is a new request, not an answer', (text) => {
    expect(readSubtaskAnswer(text, pending)).toBeUndefined()
  })
})

// Tuesday 1 December 2026, 10:00 in Berlin.
const NOW = new Date('2026-12-01T09:00:00Z')

describe('the offline agent completes a task with open subtasks as the user chooses', () => {
  let t: TestApp
  let tick = NOW.getTime()
  const clock = () => new Date((tick += 1000))
  let token: string

  const conversation = () => chatConversation(t, () => token)
  const add = async (title: string, parent?: string) => {
    const res = await t.call('POST', '/api/v1/tasks', { token, body: { title, ...(parent ? { parent_id: parent } : {}) } })
    expect(res.status).toBe(201)
    return res.body.id as string
  }
  const status = async (id: string) => (await t.call('GET', `/api/v1/tasks/${id}`, { token })).body.status as string
  const statuses = async (ids: readonly string[]) => Promise.all(ids.map(status))
  /** A parent and its subtasks, titled after `name`. */
  const tree = async (name: string, subtasks: readonly string[]) => {
    const parent = await add(name)
    const made: string[] = []
    for (const title of subtasks) made.push(await add(title, parent))
    return { parent, subtasks: made }
  }

  beforeAll(async () => {
    t = await testApp({ clock, env: { CHAT_MESSAGES_PER_MINUTE: '100000' } })
    token = (await t.signUp(undefined, { timezone: 'Europe/Berlin' })).token
  })
  afterAll(() => t.dispose())

  test('it asks first and changes nothing; "complete them too" completes them all, names them, and "undo" reopens them all', async () => {
    const trip = await tree('Plan trip', ['Book flights', 'Reserve hotel', 'Renew passport'])
    const say = conversation()
    expect((await say('complete plan trip')).reply).toBe('"Plan trip" has 3 open subtasks. Complete them too, or leave them open?')
    expect(await statuses([trip.parent, ...trip.subtasks])).toEqual(['pending', 'pending', 'pending', 'pending'])

    const done = await say('complete them too')
    expect(done.reply).toBe('Completed "Plan trip" and its 3 open subtasks: "Book flights", "Reserve hotel", "Renew passport". Say "undo" to reopen them.')
    expect(done.tool_calls.find((c) => c.name === 'complete_task' && c.ok)?.arguments).toMatchObject({ children: 'complete' })
    expect(await statuses([trip.parent, ...trip.subtasks])).toEqual(['completed', 'completed', 'completed', 'completed'])

    expect((await say('undo')).reply).toContain('Plan trip')
    expect(await statuses([trip.parent, ...trip.subtasks])).toEqual(['pending', 'pending', 'pending', 'pending'])
  })

  test('"just the parent" completes it alone and its subtasks stay open; undo reopens it', async () => {
    const house = await tree('Move house', ['Pack boxes', 'Cancel internet'])
    const say = conversation()
    await say("I'm done with move house")
    expect((await say('just the parent')).reply).toBe('Completed "Move house"; its 2 open subtasks stay open. Say "undo" to reopen it.')
    expect(await statuses([house.parent, ...house.subtasks])).toEqual(['completed', 'pending', 'pending'])
    await say('undo')
    expect(await status(house.parent)).toBe('pending')
  })

  test('a plain "yes" completes them too, a plain "no" leaves them open, "never mind" completes nothing', async () => {
    const party = await tree('Plan the party', ['Order the cake'])
    const yes = conversation()
    expect((await yes('finish plan the party')).reply).toBe('"Plan the party" has 1 open subtask. Complete it too, or leave it open?')
    await yes('yes')
    expect(await statuses([party.parent, ...party.subtasks])).toEqual(['completed', 'completed'])

    const garden = await tree('Fix the garden', ['Mow the lawn', 'Trim the hedge'])
    const no = conversation()
    await no('complete fix the garden')
    await no('no')
    expect(await statuses([garden.parent, ...garden.subtasks])).toEqual(['completed', 'pending', 'pending'])

    const car = await tree('Sell the car', ['Take photos'])
    const nevermind = conversation()
    await nevermind('complete sell the car')
    expect((await nevermind('never mind')).reply).toBe('OK, I cancelled that: nothing was changed.')
    expect(await statuses([car.parent, ...car.subtasks])).toEqual(['pending', 'pending'])
  })

  test('subtasks at any depth are counted and completed; one already done stays as it was after undo', async () => {
    const kitchen = await tree('Redo the kitchen', ['Pick tiles', 'Call the plumber'])
    const grandchild = await add('Compare tile prices', kitchen.subtasks[0])
    const done = await add('Measure the walls', kitchen.parent)
    await t.call('POST', `/api/v1/tasks/${done}/complete`, { token })
    const say = conversation()
    expect((await say('complete redo the kitchen')).reply).toBe('"Redo the kitchen" has 3 open subtasks. Complete them too, or leave them open?')
    expect((await say('yes, all of them')).reply).toContain('"Compare tile prices"')
    expect(await statuses([kitchen.parent, ...kitchen.subtasks, grandchild, done])).toEqual(['completed', 'completed', 'completed', 'completed', 'completed'])
    await say('undo')
    expect(await statuses([kitchen.parent, ...kitchen.subtasks, grandchild, done])).toEqual(['pending', 'pending', 'pending', 'pending', 'completed'])
  })

  test('a new request instead of an answer is carried out, and the task asked about stays open', async () => {
    const trip = await tree('Plan the hike', ['Buy boots'])
    const say = conversation()
    await say('complete plan the hike')
    expect((await say('add buy balloons')).reply).toBe('OK, I cancelled that: nothing was changed. Added "buy balloons".')
    expect(await statuses([trip.parent, ...trip.subtasks])).toEqual(['pending', 'pending'])
  })

  test('in German: it asks in German, and "alle", "nur die Aufgabe" and "nein, lass sie offen" are understood', async () => {
    const reise = await tree('Reise planen', ['Flüge buchen', 'Hotel reservieren'])
    const say = conversation()
    expect((await say('erledige Reise planen')).reply).toBe('"Reise planen" hat 2 offene Unteraufgaben. Sollen sie auch erledigt werden, oder bleiben sie offen?')
    expect((await say('alle')).reply).toBe('"Reise planen" und seine 2 offenen Unteraufgaben erledigt: "Flüge buchen", "Hotel reservieren". Sag "rückgängig", um sie wieder zu öffnen.')
    expect(await statuses([reise.parent, ...reise.subtasks])).toEqual(['completed', 'completed', 'completed'])

    const bad = await tree('Bad renovieren', ['Fliesen kaufen'])
    const alone = conversation()
    expect((await alone('Bad renovieren ist erledigt')).reply).toBe('"Bad renovieren" hat 1 offene Unteraufgabe. Soll sie auch erledigt werden, oder bleibt sie offen?')
    expect((await alone('nur die Aufgabe')).reply).toBe('"Bad renovieren" erledigt; seine offene Unteraufgabe bleibt offen. Sag "rückgängig", um es wieder zu öffnen.')
    expect(await statuses([bad.parent, ...bad.subtasks])).toEqual(['completed', 'pending'])

    const umzug = await tree('Umzug', ['Kartons packen'])
    const nein = conversation()
    await nein('erledige Umzug')
    await nein('nein, lass sie offen')
    expect(await statuses([umzug.parent, ...umzug.subtasks])).toEqual(['completed', 'pending'])
  })

  test('several tasks at once: those without open subtasks are completed, the others asked about', async () => {
    const plain = await add('Review notes A')
    const withSub = await tree('Review notes B', ['Read chapter 2'])
    const say = conversation()
    await say('complete all review notes')
    const asked = await say('yes')
    expect(asked.reply).toContain('Completed "Review notes A"')
    expect(asked.reply).toContain('"Review notes B" has 1 open subtask. Complete it too, or leave it open?')
    expect(await statuses([plain, withSub.parent])).toEqual(['completed', 'pending'])
    await say('leave it open')
    expect(await statuses([withSub.parent, ...withSub.subtasks])).toEqual(['completed', 'pending'])
  })
})
