// Subtasks: nesting (depth, cycles, another user's parent), progress, completing a parent, delete and undo of a subtree,
// a repeating parent's next instance carrying its subtasks, the events, and the MCP tools.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { sql } from 'drizzle-orm'
import { testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'
import { mcpClient } from './helpers/mcp'

let t: TestApp
let token: string

beforeAll(async () => {
  t = await testApp({ events: true })
  token = (await t.signUp(undefined, { timezone: 'Europe/Berlin' })).token
})
afterAll(() => t.dispose())

const add = async (body: Record<string, unknown>, who = token) => {
  const res = await t.call('POST', '/api/v1/tasks', { token: who, body })
  expect(res.status).toBe(201)
  return res.body
}
const get = async (id: string) => (await t.call('GET', `/api/v1/tasks/${id}`, { token })).body
const patch = (id: string, body: Record<string, unknown>, who = token) => t.call('PATCH', `/api/v1/tasks/${id}`, { token: who, body })
const list = async (query: string) => (await t.call('GET', `/api/v1/tasks?${query}`, { token })).body
const titles = (page: { items: Array<{ title: string }> }) => page.items.map((task) => task.title).sort()

/** A task with two subtasks, the first of which has a subtask of its own. */
async function tree(name: string, extra: Record<string, unknown> = {}) {
  const root = await add({ title: `${name}`, ...extra })
  const child = await add({ title: `${name} / a`, parent_id: root.id })
  const other = await add({ title: `${name} / b`, parent_id: root.id })
  const grandchild = await add({ title: `${name} / a / i`, parent_id: child.id })
  return { root, child, other, grandchild }
}

interface OutboxRow {
  type: string
  event: { data: Record<string, any> }
}
const outboxFor = (taskId: string) => rows<OutboxRow>(t.database, sql`select type, event from outbox_events where partition_key = ${taskId} order by seq`)

describe('nesting', () => {
  test('a subtask names its parent; the parent reads its progress; a list by parent_id shows the children', async () => {
    const { root, child, other } = await tree('Trip')
    expect(child.parent_id).toBe(root.id)
    expect(root.parent_id).toBeNull()
    expect(child.subtasks).toEqual({ total: 0, done: 0 })
    expect((await get(root.id)).subtasks).toEqual({ total: 2, done: 0 })
    await t.call('POST', `/api/v1/tasks/${other.id}/complete`, { token })
    expect((await get(root.id)).subtasks).toEqual({ total: 2, done: 1 })
    expect((await get(child.id)).subtasks).toEqual({ total: 1, done: 0 })
    const children = await list(`parent_id=${root.id}&status=pending,completed`)
    expect(titles(children)).toEqual(['Trip / a', 'Trip / b'])
  })

  test('the list shows every task by default, only top-level ones with top_level=true, and each with its progress', async () => {
    await tree('Listed')
    const all = await list('search=Listed')
    expect(titles(all)).toEqual(['Listed', 'Listed / a', 'Listed / a / i', 'Listed / b'])
    const top = await list('search=Listed&top_level=true')
    expect(titles(top)).toEqual(['Listed'])
    expect(top.items[0].subtasks).toEqual({ total: 2, done: 0 })
    const byTitle = new Map(all.items.map((task: { title: string; subtasks: unknown }) => [task.title, task.subtasks]))
    expect(byTitle.get('Listed / a')).toEqual({ total: 1, done: 0 })
    expect(byTitle.get('Listed / b')).toEqual({ total: 0, done: 0 })
  })

  test('bad list parameters name their field', async () => {
    const bad = await t.call('GET', '/api/v1/tasks?parent_id=nope', { token })
    expect(bad.status).toBe(400)
    expect(bad.body.error.field).toBe('parent_id')
    const both = await t.call('GET', `/api/v1/tasks?parent_id=${crypto.randomUUID()}&top_level=true`, { token })
    expect(both.status).toBe(400)
    expect(both.body.error.field).toBe('top_level')
  })

  test('three levels at most: a fourth is refused naming parent_id, on create and on a move', async () => {
    const { root, child, grandchild, other } = await tree('Deep')
    const fourth = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Too deep', parent_id: grandchild.id } })
    expect(fourth.status).toBe(400)
    expect(fourth.body.error).toMatchObject({ code: 'validation_failed', field: 'parent_id' })
    expect(fourth.body.error.message).toContain('3 levels')
    // `child` carries a subtask: under `other` (level 2) it would reach level 4.
    const moved = await patch(child.id, { parent_id: other.id })
    expect(moved.status).toBe(400)
    expect(moved.body.error.field).toBe('parent_id')
    // A leaf may go under a level-2 task.
    const leaf = await patch(grandchild.id, { parent_id: other.id })
    expect(leaf.status).toBe(200)
    expect(leaf.body.parent_id).toBe(other.id)
    expect((await get(root.id)).subtasks).toEqual({ total: 2, done: 0 })
  })

  test('a task cannot go under itself or one of its own subtasks', async () => {
    const { root, child, grandchild } = await tree('Loop')
    for (const target of [root, child, grandchild]) {
      const res = await patch(root.id, { parent_id: target.id })
      expect(res.status).toBe(400)
      expect(res.body.error.field).toBe('parent_id')
    }
    expect((await get(root.id)).parent_id).toBeNull()
  })

  test('indent and outdent: a move takes the subtasks along; null moves to the top level', async () => {
    const { root, child, grandchild } = await tree('Moving')
    const elsewhere = await add({ title: 'Moving target' })
    const indented = await patch(child.id, { parent_id: elsewhere.id })
    expect(indented.status).toBe(200)
    expect(indented.body).toMatchObject({ parent_id: elsewhere.id, subtasks: { total: 1, done: 0 } })
    expect((await get(grandchild.id)).parent_id).toBe(child.id)
    expect((await get(root.id)).subtasks).toEqual({ total: 1, done: 0 })
    const outdented = await patch(child.id, { parent_id: null })
    expect(outdented.body.parent_id).toBeNull()
    expect((await list('top_level=true&search=Moving')).items.map((task: { title: string }) => task.title).sort()).toEqual(['Moving', 'Moving / a', 'Moving target'])
  })

  test('an unknown parent reads as not found naming parent_id; a malformed one is refused', async () => {
    const unknown = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Orphan', parent_id: crypto.randomUUID() } })
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.field).toBe('parent_id')
    const malformed = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Orphan', parent_id: 'abc' } })
    expect(malformed.status).toBe(400)
    expect(malformed.body.error.field).toBe('parent_id')
  })
})

