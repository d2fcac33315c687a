// The offline agent and projects: adding into one, listing and counting one, moving tasks between them, making,
// renaming, archiving and deleting them (asking first), undoing its changes, in English and German, and never
// reaching another user's projects. What a user would check afterwards is read back through the REST API.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { testApp, type TestApp } from './helpers/app'
import { chatConversation } from './helpers/chat'

// Wednesday 25 November 2026, 15:20 in Berlin.
const NOW = new Date('2026-11-25T14:20:00Z')

describe('the offline agent understands projects', () => {
  let t: TestApp
  let tick = NOW.getTime()
  const clock = () => new Date((tick += 1000))
  let token: string
  let projects: Record<string, string>

  /** One conversation: each message continues it. */
  const conversation = (as = () => token) => chatConversation(t, as)
  const makeProject = async (name: string, as = token) => {
    const res = await t.call('POST', '/api/v1/projects', { token: as, body: { name } })
    expect(res.status).toBe(201)
    return res.body.id as string
  }
  const addTask = async (title: string, project?: string, extra: Record<string, unknown> = {}) =>
    (await t.call('POST', '/api/v1/tasks', { token, body: { title, ...(project ? { project_id: projects[project] } : {}), ...extra } })).body as Record<string, any>
  const titled = async (title: string, as = token) => ((await t.call('GET', `/api/v1/tasks?limit=100&search=${encodeURIComponent(title)}`, { token: as })).body.items as Array<Record<string, any>>).filter((i) => i.title === title)
  const one = async (title: string) => {
    const found = await titled(title)
    expect(found).toHaveLength(1)
    return found[0]!
  }
  const projectList = async (as = token) => (await t.call('GET', '/api/v1/projects?archived=true', { token: as })).body.items as Array<{ id: string; name: string; archived: boolean; is_inbox: boolean }>
  const inbox = async () => (await projectList()).find((p) => p.is_inbox)!.id

  beforeAll(async () => {
    t = await testApp({ clock, env: { CHAT_MESSAGES_PER_MINUTE: '100000' } })
    token = (await t.signUp(undefined, { timezone: 'Europe/Berlin' })).token
    projects = {}
    for (const name of ['Groceries', 'Family', 'Errands', 'Work', 'Personal', 'Einkaufen', 'Arbeit', 'Privat']) projects[name] = await makeProject(name)
  })
  afterAll(() => t.dispose())

  test('"add milk to Groceries", "add call mom to my Family project", "put buy stamps in Errands" add into those projects', async () => {
    const say = conversation()
    expect((await say('add milk to Groceries')).reply).toBe('Added "milk" to Groceries.')
    expect((await one('milk')).project_id).toBe(projects.Groceries)
    expect((await say('add call mom to my Family project tomorrow')).reply).toBe('Added "call mom" (due Thu 26 Nov) to Family.')
    expect(await one('call mom')).toMatchObject({ project_id: projects.Family, due_day: '2026-11-26' })
    await say('put buy stamps in Errands')
    expect((await one('buy stamps')).project_id).toBe(projects.Errands)
  })

  test('"add oat milk to the list" and "add letter to grandma" go to the Inbox with their words as said', async () => {
    const say = conversation()
    await say('add oat milk to the list')
    expect((await one('oat milk')).project_id).toBe(await inbox())
    expect((await say('add letter to grandma')).reply).toBe('Added "letter to grandma".')
    expect((await one('letter to grandma')).project_id).toBe(await inbox())
  })

  test('"add pay rent to project Finance": no such project, nothing added; "yes" makes it and adds the task; "undo" takes both back', async () => {
    const say = conversation()
    const asked = await say('add pay rent to project Finance')
    expect(asked.reply).toBe('You have no project "Finance". Say yes to create it and add "pay rent" there, or say where else it goes.')
    expect(await titled('pay rent')).toEqual([])
    expect((await projectList()).map((p) => p.name)).not.toContain('Finance')
    expect((await say('yes')).reply).toBe('Created the project "Finance". Added "pay rent" to Finance.')
    const finance = (await projectList()).find((p) => p.name === 'Finance')!
    expect((await one('pay rent')).project_id).toBe(finance.id)
    expect((await say('undo')).reply).toBe('Undone: removed "pay rent"; removed the project "Finance".')
    expect(await titled('pay rent')).toEqual([])
    expect((await projectList()).map((p) => p.name)).not.toContain('Finance')
  })

  test('"what\'s in Work?", "show my Work tasks", "what\'s overdue in Work" list that project only; "how many tasks in Groceries" counts it', async () => {
    await addTask('write memo', 'Work', { due_date: '2026-12-02' })
    await addTask('invoice client', 'Work', { due_date: '2026-11-20' })
    await addTask('pay fine', undefined, { due_date: '2026-11-19' })
    const say = conversation()
    const inWork = (await say("what's in Work?")).reply
    expect(inWork).toStartWith('In Work: ')
    expect(inWork).toContain('"write memo"')
    expect(inWork).toContain('"invoice client"')
    expect(inWork).not.toContain('pay fine')
    expect((await say('show my Work tasks')).reply).toBe(inWork)
    expect((await say("what's overdue in Work")).reply).toBe('Overdue, in Work: "invoice client" (due Fri 20 Nov).')
    expect((await say('show @project:Work')).reply).toBe(inWork)
    expect((await say('how many tasks in Groceries')).reply).toBe('In Groceries: 1 task.')
  })

  test('"move dentist to Personal" moves it and "undo" moves it back; "move dentist to friday" is still a date', async () => {
    const dentist = await addTask('dentist', undefined, { due_date: '2026-11-26' })
    const say = conversation()
    expect((await say('move dentist to Personal')).reply).toBe('Moved "dentist" to Personal.')
    expect((await one('dentist')).project_id).toBe(projects.Personal)
    expect((await say('undo')).reply).toBe('Undone: put back "dentist".')
    expect((await one('dentist')).project_id).toBe(dentist.project_id)
    await say('move dentist to friday')
    expect(await one('dentist')).toMatchObject({ due_day: '2026-11-27', project_id: dentist.project_id })
  })

  test('"move dentist to project Health": no such project; "yes" makes it and moves the task there', async () => {
    await addTask('physio')
    const say = conversation()
    expect((await say('move physio to project Health')).reply).toBe('You have no project "Health". Say yes to create it and move "physio" there.')
    expect((await say('yes')).reply).toBe('Created the project "Health". Moved "physio" to Health.')
    const health = (await projectList()).find((p) => p.name === 'Health')!
    expect((await one('physio')).project_id).toBe(health.id)
  })

  test('"create a project Travel", "rename project Travel to Trips", "archive Trips": each done, and each undone by "undo"', async () => {
    const say = conversation()
    expect((await say('create a project Travel')).reply).toBe('Created the project "Travel".')
    expect((await say('undo')).reply).toBe('Undone: removed the project "Travel".')
    expect((await projectList()).map((p) => p.name)).not.toContain('Travel')
    await say('create a project Travel')
    expect((await say('rename project Travel to Trips')).reply).toBe('Renamed the project "Travel" to "Trips".')
    expect((await projectList()).map((p) => p.name)).toContain('Trips')
    expect((await say('undo')).reply).toBe('Undone: put back the project "Trips".')
    expect((await projectList()).map((p) => p.name)).toContain('Travel')
    expect((await say('archive Travel')).reply).toStartWith('Archived the project "Travel"')
    expect((await projectList()).find((p) => p.name === 'Travel')).toMatchObject({ archived: true })
    await say('undo')
    expect((await projectList()).find((p) => p.name === 'Travel')).toMatchObject({ archived: false })
  })

  test('"delete project Trips" asks first and says its tasks move to the Inbox; "yes" does it; "… and its tasks" deletes them too', async () => {
    const trips = await makeProject('Trips')
    await addTask('pack bags', undefined, { project_id: trips })
    await addTask('renew passport', undefined, { project_id: trips })
    const say = conversation()
    expect((await say('delete project Trips')).reply).toBe('Delete the project "Trips"? Its 2 tasks will move to the Inbox (to delete them too, say "delete project Trips and its tasks"). Say yes or no.')
    expect((await say('no')).reply).toBe('OK, I cancelled that: nothing was changed.')
    expect((await projectList()).map((p) => p.name)).toContain('Trips')
    await say('delete project Trips')
    expect((await say('yes')).reply).toBe('Deleted the project "Trips"; its 2 tasks moved to the Inbox.')
    expect((await projectList()).map((p) => p.name)).not.toContain('Trips')
    expect((await one('pack bags')).project_id).toBe(await inbox())

    const camping = await makeProject('Camping')
    await addTask('buy tent', undefined, { project_id: camping })
    expect((await say('delete the Camping project and its tasks')).reply).toBe('Delete the project "Camping" and its task? Deleted tasks can be restored from the trash for 30 days. Say yes or no.')
    expect((await say('yes')).reply).toBe('Deleted the project "Camping" and its task.')
    expect(await titled('buy tent')).toEqual([])
    expect((await say('delete project Inbox')).reply).toBe('I could not do that: the Inbox cannot be deleted.')
  })

  test('"delete project report" with no such project but such a task deletes the task (after asking)', async () => {
    await addTask('project report')
    const say = conversation()
    expect((await say('delete project report')).reply).toBe('Delete "project report"? Say yes or no.')
    await say('yes')
    expect(await titled('project report')).toEqual([])
  })

  test('German: "füge Milch zu Einkaufen hinzu", "was ist in Arbeit?", "verschiebe Zahnarzt nach Privat", "erstelle ein Projekt Reisen"', async () => {
    const say = conversation()
    expect((await say('füge Milch zu Einkaufen hinzu')).reply).toBe('Hinzugefügt: "Milch" in Einkaufen.')
    expect((await one('Milch')).project_id).toBe(projects.Einkaufen)
    await addTask('Bericht', 'Arbeit')
    await addTask('Katze füttern')
    const arbeit = (await say('was ist in Arbeit?')).reply
    expect(arbeit).toContain('"Bericht"')
    expect(arbeit).not.toContain('Katze')
    await addTask('Zahnarzt')
    expect((await say('verschiebe Zahnarzt nach Privat')).reply).toBe('"Zahnarzt" nach Privat verschoben.')
    expect((await one('Zahnarzt')).project_id).toBe(projects.Privat)
    expect((await say('erstelle ein Projekt Reisen')).reply).toBe('Projekt "Reisen" angelegt.')
    expect((await projectList()).map((p) => p.name)).toContain('Reisen')
  })

  test("another user's project of the same name is never reached: Bob's Hobbies is no project of Alice's", async () => {
    const bob = (await t.signUp(undefined, { timezone: 'Europe/Berlin' })).token
    const bobs = await makeProject('Hobbies', bob)
    await t.call('POST', '/api/v1/tasks', { token: bob, body: { title: 'paint miniatures', project_id: bobs } })
    const say = conversation()
    expect((await say('add glue to Hobbies')).reply).toBe('Added "glue to Hobbies".')
    expect((await one('glue to Hobbies')).project_id).toBe(await inbox())
    expect((await say('what is in Hobbies')).reply).not.toContain('paint miniatures')
    expect((await say('delete project Hobbies')).reply).toStartWith('You have no project "Hobbies".')
    expect((await say('rename project Hobbies to Mine')).reply).toStartWith('You have no project "Hobbies".')
    expect((await say('move glue to Hobbies')).reply).not.toContain('Moved')
    expect((await projectList(bob)).map((p) => p.name)).toEqual(['Inbox', 'Hobbies'])
    expect((await titled('paint miniatures', bob))[0]).toMatchObject({ project_id: bobs })
  })
})
