// Projects over REST: the Inbox every account starts with, making, renaming, colouring, archiving and deleting projects
// (with the tasks' fate chosen), moving tasks between them, the list's counts, the quota, and the events each move records.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { restoreTasks } from '../src/features/tasks/service'
import { DEFAULT_QUOTAS } from '../src/lib/quotas'
import { testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'

// Wednesday 2 December 2026, 12:00 UTC.
const NOW = new Date('2026-12-02T12:00:00Z')

let t: TestApp
let token: string

interface ProjectItem {
  id: string
  name: string
  color: string
  is_inbox: boolean
  archived: boolean
  open_count: number
  overdue_count: number
}

beforeAll(async () => {
  t = await testApp({ clock: () => NOW, env: { PROJECTS_PER_USER: '5' } })
  ;({ token } = await t.signUp())
}, 60_000)
afterAll(() => t.dispose())

const listed = async (query = '', as = token): Promise<ProjectItem[]> => {
  const res = await t.call('GET', `/api/v1/projects${query}`, { token: as })
  expect(res.status).toBe(200)
  return res.body.items
}
const inboxId = async (as = token) => (await listed('', as)).find((p) => p.is_inbox)!.id
const make = async (name: string, color?: string) => {
  const res = await t.call('POST', '/api/v1/projects', { token, body: { name, ...(color ? { color } : {}) } })
  expect(res.status).toBe(201)
  return res.body as ProjectItem
}
const addTask = async (body: Record<string, unknown>) => {
  const res = await t.call('POST', '/api/v1/tasks', { token, body })
  expect(res.status).toBe(201)
  return res.body as { id: string; project_id: string; title: string }
}
const titlesIn = async (projectId: string) => {
  const res = await t.call('GET', `/api/v1/tasks?project_id=${projectId}&sort=title&status=pending,completed`, { token })
  expect(res.status).toBe(200)
  return res.body.items.map((task: { title: string }) => task.title)
}

describe('the Inbox', () => {
  test('a new account has exactly one project, its Inbox, and a task added without a project goes there', async () => {
    const { token: fresh } = await t.signUp()
    const projects = await listed('', fresh)
    expect(projects).toEqual([expect.objectContaining({ name: 'Inbox', is_inbox: true, archived: false, color: 'grey', open_count: 0, overdue_count: 0 })])
    const task = await t.call('POST', '/api/v1/tasks', { token: fresh, body: { title: 'first' } })
    expect(task.body.project_id).toBe(projects[0]!.id)
  })

  test('cannot be renamed, archived or deleted (409 naming the field), but can be recoloured', async () => {
    const inbox = await inboxId()
    const rename = await t.call('PATCH', `/api/v1/projects/${inbox}`, { token, body: { name: 'Stuff' } })
    expect(rename.status).toBe(409)
    expect(rename.body.error).toMatchObject({ code: 'conflict', field: 'name' })
    const archive = await t.call('PATCH', `/api/v1/projects/${inbox}`, { token, body: { archived: true } })
    expect(archive.body.error).toMatchObject({ code: 'conflict', field: 'archived' })
    const remove = await t.call('DELETE', `/api/v1/projects/${inbox}?tasks=move`, { token })
    expect(remove.status).toBe(409)
    const recolour = await t.call('PATCH', `/api/v1/projects/${inbox}`, { token, body: { color: 'blue' } })
    expect(recolour.status).toBe(200)
    expect(recolour.body).toMatchObject({ name: 'Inbox', color: 'blue', is_inbox: true })
  })
})

describe('making and changing projects', () => {
  test('create, read, rename, recolour; names are unique whatever their case', async () => {
    const work = await make('Work', 'red')
    expect(work).toMatchObject({ name: 'Work', color: 'red', is_inbox: false, archived: false, archived_at: null })
    expect((await t.call('GET', `/api/v1/projects/${work.id}`, { token })).body).toMatchObject({ id: work.id, name: 'Work' })
    const dup = await t.call('POST', '/api/v1/projects', { token, body: { name: 'work' } })
    expect(dup.status).toBe(409)
    expect(dup.body.error).toMatchObject({ code: 'conflict', field: 'name' })
    const renamed = await t.call('PATCH', `/api/v1/projects/${work.id}`, { token, body: { name: 'Office', color: 'teal' } })
    expect(renamed.body).toMatchObject({ name: 'Office', color: 'teal' })
    // The old name is free again.
    const again = await make('Work')
    expect((await t.call('PATCH', `/api/v1/projects/${again.id}`, { token, body: { name: 'OFFICE' } })).status).toBe(409)
    await t.call('DELETE', `/api/v1/projects/${again.id}`, { token })
  })

  test('bad input is a 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(61) }, 'name'],
      [{ name: 'Ok', color: 'chartreuse' }, 'color'],
      [{ name: 'Ok', owner: 'me' }, 'owner'],
    ]
    for (const [body, field] of cases) {
      const res = await t.call('POST', '/api/v1/projects', { token, body })
      expect({ body, status: res.status, field: res.body.error?.field }).toEqual({ body, status: 400, field })
    }
    const nothing = await t.call('PATCH', `/api/v1/projects/${await inboxId()}`, { token, body: {} })
    expect(nothing.body.error).toMatchObject({ code: 'validation_failed', field: 'body' })
    expect((await t.call('GET', '/api/v1/projects?archived=maybe', { token })).body.error.field).toBe('archived')
    expect((await t.call('GET', '/api/v1/projects/not-a-uuid', { token })).status).toBe(404)
  })

  test('archiving hides a project from the default list, keeps its tasks, and refuses new tasks in it; unarchiving brings it back', async () => {
    const trip = await make('Trip')
    await addTask({ title: 'pack', project_id: trip.id })
    const archived = await t.call('PATCH', `/api/v1/projects/${trip.id}`, { token, body: { archived: true } })
    expect(archived.body).toMatchObject({ archived: true, archived_at: NOW.toISOString() })
    expect((await listed()).map((p) => p.name)).not.toContain('Trip')
    expect((await listed('?archived=true')).map((p) => p.name)).toContain('Trip')
    expect(await titlesIn(trip.id)).toEqual(['pack'])
    const refused = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'tickets', project_id: trip.id } })
    expect(refused.status).toBe(409)
    expect(refused.body.error.field).toBe('project_id')
    await t.call('PATCH', `/api/v1/projects/${trip.id}`, { token, body: { archived: false } })
    expect((await listed()).map((p) => p.name)).toContain('Trip')
    await t.call('DELETE', `/api/v1/projects/${trip.id}?tasks=delete`, { token })
  })
})