describe('changes at once', () => {
  test('adding subtasks deep in a tree while its root is completed or deleted never fails with a 500', async () => {
    for (let round = 0; round < 4; round++) {
      const { root, grandchild, other } = await tree(`Racing ${round}`)
      const answers = await Promise.all([
        t.call('POST', '/api/v1/tasks', { token, body: { title: 'Late leaf', parent_id: other.id } }),
        round % 2 ? t.call('DELETE', `/api/v1/tasks/${root.id}`, { token }) : t.call('POST', `/api/v1/tasks/${root.id}/complete?children=complete`, { token }),
        t.call('PATCH', `/api/v1/tasks/${grandchild.id}`, { token, body: { parent_id: other.id } }),
      ])
      for (const answer of answers) expect(answer.status).toBeLessThan(500)
    }
  })
})

describe('completing a parent', () => {
  test('with open subtasks and no choice: 409 naming children, with their count, and nothing changes', async () => {
    const { root, child, grandchild } = await tree('Choose')
    const res = await t.call('POST', `/api/v1/tasks/${root.id}/complete`, { token })
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({ code: 'conflict', field: 'children', open_subtasks: 3 })
    for (const task of [root, child, grandchild]) expect((await get(task.id)).status).toBe('pending')
    const bad = await t.call('POST', `/api/v1/tasks/${root.id}/complete?children=maybe`, { token })
    expect(bad.status).toBe(400)
    expect(bad.body.error.field).toBe('children')
  })

  test('children=keep completes the parent alone', async () => {
    const { root, child, grandchild } = await tree('Keep')
    const res = await t.call('POST', `/api/v1/tasks/${root.id}/complete?children=keep`, { token })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ status: 'completed', subtasks: { total: 2, done: 0 } })
    expect((await get(child.id)).status).toBe('pending')
    expect((await get(grandchild.id)).status).toBe('pending')
  })

  test('children=complete completes the whole open subtree, each with its event', async () => {
    const { root, child, other, grandchild } = await tree('All')
    const res = await t.call('POST', `/api/v1/tasks/${root.id}/complete?children=complete`, { token })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ status: 'completed', subtasks: { total: 2, done: 2 } })
    for (const task of [child, other, grandchild]) {
      expect((await get(task.id)).status).toBe('completed')
      expect((await outboxFor(task.id)).map((e) => e.type)).toEqual(['task.created', 'task.completed'])
    }
  })

  test('PATCH status completed takes the same choice; a task whose subtasks are all done needs none', async () => {
    const { root, child, other, grandchild } = await tree('Patched')
    const refused = await patch(root.id, { status: 'completed' })
    expect(refused.status).toBe(409)
    expect(refused.body.error.field).toBe('children')
    const stray = await patch(root.id, { title: 'Patched', children: 'keep' })
    expect(stray.status).toBe(400)
    expect(stray.body.error.field).toBe('children')
    for (const task of [grandchild, child, other]) await t.call('POST', `/api/v1/tasks/${task.id}/complete`, { token })
    const done = await patch(root.id, { status: 'completed' })
    expect(done.status).toBe(200)
    expect(done.body).toMatchObject({ status: 'completed', subtasks: { total: 2, done: 2 } })
  })
})

