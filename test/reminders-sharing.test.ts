// Reminders on a shared project's tasks: each person's reminder goes to them alone (notification and webhook), and
// only while they see the task; a member who is removed, leaves, or loses sight of the task gets none.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'
import { removeFrom, sharedProject, type Person } from './helpers/membership'

let t: TestApp
let owner: Person
let editor: Person
let viewer: Person
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()

beforeAll(async () => {
  t = await testApp({ events: true })
  ;[owner, editor, viewer] = [await t.signUp(), await t.signUp(), await t.signUp()]
  // Their webhooks (a documentation address: queued deliveries are what these tests read, none is sent anywhere).
  for (const who of [owner, editor, viewer]) {
    await t.database.db.execute(sql`insert into webhooks (user_id, url, secret, created_at) values (${who.user.id}, ${`https://192.0.2.1/${who.user.id}`}, 'secret', now())`)
  }
}, 120_000)
afterAll(() => t.dispose())

async function project(): Promise<string> {
  return sharedProject(t, owner, [
    [editor, 'editor'],
    [viewer, 'viewer'],
  ])
}
async function sharedTask(projectId: string, title: string): Promise<string> {
  const made = await t.call('POST', '/api/v1/tasks', { token: owner.token, body: { title, project_id: projectId, due_date: inMinutes(120) } })
  expect(made.status).toBe(201)
  return made.body.id
}
async function remind(who: Person, taskId: string): Promise<string> {
  const res = await t.call('POST', `/api/v1/tasks/${taskId}/reminders`, { token: who.token, body: { remind_at: inMinutes(30) } })
  expect(res.status).toBe(201)
  return res.body.id
}
const state = async (id: string) => (await rows<{ status: string; cancelled_by: string | null }>(t.database, sql`select status, cancelled_by from reminders where id = ${id}`))[0]!

/** As if the time had come: the task's pending reminders fall due, the scheduler fires them, and they are delivered. */
async function comeDue(taskId: string): Promise<void> {
  await t.drain()
  await t.database.db.execute(sql`update reminders set remind_at = now() - interval '1 minute' where task_id = ${taskId} and status = 'pending'`)
  await t.scheduler!.tick()
  await t.drain()
}
const notified = async (who: Person, taskId: string) =>
  (await t.call('GET', '/api/v1/notifications', { token: who.token })).body.items.filter((n: { task_id: string }) => n.task_id === taskId)
const hooks = async (who: Person, taskId: string) =>
  (await rows<{ body: string }>(t.database, sql`select body from webhook_deliveries where user_id = ${who.user.id}`))
    .map((d) => JSON.parse(d.body) as { reminder: { id: string }; task: { id: string } })
    .filter((d) => d.task.id === taskId)

describe('each person’s reminder on a shared task', () => {
  test('the owner and a viewer each set one: each gets their own notification and webhook, and nobody else’s', async () => {
    const taskId = await sharedTask(await project(), 'Book the venue')
    const mine = await remind(owner, taskId)
    const theirs = await remind(viewer, taskId)
    await comeDue(taskId)
    expect([(await state(mine)).status, (await state(theirs)).status]).toEqual(['triggered', 'triggered'])
    expect((await notified(owner, taskId)).length).toBe(1)
    expect((await notified(viewer, taskId)).length).toBe(1)
    expect(await notified(editor, taskId)).toEqual([])
    expect((await hooks(owner, taskId)).map((h) => h.reminder.id)).toEqual([mine])
    expect((await hooks(viewer, taskId)).map((h) => h.reminder.id)).toEqual([theirs])
    expect(await hooks(editor, taskId)).toEqual([])
  })
})

describe('a setter who no longer sees the task', () => {
  test('a removed member’s reminder is cancelled with the removal and never fires; the owner’s still does', async () => {
    const projectId = await project()
    const taskId = await sharedTask(projectId, 'Order the cake')
    const mine = await remind(owner, taskId)
    const theirs = await remind(editor, taskId)
    await t.drain()
    await removeFrom(t, owner, projectId, editor)
    expect(await state(theirs)).toEqual({ status: 'cancelled', cancelled_by: 'access' })
    await comeDue(taskId)
    expect((await state(mine)).status).toBe('triggered')
    expect(await state(theirs)).toEqual({ status: 'cancelled', cancelled_by: 'access' })
    expect(await notified(editor, taskId)).toEqual([])
    expect(await hooks(editor, taskId)).toEqual([])
    expect((await notified(owner, taskId)).length).toBe(1)
    // Their list still holds the reminder, cancelled, and nothing of the task but its id.
    const past = await t.call('GET', '/api/v1/reminders?when=past', { token: editor.token })
    expect(past.body.items.find((r: { id: string }) => r.id === theirs)).toMatchObject({ status: 'cancelled' })
    expect(past.text).not.toContain('Order the cake')
  })

  test('a member who leaves loses their reminders on the project’s tasks, and only those', async () => {
    const projectId = await project()
    const taskId = await sharedTask(projectId, 'Send invitations')
    const theirs = await remind(viewer, taskId)
    const own = (await t.call('POST', '/api/v1/tasks', { token: viewer.token, body: { title: 'Viewer’s own', due_date: inMinutes(120) } })).body.id
    const kept = await remind(viewer, own)
    await removeFrom(t, viewer, projectId, viewer)
    expect(await state(theirs)).toEqual({ status: 'cancelled', cancelled_by: 'access' })
    expect((await state(kept)).status).toBe('pending')
  })

  test('a task moved to a project the setter cannot see: their reminder is cancelled, the owner’s stays', async () => {
    const taskId = await sharedTask(await project(), 'Private after all')
    const mine = await remind(owner, taskId)
    const theirs = await remind(editor, taskId)
    const privateProject = (await t.call('POST', '/api/v1/projects', { token: owner.token, body: { name: `Mine ${crypto.randomUUID().slice(0, 8)}` } })).body.id
    expect((await t.call('PATCH', `/api/v1/tasks/${taskId}`, { token: owner.token, body: { project_id: privateProject } })).status).toBe(200)
    await t.drain()
    expect(await state(theirs)).toEqual({ status: 'cancelled', cancelled_by: 'access' })
    expect((await state(mine)).status).toBe('pending')
  })

  test('at firing time, a reminder whose setter lost sight of the task is cancelled, not delivered', async () => {
    const projectId = await project()
    const taskId = await sharedTask(projectId, 'Checked when it fires')
    const theirs = await remind(editor, taskId)
    await t.drain()
    // The membership gone by a way that does not cancel reminders: the firing itself must check.
    await t.database.db.execute(sql`delete from project_members where project_id = ${projectId} and user_id = ${editor.user.id}`)
    await comeDue(taskId)
    expect(await state(theirs)).toEqual({ status: 'cancelled', cancelled_by: 'access' })
    expect(await notified(editor, taskId)).toEqual([])
    expect(await hooks(editor, taskId)).toEqual([])
  })
})
