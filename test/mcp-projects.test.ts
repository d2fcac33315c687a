// Projects over MCP: list_projects, add_project, update_project and delete_project, and `project` (a name or an id) on
// add_task, add_tasks, update_task, list_tasks and find_tasks; business errors are tool errors a model can act on.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { inverseOf } from '../src/chat/undo'
import { testApp, type TestApp } from './helpers/app'
import { mcpClient } from './helpers/mcp'

let t: TestApp
let alice: Client
let bob: Client

type Result = { isError?: boolean; structuredContent?: any; content: Array<{ type: string; text?: string }> }

async function client(): Promise<Client> {
  const { token } = await t.signUp()
  const { body } = await t.call('POST', '/api/v1/tokens', { token, body: { name: 'mcp' } })
  return mcpClient(t, body.token, 'projects-test')
}
const call = async (as: Client, name: string, args: Record<string, unknown> = {}) => (await as.callTool({ name, arguments: args })) as Result
const ok = async (as: Client, name: string, args: Record<string, unknown> = {}) => {
  const result = await call(as, name, args)
  if (result.isError) throw new Error(`${name} failed: ${result.content[0]?.text}`)
  // The same JSON as text, for clients that read only that.
  expect(JSON.parse(result.content[0]!.text!)).toEqual(result.structuredContent)
  return result.structuredContent
}
const refused = async (as: Client, name: string, args: Record<string, unknown>) => {
  const result = await call(as, name, args)
  expect(result.isError).toBe(true)
  return result.content[0]!.text!
}

beforeAll(async () => {
  t = await testApp()
  alice = await client()
  bob = await client()
}, 60_000)
afterAll(async () => {
  await alice?.close()
  await bob?.close()
  await t.dispose()
})

describe('the project tools', () => {
  test('are listed with all four annotations and an output schema; delete_project is destructive', async () => {
    const { tools } = await alice.listTools()
    for (const name of ['list_projects', 'add_project', 'update_project', 'delete_project']) {
      const tool = tools.find((x) => x.name === name)!
      expect(tool.outputSchema).toBeDefined()
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) expect({ name, hint, set: typeof tool.annotations?.[hint] }).toEqual({ name, hint, set: 'boolean' })
    }
    expect(tools.find((x) => x.name === 'delete_project')!.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false })
    expect(tools.find((x) => x.name === 'list_projects')!.annotations).toMatchObject({ readOnlyHint: true })
    for (const name of ['add_task', 'update_task', 'list_tasks', 'find_tasks']) {
      expect(Object.keys((tools.find((x) => x.name === name)!.inputSchema as { properties: object }).properties)).toContain('project')
    }
  })

  test('add, list with counts, rename by name, recolour, archive and unarchive', async () => {
    const work = await ok(alice, 'add_project', { name: 'Work', color: 'blue' })
    expect(work).toMatchObject({ name: 'Work', color: 'blue', is_inbox: false, archived: false })
    await ok(alice, 'add_task', { title: 'write report', project: 'work', due_date: '2020-01-01' })
    const listed = await ok(alice, 'list_projects')
    expect(listed.items.map((p: { name: string }) => p.name)).toEqual(['Inbox', 'Work'])
    expect(listed.items[1]).toMatchObject({ open_count: 1, overdue_count: 1 })
    expect(await ok(alice, 'update_project', { project: 'WORK', name: 'Office', color: 'green' })).toMatchObject({ id: work.id, name: 'Office', color: 'green' })
    expect(await ok(alice, 'update_project', { project: work.id, archived: true })).toMatchObject({ archived: true })
    expect((await ok(alice, 'list_projects')).items.map((p: { name: string }) => p.name)).toEqual(['Inbox'])
    expect((await ok(alice, 'list_projects', { archived: true })).items.map((p: { name: string }) => p.name)).toEqual(['Inbox', 'Office'])
    expect(await refused(alice, 'add_task', { title: 'more work', project: 'Office' })).toContain('archived')
    await ok(alice, 'update_project', { project: 'office', archived: false })
  })

  test('business errors are tool errors that say what to do', async () => {
    expect(await refused(alice, 'add_project', { name: 'office' })).toContain('already have a project named')
    expect(await refused(alice, 'add_project', { name: 'Pink', color: 'chartreuse' })).toContain('color must be one of')
    expect(await refused(alice, 'update_project', { project: 'Inbox', name: 'Stuff' })).toContain('Inbox cannot be renamed')
    expect(await refused(alice, 'delete_project', { project: 'Inbox', tasks: 'move' })).toContain('Inbox cannot be deleted')
    expect(await refused(alice, 'update_project', { project: 'Nowhere', color: 'red' })).toContain('list_projects')
    expect(await refused(alice, 'delete_project', { project: 'Office' })).toContain('tasks=move')
  })

  test('delete_project moves its tasks to the Inbox or deletes them', async () => {
    const moved = await ok(alice, 'delete_project', { project: 'Office', tasks: 'move' })
    expect(moved).toMatchObject({ tasks: 1 })
    const inbox = await ok(alice, 'list_tasks', { project: 'Inbox' })
    expect(inbox.items.map((task: { title: string }) => task.title)).toContain('write report')
    await ok(alice, 'add_project', { name: 'Scratch' })
    const { tasks } = await ok(alice, 'add_tasks', { tasks: [{ title: 'scrap a', project: 'Scratch' }, { title: 'scrap b', project: 'scratch' }] })
    expect(await ok(alice, 'delete_project', { project: 'Scratch', tasks: 'delete' })).toMatchObject({ tasks: 2 })
    expect((await call(alice, 'get_task', { task_id: tasks[0].id })).isError).toBe(true)
    // Each deleted task can come back (into the Inbox, its project having gone).
    const back = await ok(alice, 'restore_task', { task_id: tasks[0].id })
    expect(back.project_id).toBe((await ok(alice, 'list_projects')).items[0].id)
  })
})