describe('deleting a parent', () => {
  test('takes its subtree along in one change, each task with its event, and undo brings them all back as they were', async () => {
    const { root, child, other, grandchild } = await tree('Gone')
    await t.call('POST', `/api/v1/tasks/${other.id}/complete`, { token })
    const remind = await t.call('POST', `/api/v1/tasks/${grandchild.id}/reminders`, { token, body: { remind_at: '2027-06-01T09:00:00Z' } })
    expect(remind.status).toBe(201)
    expect((await t.call('DELETE', `/api/v1/tasks/${root.id}`, { token })).status).toBe(204)
    for (const task of [root, child, other, grandchild]) {
      expect((await t.call('GET', `/api/v1/tasks/${task.id}`, { token })).status).toBe(404)
      const deleted = (await outboxFor(task.id)).filter((e) => e.type === 'task.deleted')
      expect(deleted.length).toBe(1)
      expect(deleted[0]!.event.data.task.parent_id).toBe(task.parent_id)
    }
    await t.drain()
    // The reminders consumer cancels a deleted subtask's reminders as it does any deleted task's.
    const [reminder] = await rows<{ status: string }>(t.database, sql`select status from reminders where id = ${remind.body.id}`)
    expect(reminder!.status).toBe('cancelled')

    const client = await apiClient()
    const restored = (await client.callTool({ name: 'restore_task', arguments: { task_id: root.id } })) as ToolResult
    expect(restored.isError).toBeFalsy()
    expect(restored.structuredContent).toMatchObject({ id: root.id, subtasks: { total: 2, done: 1 } })
    for (const task of [child, other, grandchild]) {
      const back = await get(task.id)
      expect(back).toMatchObject({ id: task.id, parent_id: task.parent_id, title: task.title })
    }
    expect((await get(other.id)).status).toBe('completed')
    await client.close()
  })

  test('a subtask deleted on its own comes back under its parent; one whose parent is gone comes back at the top level', async () => {
    const { root, child, grandchild } = await tree('Alone')
    await t.call('DELETE', `/api/v1/tasks/${grandchild.id}`, { token })
    expect((await get(child.id)).subtasks).toEqual({ total: 0, done: 0 })
    const client = await apiClient()
    await client.callTool({ name: 'restore_task', arguments: { task_id: grandchild.id } })
    expect((await get(grandchild.id)).parent_id).toBe(child.id)
    await t.call('DELETE', `/api/v1/tasks/${grandchild.id}`, { token })
    await t.call('DELETE', `/api/v1/tasks/${root.id}`, { token })
    await client.callTool({ name: 'restore_task', arguments: { task_id: grandchild.id } })
    expect((await get(grandchild.id)).parent_id).toBeNull()
    await client.close()
  })
})