describe('tasks in projects', () => {
  test('a task is created in a project, moved by PATCH project_id, and listed by project_id', async () => {
    const home = await make('Home')
    const task = await addTask({ title: 'paint fence', project_id: home.id })
    expect(task.project_id).toBe(home.id)
    expect(await titlesIn(home.id)).toEqual(['paint fence'])
    const inbox = await inboxId()
    const moved = await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token, body: { project_id: inbox } })
    expect(moved.status).toBe(200)
    expect(moved.body.project_id).toBe(inbox)
    expect(await titlesIn(home.id)).toEqual([])
    // The move is a task.updated event naming project_id among its changes, with the project in the snapshot.
    const [event] = await rows<{ event: { data: { changes: string[]; task: { project_id: string }; before: { project_id: string } } } }>(
      t.database,
      sql`select event from outbox_events where partition_key = ${task.id} and type = 'task.updated' order by seq desc limit 1`,
    )
    expect(event!.event.data).toMatchObject({ changes: ['project_id'], task: { project_id: inbox }, before: { project_id: home.id } })
    expect((await t.call('GET', '/api/v1/tasks?project_id=nope', { token })).body.error.field).toBe('project_id')
    await t.call('DELETE', `/api/v1/projects/${home.id}`, { token })
  })

  test("moving a task into a project that is not the actor's is a 400 naming project_id, and the task stays", async () => {
    const { token: other } = await t.signUp()
    const theirs = await t.call('POST', '/api/v1/projects', { token: other, body: { name: 'Theirs' } })
    const task = await addTask({ title: 'stay here' })
    for (const target of [theirs.body.id, crypto.randomUUID(), 'not-a-uuid']) {
      const res = await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token, body: { project_id: target } })
      expect({ target, status: res.status, field: res.body.error?.field }).toEqual({ target, status: 400, field: 'project_id' })
    }
    expect((await t.call('POST', '/api/v1/tasks', { token, body: { title: 'x', project_id: theirs.body.id } })).status).toBe(400)
    expect((await t.call('GET', `/api/v1/tasks/${task.id}`, { token })).body.project_id).toBe(await inboxId())
  })

  test('the list counts open and overdue tasks per project', async () => {
    const errands = await make('Errands')
    await addTask({ title: 'late', project_id: errands.id, due_date: '2026-12-01T09:00:00Z' })
    await addTask({ title: 'later today', project_id: errands.id, due_date: '2026-12-02T18:00:00Z' })
    const done = await addTask({ title: 'done', project_id: errands.id, due_date: '2026-11-30T09:00:00Z' })
    await t.call('POST', `/api/v1/tasks/${done.id}/complete`, { token })
    expect((await listed()).find((p) => p.id === errands.id)).toMatchObject({ open_count: 2, overdue_count: 1 })
    await t.call('DELETE', `/api/v1/projects/${errands.id}?tasks=delete`, { token })
  })
})