describe('project on the task tools', () => {
  test('add_task, update_task, list_tasks and find_tasks take a project by name or id', async () => {
    const home = await ok(alice, 'add_project', { name: 'Home & Garden' })
    const task = await ok(alice, 'add_task', { title: 'mow the lawn', project: 'home & garden' })
    expect(task.project_id).toBe(home.id)
    const other = await ok(alice, 'add_task', { title: 'call mum' })
    const moved = await ok(alice, 'update_task', { task_id: other.id, project: home.id })
    expect(moved.project_id).toBe(home.id)
    expect((await ok(alice, 'list_tasks', { project: home.id, sort: 'title' })).items.map((x: { title: string }) => x.title)).toEqual(['call mum', 'mow the lawn'])
    expect((await ok(alice, 'find_tasks', { project: 'Home & Garden', filter: 'search: lawn' })).items.map((x: { title: string }) => x.title)).toEqual(['mow the lawn'])
    expect((await ok(alice, 'find_tasks', { filter: '@project:"home & garden" & search: mum' })).items.map((x: { title: string }) => x.title)).toEqual(['call mum'])
    expect(await refused(alice, 'list_tasks', { project: 'Nowhere' })).toContain('no project "Nowhere"')
  })

  test("another user's project is unknown by name and by id: no reading, listing, moving or deleting", async () => {
    const secret = await ok(alice, 'add_project', { name: 'Secret' })
    await ok(alice, 'add_task', { title: 'hidden plan', project: 'Secret' })
    expect((await ok(bob, 'list_projects', { archived: true })).items.map((p: { name: string }) => p.name)).toEqual(['Inbox'])
    for (const project of ['Secret', secret.id]) {
      expect(await refused(bob, 'list_tasks', { project })).toContain('no project')
      expect(await refused(bob, 'find_tasks', { project })).toContain('no project')
      expect(await refused(bob, 'add_task', { title: 'sneak in', project })).toContain('no project')
      expect(await refused(bob, 'update_project', { project, name: 'Mine now' })).toContain('no project')
      expect(await refused(bob, 'delete_project', { project, tasks: 'delete' })).toContain('no project')
    }
    expect((await ok(bob, 'find_tasks', { filter: '@project:Secret' })).items).toEqual([])
    const own = await ok(bob, 'add_task', { title: 'bob task' })
    expect(await refused(bob, 'update_task', { task_id: own.id, project: secret.id })).toContain('no project')
    expect((await ok(alice, 'list_tasks', { project: 'Secret' })).items.map((x: { title: string }) => x.title)).toEqual(['hidden plan'])
  })
})

test("an assistant's move (update_task with project) is undone by moving the task back, and the undo runs", async () => {
  const task = await ok(alice, 'add_task', { title: 'undo me' })
  const target = await ok(alice, 'add_project', { name: 'Elsewhere' })
  const moved = await ok(alice, 'update_task', { task_id: task.id, project: 'Elsewhere' })
  expect(moved.project_id).toBe(target.id)
  const [step] = inverseOf({ name: 'update_task', arguments: { task_id: task.id, project: 'Elsewhere' }, ok: true, result: moved }, task)
  expect(step).toEqual({ op: 'update', id: task.id, title: 'undo me', fields: { project: task.project_id } })
  // The undo is that update_task call: it puts the task back in the Inbox.
  expect((await ok(alice, 'update_task', { task_id: task.id, ...step!.fields })).project_id).toBe(task.project_id)
})

test("an assistant's new project is undone by deleting it, and what was put in it since goes to the Inbox, not away", async () => {
  const made = await ok(alice, 'add_project', { name: 'Undo Me Project' })
  const [step] = inverseOf({ name: 'add_project', arguments: { name: 'Undo Me Project' }, ok: true, result: made })
  expect(step).toEqual({ op: 'delete_project', id: made.id, title: 'Undo Me Project' })
  const task = await ok(alice, 'add_task', { title: 'put in since', project: made.id })
  // The undo is that delete_project call, as undoLast makes it: its tasks moved, never deleted.
  expect(await ok(alice, 'delete_project', { project: step!.id, tasks: 'move' })).toMatchObject({ deleted: made.id, tasks: 1 })
  const after = await ok(alice, 'get_task', { task_id: task.id })
  expect(after.project_id).not.toBe(made.id)
  expect((await ok(alice, 'list_projects')).items.map((p: { name: string }) => p.name)).not.toContain('Undo Me Project')
})