describe('a repeating parent', () => {
  test('its next instance carries fresh open copies of its subtree, due dates moved along; a redelivered completion copies nothing twice', async () => {
    const root = await add({ title: 'Weekly review', recurrence: 'WEEKLY', due_date: '2026-12-21T09:00:00Z' })
    const inbox = await add({ title: 'Empty inbox', parent_id: root.id, due_date: '2026-12-21T08:00:00Z', priority: 'high' })
    const day = await add({ title: 'Plan the week', parent_id: root.id, due_date: '2026-12-20' })
    await add({ title: 'Check calendar', parent_id: inbox.id, tags: ['calendar'] })
    const done = await t.call('POST', `/api/v1/tasks/${root.id}/complete?children=complete`, { token })
    expect(done.status).toBe(200)
    await t.drain()
    const next = (await list('search=Weekly%20review&status=pending&top_level=true')).items
    expect(next.length).toBe(1)
    expect(next[0]).toMatchObject({ due_date: '2026-12-28T09:00:00.000Z', subtasks: { total: 2, done: 0 } })
    const copies = (await list(`parent_id=${next[0].id}&sort=title`)).items
    expect(copies.map((task: Record<string, unknown>) => [task.title, task.status, task.due_date, task.due_day, task.priority])).toEqual([
      ['Empty inbox', 'pending', '2026-12-28T08:00:00.000Z', null, 'high'],
      ['Plan the week', 'pending', '2026-12-26T23:00:00.000Z', '2026-12-27', 'medium'],
    ])
    expect(copies.map((task: { id: string }) => task.id)).not.toContain(inbox.id)
    expect(copies.map((task: { id: string }) => task.id)).not.toContain(day.id)
    const grandchildren = (await list(`parent_id=${copies[0].id}`)).items
    expect(grandchildren.map((task: Record<string, unknown>) => [task.title, task.status, task.tags])).toEqual([['Check calendar', 'pending', ['calendar']]])
    // The originals stay completed under the completed instance.
    expect((await get(inbox.id)).status).toBe('completed')

    const count = async () => (await rows<{ n: string }>(t.database, sql`select count(*) as n from tasks`))[0]!.n
    const before = await count()
    const [completion] = (await outboxFor(root.id)).filter((e) => e.type === 'task.completed')
    const event = completion!.event as Record<string, any>
    // The same event again, and a copy of it under another id (as a second publisher would send): one next instance still.
    expect(await t.deliver('/events/task-events', { ...event, topic: 'todo.task-events', pubsubname: 'pubsub-kafka' })).toBe('SUCCESS')
    expect(await t.deliver('/events/task-events', { ...event, id: crypto.randomUUID(), topic: 'todo.task-events', pubsubname: 'pubsub-kafka' })).toBe('SUCCESS')
    expect(await count()).toBe(before)
  })

  test('reopening the instance takes back the untouched next instance with its copies', async () => {
    const root = await add({ title: 'Daily tidy', recurrence: 'DAILY', due_date: '2026-12-21T18:00:00Z' })
    await add({ title: 'Dishes', parent_id: root.id })
    await t.call('POST', `/api/v1/tasks/${root.id}/complete?children=keep`, { token })
    await t.drain()
    expect((await list('search=Dishes&status=pending,completed')).items.length).toBe(2)
    await t.call('POST', `/api/v1/tasks/${root.id}/reopen`, { token })
    expect((await list('search=Daily%20tidy&status=pending,completed')).items.length).toBe(1)
    expect((await list('search=Dishes&status=pending,completed')).items.length).toBe(1)
  })
})

describe('events', () => {
  test('the snapshot carries parent_id, and a move is an update whose changes name parent_id', async () => {
    const parent = await add({ title: 'Evented parent' })
    const child = await add({ title: 'Evented child', parent_id: parent.id })
    await patch(child.id, { parent_id: null })
    const events = await outboxFor(child.id)
    expect(events.map((e) => e.type)).toEqual(['task.created', 'task.updated'])
    expect(events[0]!.event.data.task.parent_id).toBe(parent.id)
    expect(events[1]!.event.data).toMatchObject({ changes: ['parent_id'], before: { parent_id: parent.id }, task: { parent_id: null } })
    await t.drain()
    const audit = (await t.call('GET', `/api/v1/audit?task_id=${child.id}`, { token })).body
    expect(audit.items[0]).toMatchObject({ action: 'updated', changes: ['parent_id'] })
  })
})

type ToolResult = { isError?: boolean; structuredContent?: any; content: Array<{ type: string; text?: string }> }

/** An MCP client as the test user, through a personal API token. */
async function apiClient(): Promise<Client> {
  const created = await t.call('POST', '/api/v1/tokens', { token, body: { name: `mcp-${crypto.randomUUID().slice(0, 8)}` } })
  return mcpClient(t, created.body.token)
}