describe('deleting a project', () => {
  test('an empty project goes without a choice; one with tasks needs tasks=move or tasks=delete (409 naming tasks)', async () => {
    const empty = await make('Empty')
    expect((await t.call('DELETE', `/api/v1/projects/${empty.id}`, { token })).status).toBe(204)
    expect((await t.call('GET', `/api/v1/projects/${empty.id}`, { token })).status).toBe(404)
    const full = await make('Full')
    await addTask({ title: 'keep me', project_id: full.id })
    const refused = await t.call('DELETE', `/api/v1/projects/${full.id}`, { token })
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatchObject({ code: 'conflict', field: 'tasks' })
    expect((await t.call('DELETE', `/api/v1/projects/${full.id}?tasks=keep`, { token })).body.error.field).toBe('tasks')
    expect(await titlesIn(full.id)).toEqual(['keep me'])
  })

  test('tasks=move puts its tasks in the Inbox', async () => {
    const [full] = (await listed()).filter((p) => p.name === 'Full')
    const inbox = await inboxId()
    expect((await t.call('DELETE', `/api/v1/projects/${full!.id}?tasks=move`, { token })).status).toBe(204)
    expect(await titlesIn(inbox)).toContain('keep me')
  })

  test('tasks=delete deletes its tasks, each restorable into the Inbox once the project is gone', async () => {
    const doomed = await make('Doomed')
    const a = await addTask({ title: 'doomed a', project_id: doomed.id })
    const b = await addTask({ title: 'doomed b', project_id: doomed.id })
    expect((await t.call('DELETE', `/api/v1/projects/${doomed.id}?tasks=delete`, { token })).status).toBe(204)
    expect((await t.call('GET', `/api/v1/tasks/${a.id}`, { token })).status).toBe(404)
    const [deleted] = await rows<{ n: number | string }>(t.database, sql`select count(*) as n from outbox_events where type = 'task.deleted' and partition_key in (${a.id}, ${b.id})`)
    expect(Number(deleted!.n)).toBe(2)
    // Undo (the page's toast, restore_task) brings them back, into the Inbox since their project has gone.
    const me = (await t.call('GET', '/api/v1/me', { token })).body
    const restored = await restoreTasks({ db: t.database.db, clock: () => NOW, quotas: DEFAULT_QUOTAS }, me, [a.id, b.id])
    expect(restored.map((task) => task.title).sort()).toEqual(['doomed a', 'doomed b'])
    const inbox = await inboxId()
    expect((await t.call('GET', `/api/v1/tasks/${a.id}`, { token })).body.project_id).toBe(inbox)
    expect((await t.call('GET', `/api/v1/tasks/${b.id}`, { token })).body.project_id).toBe(inbox)
  })

  test("another user's project answers 404 on every route and is left as it was", async () => {
    const mine = await make('Mine')
    const { token: stranger } = await t.signUp()
    for (const [method, path, body] of [
      ['GET', `/api/v1/projects/${mine.id}`],
      ['PATCH', `/api/v1/projects/${mine.id}`, { name: 'Taken' }],
      ['DELETE', `/api/v1/projects/${mine.id}?tasks=delete`],
    ] as const) {
      const res = await t.call(method, path, { token: stranger, body })
      expect({ method, status: res.status }).toEqual({ method, status: 404 })
    }
    expect((await listed('', stranger)).map((p) => p.id)).not.toContain(mine.id)
    expect((await t.call('GET', `/api/v1/projects/${mine.id}`, { token })).body.name).toBe('Mine')
  })
})

test('the project quota counts the Inbox and archived projects: past it, 409 quota_exceeded', async () => {
  const { token: fresh } = await t.signUp()
  for (const name of ['One', 'Two', 'Three', 'Four']) expect((await t.call('POST', '/api/v1/projects', { token: fresh, body: { name } })).status).toBe(201)
  const full = await t.call('POST', '/api/v1/projects', { token: fresh, body: { name: 'Five' } })
  expect(full.status).toBe(409)
  expect(full.body.error.code).toBe('quota_exceeded')
})
