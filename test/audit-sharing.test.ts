// The audit log of shared projects: each entry says who made the change; members read the project's entries while
// they are members, strangers never; entries from before actors were recorded are filled in after the migration.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { finishAuditActors } from '../src/db/backfill-projects'
import { testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'
import { removeFrom, sharedProject, type Person } from './helpers/membership'
import { browser } from './helpers/web'

let t: TestApp
let olga: Person
let ed: Person
let vic: Person
let sam: Person
let projectId: string
let shared: { id: string }
let privateTask: { id: string }

interface Entry {
  task_id: string
  action: string
  title: string
  project_id: string | null
  actor_id: string | null
  actor_email: string | null
}
const audit = async (who: Person, query = ''): Promise<Entry[]> => {
  const res = await t.call('GET', `/api/v1/audit${query}`, { token: who.token })
  expect(res.status).toBe(200)
  return res.body.items
}

beforeAll(async () => {
  t = await testApp({ events: true })
  ;[olga, ed, vic, sam] = [await t.signUp(), await t.signUp(), await t.signUp(), await t.signUp()]
  projectId = await sharedProject(t, olga, [
    [ed, 'editor'],
    [vic, 'viewer'],
  ])
  shared = (await t.call('POST', '/api/v1/tasks', { token: olga.token, body: { title: 'Plan the trip', project_id: projectId } })).body
  expect((await t.call('PATCH', `/api/v1/tasks/${shared.id}`, { token: ed.token, body: { priority: 'high' } })).status).toBe(200)
  privateTask = (await t.call('POST', '/api/v1/tasks', { token: olga.token, body: { title: 'Olga alone' } })).body
  await t.call('POST', '/api/v1/tasks', { token: ed.token, body: { title: 'Ed alone' } })
  await t.drain()
}, 120_000)
afterAll(() => t.dispose())

describe('who made the change', () => {
  test('the owner reads a member’s change by their email, and their own by theirs', async () => {
    const entries = await audit(olga, `?task_id=${shared.id}`)
    expect(entries.map((e) => [e.action, e.actor_id, e.actor_email, e.project_id])).toEqual([
      ['updated', ed.user.id, ed.user.email, projectId],
      ['created', olga.user.id, olga.user.email, projectId],
    ])
  })

  test('a repeating task’s next instance is the app’s', async () => {
    const series = (await t.call('POST', '/api/v1/tasks', { token: ed.token, body: { title: 'Water plants', project_id: projectId, recurrence: 'DAILY', due_date: '2026-12-03T09:00:00Z' } })).body
    expect((await t.call('POST', `/api/v1/tasks/${series.id}/complete`, { token: ed.token })).status).toBe(200)
    await t.drain()
    const recurred = (await audit(olga)).find((e) => e.action === 'recurred' && e.title === 'Water plants')!
    expect(recurred).toMatchObject({ actor_id: null, actor_email: null, project_id: projectId })
    const completed = (await audit(olga, `?task_id=${series.id}`)).find((e) => e.action === 'completed')!
    expect(completed.actor_email).toBe(ed.user.email)
  })

  test('the Activity page says "by you", the member’s email, and "by the app"', async () => {
    const page = await browser(t, 'GET', '/audit', { session: olga.token })
    expect(page.status).toBe(200)
    expect(page.text).toContain('by you')
    expect(page.text).toContain(`by ${ed.user.email}`)
    expect(page.text).toContain('by the app')
    const hers = await browser(t, 'GET', `/audit?task_id=${shared.id}`, { session: ed.token })
    expect(hers.text).toContain('by you')
    expect(hers.text).toContain(`by ${olga.user.email}`)
  })
})

describe('who reads the entries', () => {
  test('members read the shared project’s entries beside their own; never the owner’s other tasks', async () => {
    const edSees = new Set((await audit(ed, '?limit=100')).map((e) => e.title))
    expect(edSees.has('Plan the trip')).toBe(true)
    expect(edSees.has('Ed alone')).toBe(true)
    expect(edSees.has('Olga alone')).toBe(false)
    const vicSees = await audit(vic, '?limit=100')
    expect(vicSees.length).toBeGreaterThan(0)
    expect(vicSees.every((e) => e.project_id === projectId)).toBe(true)
    expect((await audit(vic, `?task_id=${shared.id}`)).map((e) => e.action)).toEqual(['updated', 'created'])
    expect(await audit(vic, `?task_id=${privateTask.id}`)).toEqual([])
  })

  test('a stranger reads nothing of it, by list or by task', async () => {
    expect(await audit(sam, '?limit=100')).toEqual([])
    expect(await audit(sam, `?task_id=${shared.id}`)).toEqual([])
    const page = await browser(t, 'GET', `/audit?task_id=${shared.id}`, { session: sam.token })
    expect(page.text).not.toContain('Plan the trip')
  })

  test('a removed member loses the project’s entries at once; the owner keeps them', async () => {
    const viewer = await t.signUp()
    const project = await sharedProject(t, olga, [[viewer, 'viewer']])
    const task = (await t.call('POST', '/api/v1/tasks', { token: olga.token, body: { title: 'Members only', project_id: project } })).body
    await t.drain()
    expect((await audit(viewer, `?task_id=${task.id}`)).length).toBe(1)
    await removeFrom(t, olga, project, viewer)
    expect(await audit(viewer, '?limit=100')).toEqual([])
    expect(await audit(viewer, `?task_id=${task.id}`)).toEqual([])
    expect((await audit(olga, `?task_id=${task.id}`)).length).toBe(1)
  })

  test('a task brought into a shared project shows the members what happened to it there, not its private past', async () => {
    const task = (await t.call('POST', '/api/v1/tasks', { token: olga.token, body: { title: 'Surprise party for Ed' } })).body
    const renamed = { title: 'Plan the summer party', project_id: projectId }
    expect((await t.call('PATCH', `/api/v1/tasks/${task.id}`, { token: olga.token, body: renamed })).status).toBe(200)
    await t.drain()
    expect((await audit(olga, `?task_id=${task.id}`)).map((e) => e.action)).toEqual(['updated', 'created'])
    const edSees = await audit(ed, `?task_id=${task.id}`)
    expect(edSees.map((e) => [e.action, e.title])).toEqual([['updated', 'Plan the summer party']])
    for (const who of [ed, vic]) {
      expect(JSON.stringify(await audit(who, '?limit=100'))).not.toContain('"title":"Surprise party for Ed"')
      const page = await browser(t, 'GET', `/audit?task_id=${task.id}`, { session: who.token })
      expect(page.status).toBe(200)
      expect(page.text).toContain('Plan the summer party')
    }
  })
})

describe('entries from before actors were recorded', () => {
  test('are filled in after the migration (the owner’s, but a next instance the app’s), and the members’ index is built', async () => {
    const db = t.database.db
    await db.execute(sql`drop index audit_log_project_idx`)
    const old = (await t.call('POST', '/api/v1/tasks', { token: olga.token, body: { title: 'From long ago', project_id: projectId } })).body
    await t.drain()
    await db.execute(sql`update audit_log set actor_id = null, project_id = null where task_id = ${old.id}`)
    await db.execute(sql`update audit_log set actor_id = null, project_id = null, action = 'recurred' where task_id = ${privateTask.id}`)
    await finishAuditActors(db, false)
    const filled = await rows<{ task_id: string; actor_id: string | null; project_id: string | null }>(
      t.database,
      sql`select task_id, actor_id, project_id from audit_log where task_id in (${old.id}, ${privateTask.id})`,
    )
    expect(filled.find((r) => r.task_id === old.id)).toMatchObject({ actor_id: olga.user.id, project_id: projectId })
    expect(filled.find((r) => r.task_id === privateTask.id)).toMatchObject({ actor_id: null })
    expect(filled.find((r) => r.task_id === privateTask.id)!.project_id).not.toBeNull()
    const index = await rows<{ n: string }>(t.database, sql`select count(*) as n from pg_indexes where indexname = 'audit_log_project_idx'`)
    expect(Number(index[0]!.n)).toBe(1)
  })
})