describe('MCP', () => {
  test('add_task and update_task take parent_id; list_tasks shows progress and lists children; complete_task takes children', async () => {
    const client = await apiClient()
    const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as ToolResult
    const parent = (await call('add_task', { title: 'Party' })).structuredContent
    const cake = (await call('add_task', { title: 'Bake cake', parent_id: parent.id })).structuredContent
    expect(cake.parent_id).toBe(parent.id)
    const music = (await call('add_task', { title: 'Music' })).structuredContent
    const moved = await call('update_task', { task_id: music.id, parent_id: parent.id })
    expect(moved.structuredContent.parent_id).toBe(parent.id)
    const children = (await call('list_tasks', { parent_id: parent.id })).structuredContent
    expect(children.items.map((task: { title: string }) => task.title).sort()).toEqual(['Bake cake', 'Music'])
    const top = (await call('list_tasks', { search: 'Party', top_level: true })).structuredContent
    expect(top.items[0].subtasks).toEqual({ total: 2, done: 0 })
    const found = (await call('find_tasks', { filter: 'search: Party' })).structuredContent
    expect(found.items.find((task: { id: string }) => task.id === parent.id)?.subtasks).toEqual({ total: 2, done: 0 })

    const refused = await call('complete_task', { task_id: parent.id })
    expect(refused.isError).toBe(true)
    expect(refused.content[0]!.text).toContain('2 open subtasks')
    const batch = (await call('complete_tasks', { task_ids: [parent.id] })).structuredContent
    expect(batch).toEqual({ completed: [], failed: [{ id: parent.id, reason: 'open_subtasks' }] })
    const completed = await call('complete_task', { task_id: parent.id, children: 'complete' })
    expect(completed.structuredContent).toMatchObject({ status: 'completed', subtasks: { total: 2, done: 2 } })
    expect([...completed.structuredContent.completed_subtasks].sort()).toEqual([cake.id, music.id].sort())
    // A batch lists the open subtasks it completed with their parent after the ids it was given.
    const fair = (await call('add_task', { title: 'Fair' })).structuredContent
    const stall = (await call('add_task', { title: 'Stall', parent_id: fair.id })).structuredContent
    const both = (await call('complete_tasks', { task_ids: [fair.id], children: 'complete' })).structuredContent
    expect(both).toEqual({ completed: [fair.id, stall.id], failed: [] })

    const deep = await call('add_task', { title: 'Too deep', parent_id: 'not-an-id' })
    expect(deep.isError).toBe(true)
    expect(deep.content[0]!.text).toContain('parent_id')
    await client.close()
  })
})

describe('projects', () => {
  const project = async (name: string) => {
    const res = await t.call('POST', '/api/v1/projects', { token, body: { name } })
    expect(res.status).toBe(201)
    return res.body
  }

  test("a subtask lives in its parent's project: it is created there, and cannot be sent elsewhere on its own", async () => {
    const work = await project('Subtask work')
    const home = await project('Subtask home')
    const parent = await add({ title: 'In work', project_id: work.id })
    const child = await add({ title: 'In work too', parent_id: parent.id })
    expect(child.project_id).toBe(work.id)
    const mismatch = await t.call('POST', '/api/v1/tasks', { token, body: { title: 'Split', parent_id: parent.id, project_id: home.id } })
    expect(mismatch.status).toBe(400)
    expect(mismatch.body.error.field).toBe('project_id')
    const alone = await patch(child.id, { project_id: home.id })
    expect(alone.status).toBe(400)
    expect(alone.body.error.field).toBe('project_id')
    // Made top-level in the same change, it may go.
    const out = await patch(child.id, { parent_id: null, project_id: home.id })
    expect(out.status).toBe(200)
    expect(out.body).toMatchObject({ parent_id: null, project_id: home.id })
    // Moved under a task of another project, it takes that project.
    const back = await patch(child.id, { parent_id: parent.id })
    expect(back.body).toMatchObject({ parent_id: parent.id, project_id: work.id })
  })

  test('moving a parent to another project moves its whole subtree in the same change, each task with its event', async () => {
    const from = await project('Subtree from')
    const to = await project('Subtree to')
    const { root, child, other, grandchild } = await tree('Relocated', { project_id: from.id })
    const moved = await patch(root.id, { project_id: to.id })
    expect(moved.status).toBe(200)
    for (const task of [root, child, other, grandchild]) {
      expect((await get(task.id)).project_id).toBe(to.id)
      const [update] = (await outboxFor(task.id)).filter((e) => e.type === 'task.updated')
      expect(update!.event.data).toMatchObject({ changes: ['project_id'], before: { project_id: from.id }, task: { project_id: to.id } })
    }
    // Deleting the project with its tasks deletes the tree; restoring the root brings it back into the Inbox.
    const gone = await t.call('DELETE', `/api/v1/projects/${to.id}?tasks=delete`, { token })
    expect(gone.status).toBeLessThan(300)
    for (const task of [root, child, other, grandchild]) expect((await t.call('GET', `/api/v1/tasks/${task.id}`, { token })).status).toBe(404)
    const client = await apiClient()
    await client.callTool({ name: 'restore_task', arguments: { task_id: root.id } })
    await client.close()
    const inbox = (await get(root.id)).project_id
    expect(inbox).not.toBe(to.id)
    for (const task of [child, other, grandchild]) expect(await get(task.id)).toMatchObject({ project_id: inbox, parent_id: task.parent_id })
  })
})
