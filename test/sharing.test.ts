// Sharing projects over REST: inviting, accepting, declining and withdrawing; what an editor, a viewer, an ex-member
// and a stranger can do in a shared project and its tasks; moves across owners and the owner's quota.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { restoreTasks } from '../src/features/tasks/service'
import { DEFAULT_QUOTAS } from '../src/lib/quotas'
import { testApp, type TestApp } from './helpers/app'
import { rows } from './helpers/db'

interface Person {
  token: string
  id: string
  email: string
  timezone: string
}

let t: TestApp
let owner: Person
let editor: Person
let viewer: Person
let stranger: Person

/** Tasks per account here: small, so the quota test fills one. */
const QUOTA = 12
/** An id nothing has. */
const MISSING = '01a21411-0000-7000-8000-000000000000'

async function person(app = t): Promise<Person> {
  const { token, user } = await app.signUp()
  return { token, ...user }
}
const api = (as: Person, method: string, path: string, body?: unknown, app = t) => app.call(method, path, { token: as.token, ...(body === undefined ? {} : { body }) })

async function project(as: Person, name: string, app = t): Promise<string> {
  const res = await api(as, 'POST', '/api/v1/projects', { name }, app)
  expect(res.status).toBe(201)
  return res.body.id
}
async function invite(as: Person, projectId: string, email: string, role?: string, app = t) {
  const res = await api(as, 'POST', `/api/v1/projects/${projectId}/invitations`, { email, ...(role ? { role } : {}) }, app)
  expect(res.status).toBe(201)
  return res.body as { id: string; project_id: string; project_name: string; email: string; role: string; invited_by: string; created_at: string }
}
/** `who` joins `projectId` as `role`: the owner invites, they accept. */
async function share(projectId: string, who: Person, role: 'editor' | 'viewer', by = owner, app = t): Promise<void> {
  const invitation = await invite(by, projectId, who.email, role, app)
  const accepted = await api(who, 'POST', `/api/v1/invitations/${invitation.id}/accept`, undefined, app)
  expect(accepted.status).toBe(200)
  expect(accepted.body).toEqual({ project_id: projectId, role })
}
async function addTask(as: Person, body: Record<string, unknown>, app = t) {
  const res = await api(as, 'POST', '/api/v1/tasks', body, app)
  expect(res.status).toBe(201)
  return res.body as { id: string; title: string; project_id: string; status: string }
}
const titles = (res: { body: { items: Array<{ title: string }> } }) => res.body.items.map((task) => task.title).sort()
const ownerOf = async (taskId: string) => (await rows<{ user_id: string }>(t.database, sql`select user_id from tasks where id = ${taskId}`))[0]?.user_id

beforeAll(async () => {
  t = await testApp({ env: { TASKS_PER_USER: String(QUOTA) } })
  owner = await person()
  editor = await person()
  viewer = await person()
  stranger = await person()
}, 120_000)
afterAll(() => t.dispose())

describe('inviting and answering', () => {
  test('invite, the invitee lists it, accepts, and then sees the project (role, owner) and its tasks', async () => {
    const id = await project(owner, 'Garden')
    const task = await addTask(owner, { title: 'dig beds', project_id: id })
    const invitation = await invite(owner, id, editor.email.toUpperCase())
    expect(invitation).toMatchObject({ project_id: id, project_name: 'Garden', email: editor.email, role: 'editor', invited_by: owner.email })

    const mine = await api(editor, 'GET', '/api/v1/invitations')
    expect(mine.status).toBe(200)
    expect(mine.body.items).toEqual([invitation])
    // Before accepting, the project is not theirs to see.
    expect((await api(editor, 'GET', `/api/v1/projects/${id}`)).status).toBe(404)
    const owners = await api(owner, 'GET', `/api/v1/projects/${id}/members`)
    expect(owners.body.invitations).toEqual([invitation])

    const accepted = await api(editor, 'POST', `/api/v1/invitations/${invitation.id}/accept`)
    expect(accepted.status).toBe(200)
    expect(accepted.body).toEqual({ project_id: id, role: 'editor' })
    expect((await api(editor, 'GET', '/api/v1/invitations')).body.items).toEqual([])

    const listed = (await api(editor, 'GET', '/api/v1/projects')).body.items as Array<{ id: string; role: string; owner_email: string; open_count: number }>
    expect(listed.find((p) => p.id === id)).toMatchObject({ name: 'Garden', role: 'editor', owner_email: owner.email, open_count: 1 })
    expect(listed[0]).toMatchObject({ is_inbox: true, role: 'owner', owner_email: editor.email })
    expect((await api(editor, 'GET', `/api/v1/projects/${id}`)).body).toMatchObject({ id, role: 'editor' })
    expect(titles(await api(editor, 'GET', '/api/v1/tasks'))).toContain('dig beds')
    expect(titles(await api(editor, 'GET', `/api/v1/tasks?project_id=${id}`))).toEqual(['dig beds'])
    expect((await api(editor, 'GET', `/api/v1/tasks/${task.id}`)).body).toMatchObject({ id: task.id, project_id: id })

    const members = await api(editor, 'GET', `/api/v1/projects/${id}/members`)
    expect(members.status).toBe(200)
    expect(members.body).toMatchObject({ project_id: id, your_role: 'editor', invitations: [] })
    expect(members.body.members.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([[owner.email, 'owner'], [editor.email, 'editor']])
    expect(members.body.members[0].joined_at).toBeNull()
  })

  test('inviting again changes the invited role; an existing member is a 409 naming email', async () => {
    const id = await project(owner, 'Reinvite')
    const first = await invite(owner, id, viewer.email, 'editor')
    const second = await invite(owner, id, viewer.email, 'viewer')
    expect(second).toMatchObject({ id: first.id, role: 'viewer' })
    await api(viewer, 'POST', `/api/v1/invitations/${first.id}/accept`)
    const again = await api(owner, 'POST', `/api/v1/projects/${id}/invitations`, { email: viewer.email, role: 'editor' })
    expect(again.status).toBe(409)
    expect(again.body.error.field).toBe('email')
  })

  test('decline: the invitation goes and the project stays out of reach', async () => {
    const id = await project(owner, 'Declined')
    const invitation = await invite(owner, id, viewer.email)
    const declined = await api(viewer, 'POST', `/api/v1/invitations/${invitation.id}/decline`)
    expect(declined.status).toBe(204)
    expect((await api(viewer, 'GET', '/api/v1/invitations')).body.items.map((i: { id: string }) => i.id)).not.toContain(invitation.id)
    expect((await api(owner, 'GET', `/api/v1/projects/${id}/members`)).body.invitations).toEqual([])
    expect((await api(viewer, 'GET', `/api/v1/projects/${id}`)).status).toBe(404)
    expect((await api(viewer, 'POST', `/api/v1/invitations/${invitation.id}/accept`)).status).toBe(404)
  })

  test('cancel: the owner withdraws an invitation, which can no longer be accepted', async () => {
    const id = await project(owner, 'Withdrawn')
    const invitation = await invite(owner, id, viewer.email)
    expect((await api(owner, 'DELETE', `/api/v1/projects/${id}/invitations/${invitation.id}`)).status).toBe(204)
    expect((await api(viewer, 'GET', '/api/v1/invitations')).body.items.map((i: { id: string }) => i.id)).not.toContain(invitation.id)
    expect((await api(viewer, 'POST', `/api/v1/invitations/${invitation.id}/accept`)).status).toBe(404)
    expect((await api(owner, 'DELETE', `/api/v1/projects/${id}/invitations/${invitation.id}`)).status).toBe(404)
  })

  test('the Inbox cannot be shared (409), nor a project with yourself (400); bad input names its field', async () => {
    const inbox = (await api(owner, 'GET', '/api/v1/projects')).body.items.find((p: { is_inbox: boolean }) => p.is_inbox).id
    const toInbox = await api(owner, 'POST', `/api/v1/projects/${inbox}/invitations`, { email: editor.email })
    expect(toInbox.status).toBe(409)
    expect(toInbox.body.error.field).toBe('project_id')
    const id = await project(owner, 'Selfish')
    const self = await api(owner, 'POST', `/api/v1/projects/${id}/invitations`, { email: owner.email })
    expect(self.status).toBe(400)
    expect(self.body.error.field).toBe('email')
    for (const [body, field] of [[{ email: 'not an address' }, 'email'], [{ email: editor.email, role: 'owner' }, 'role'], [{ email: editor.email, admin: true }, 'admin']] as const) {
      const res = await api(owner, 'POST', `/api/v1/projects/${id}/invitations`, body)
      expect({ status: res.status, field: res.body.error.field }).toEqual({ status: 400, field })
    }
    expect((await api(owner, 'GET', `/api/v1/projects/${id}/members`)).body.invitations).toEqual([])
  })

  test('an unknown invitation, or one addressed to someone else, is a 404 and stays as it was', async () => {
    const id = await project(owner, 'Not yours')
    const invitation = await invite(owner, id, editor.email)
    for (const path of [`/api/v1/invitations/${invitation.id}/accept`, `/api/v1/invitations/${invitation.id}/decline`, `/api/v1/invitations/${MISSING}/accept`, '/api/v1/invitations/nonsense/decline']) {
      const res = await api(stranger, 'POST', path)
      expect({ path, status: res.status, code: res.body.error.code }).toEqual({ path, status: 404, code: 'not_found' })
    }
    expect((await api(owner, 'DELETE', `/api/v1/projects/${id}/invitations/${MISSING}`)).status).toBe(404)
    const other = await project(owner, 'Other')
    expect((await api(owner, 'DELETE', `/api/v1/projects/${other}/invitations/${invitation.id}`)).status).toBe(404)
    expect((await api(editor, 'GET', '/api/v1/invitations')).body.items.map((i: { id: string }) => i.id)).toContain(invitation.id)
  })

  test('the answer to an invitation is the same whether or not an account has the address', async () => {
    const id = await project(owner, 'Enumeration')
    const known = await api(owner, 'POST', `/api/v1/projects/${id}/invitations`, { email: stranger.email, role: 'viewer' })
    const unknown = await api(owner, 'POST', `/api/v1/projects/${id}/invitations`, { email: 'nobody-here@example.com', role: 'viewer' })
    expect(known.status).toBe(unknown.status)
    const shape = (body: Record<string, unknown>) => ({ ...body, id: 'x', email: 'x', created_at: 'x' })
    expect(shape(known.body)).toEqual(shape(unknown.body))
    expect(Object.keys(known.body).sort()).toEqual(Object.keys(unknown.body).sort())
    expect([...known.headers.keys()].sort()).toEqual([...unknown.headers.keys()].sort())
  })
})

describe('roles', () => {
  let id: string
  let task: { id: string }
  beforeAll(async () => {
    id = await project(owner, 'Kitchen')
    task = await addTask(owner, { title: 'paint walls', project_id: id, priority: 'low' })
    await share(id, editor, 'editor')
    await share(id, viewer, 'viewer')
  })

  test('an editor creates, updates, completes, deletes and restores a task in the shared project; it is the owner\'s', async () => {
    const made = await addTask(editor, { title: 'buy tiles', project_id: id })
    expect(made.project_id).toBe(id)
    expect(await ownerOf(made.id)).toBe(owner.id)
    expect(titles(await api(owner, 'GET', `/api/v1/tasks?project_id=${id}`))).toContain('buy tiles')

    const updated = await api(editor, 'PATCH', `/api/v1/tasks/${made.id}`, { title: 'buy blue tiles', priority: 'high' })
    expect(updated.status).toBe(200)
    expect((await api(owner, 'GET', `/api/v1/tasks/${made.id}`)).body).toMatchObject({ title: 'buy blue tiles', priority: 'high' })
    const done = await api(editor, 'POST', `/api/v1/tasks/${made.id}/complete`)
    expect(done.status).toBe(200)
    expect((await api(owner, 'GET', `/api/v1/tasks/${made.id}`)).body.status).toBe('completed')
    expect((await api(editor, 'POST', `/api/v1/tasks/${made.id}/reopen`)).status).toBe(200)

    expect((await api(editor, 'DELETE', `/api/v1/tasks/${made.id}`)).status).toBe(204)
    expect((await api(owner, 'GET', `/api/v1/tasks/${made.id}`)).status).toBe(404)
    const restored = await restoreTasks({ db: t.database.db, clock: () => new Date(), quotas: { ...DEFAULT_QUOTAS, tasks: QUOTA } }, editor, [made.id])
    expect(restored.map((r) => [r.id, r.project_id])).toEqual([[made.id, id]])
    expect(await ownerOf(made.id)).toBe(owner.id)
    expect((await api(owner, 'GET', `/api/v1/tasks/${made.id}`)).body).toMatchObject({ title: 'buy blue tiles', project_id: id })
    // An editor still cannot manage the project.
    const rename = await api(editor, 'PATCH', `/api/v1/projects/${id}`, { name: 'Mine now' })
    expect(rename.status).toBe(403)
  })

  test('a viewer reads everything but every write is a 403 naming the field, and nothing changes', async () => {
    expect(titles(await api(viewer, 'GET', `/api/v1/tasks?project_id=${id}`))).toContain('paint walls')
    expect((await api(viewer, 'GET', `/api/v1/tasks/${task.id}`)).status).toBe(200)
    expect((await api(viewer, 'GET', `/api/v1/projects/${id}/members`)).body.your_role).toBe('viewer')
    const before = (await api(owner, 'GET', `/api/v1/tasks?project_id=${id}&status=pending,completed`)).body.items
    const own = await project(viewer, 'Viewer own')
    const ownTask = await addTask(viewer, { title: 'mine', project_id: own })
    const writes: Array<[string, string, unknown, string | undefined]> = [
      ['POST', '/api/v1/tasks', { title: 'sneaky', project_id: id }, 'project_id'],
      ['POST', '/api/v1/tasks', { title: 'sneaky child', parent_id: task.id }, 'parent_id'],
      ['PATCH', `/api/v1/tasks/${task.id}`, { title: 'changed' }, 'id'],
      ['POST', `/api/v1/tasks/${task.id}/complete`, undefined, 'id'],
      ['DELETE', `/api/v1/tasks/${task.id}`, undefined, 'id'],
      ['PATCH', `/api/v1/tasks/${ownTask.id}`, { project_id: id }, 'project_id'],
      ['PATCH', `/api/v1/projects/${id}`, { color: 'red' }, undefined],
      ['DELETE', `/api/v1/projects/${id}?tasks=move`, undefined, undefined],
      ['POST', `/api/v1/projects/${id}/invitations`, { email: 'friend@example.com' }, undefined],
      ['PATCH', `/api/v1/projects/${id}/members/${editor.id}`, { role: 'viewer' }, undefined],
      ['DELETE', `/api/v1/projects/${id}/members/${editor.id}`, undefined, 'user_id'],
    ]
    for (const [method, path, body, field] of writes) {
      const res = await api(viewer, method, path, body)
      expect({ method, path, status: res.status, code: res.body?.error?.code, field: res.body?.error?.field }).toEqual({ method, path, status: 403, code: 'forbidden', field })
      expect(res.body.error.message).toContain('Kitchen')
    }
    expect((await api(owner, 'GET', `/api/v1/tasks?project_id=${id}&status=pending,completed`)).body.items).toEqual(before)
    expect((await api(owner, 'GET', `/api/v1/projects/${id}`)).body).toMatchObject({ name: 'Kitchen', color: 'grey' })
    expect((await api(owner, 'GET', `/api/v1/projects/${id}/members`)).body.members.map((m: { role: string }) => m.role)).toEqual(['owner', 'editor', 'viewer'])
    expect((await api(viewer, 'GET', `/api/v1/tasks/${ownTask.id}`)).body.project_id).toBe(own)
  })

  test('a role change holds from the next request', async () => {
    const id2 = await project(owner, 'Promotions')
    const item = await addTask(owner, { title: 'plan', project_id: id2 })
    const member = await person()
    await share(id2, member, 'viewer')
    expect((await api(member, 'PATCH', `/api/v1/tasks/${item.id}`, { title: 'plan A' })).status).toBe(403)
    expect((await api(owner, 'PATCH', `/api/v1/projects/${id2}/members/${member.id}`, { role: 'editor' })).status).toBe(204)
    expect((await api(member, 'PATCH', `/api/v1/tasks/${item.id}`, { title: 'plan A' })).status).toBe(200)
    expect((await api(member, 'GET', '/api/v1/projects')).body.items.find((p: { id: string }) => p.id === id2).role).toBe('editor')
    expect((await api(owner, 'PATCH', `/api/v1/projects/${id2}/members/${member.id}`, { role: 'viewer' })).status).toBe(204)
    expect((await api(member, 'PATCH', `/api/v1/tasks/${item.id}`, { title: 'plan B' })).status).toBe(403)
    expect((await api(owner, 'GET', `/api/v1/tasks/${item.id}`)).body.title).toBe('plan A')
    const bad = await api(owner, 'PATCH', `/api/v1/projects/${id2}/members/${member.id}`, { role: 'owner' })
    expect({ status: bad.status, field: bad.body.error.field }).toEqual({ status: 400, field: 'role' })
    expect((await api(owner, 'PATCH', `/api/v1/projects/${id2}/members/${stranger.id}`, { role: 'editor' })).status).toBe(404)
    expect((await api(owner, 'PATCH', `/api/v1/projects/${id2}/members/${owner.id}`, { role: 'viewer' })).status).toBe(404)
  })

  test('a removed member gets 404 on the project and its tasks at once', async () => {
    const id2 = await project(owner, 'Removal')
    const item = await addTask(owner, { title: 'secret plan', project_id: id2 })
    const member = await person()
    await share(id2, member, 'editor')
    expect((await api(member, 'GET', `/api/v1/tasks/${item.id}`)).status).toBe(200)
    expect((await api(owner, 'DELETE', `/api/v1/projects/${id2}/members/${member.id}`)).status).toBe(204)
    for (const [method, path, body] of [
      ['GET', `/api/v1/projects/${id2}`],
      ['GET', `/api/v1/projects/${id2}/members`],
      ['GET', `/api/v1/tasks/${item.id}`],
      ['PATCH', `/api/v1/tasks/${item.id}`, { title: 'mine' }],
      ['POST', `/api/v1/tasks/${item.id}/complete`],
      ['DELETE', `/api/v1/tasks/${item.id}`],
    ] as Array<[string, string, unknown?]>) {
      expect({ method, path, status: (await api(member, method, path, body)).status }).toEqual({ method, path, status: 404 })
    }
    expect((await api(member, 'GET', `/api/v1/tasks?project_id=${id2}`)).body.items).toEqual([])
    expect(titles(await api(member, 'GET', '/api/v1/tasks'))).not.toContain('secret plan')
    expect((await api(member, 'GET', '/api/v1/projects')).body.items.map((p: { id: string }) => p.id)).not.toContain(id2)
    const task = await api(member, 'POST', '/api/v1/tasks', { title: 'sneak', project_id: id2 })
    expect({ status: task.status, field: task.body.error.field }).toEqual({ status: 400, field: 'project_id' })
    expect((await api(owner, 'GET', `/api/v1/tasks/${item.id}`)).body.title).toBe('secret plan')
  })

  test('a member leaves by removing themself; they cannot remove others, nor the owner leave', async () => {
    const id2 = await project(owner, 'Leaving')
    const a = await person()
    const b = await person()
    await share(id2, a, 'editor')
    await share(id2, b, 'viewer')
    const other = await api(a, 'DELETE', `/api/v1/projects/${id2}/members/${b.id}`)
    expect({ status: other.status, field: other.body.error.field }).toEqual({ status: 403, field: 'user_id' })
    const ownerLeaves = await api(owner, 'DELETE', `/api/v1/projects/${id2}/members/${owner.id}`)
    expect({ status: ownerLeaves.status, field: ownerLeaves.body.error.field }).toEqual({ status: 409, field: 'user_id' })
    const memberRemovesOwner = await api(a, 'DELETE', `/api/v1/projects/${id2}/members/${owner.id}`)
    expect(memberRemovesOwner.status).toBe(409)
    expect((await api(a, 'DELETE', `/api/v1/projects/${id2}/members/${a.id}`)).status).toBe(204)
    expect((await api(a, 'GET', `/api/v1/projects/${id2}`)).status).toBe(404)
    expect((await api(owner, 'GET', `/api/v1/projects/${id2}/members`)).body.members.map((m: { email: string }) => m.email)).toEqual([owner.email, b.email])
    expect((await api(owner, 'DELETE', `/api/v1/projects/${id2}/members/${a.id}`)).status).toBe(404)
  })

  test('a stranger gets 404 on every sharing route of a project not shared with them', async () => {
    const invitation = await invite(owner, id, 'later@example.com')
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `/api/v1/projects/${id}/members`],
      ['POST', `/api/v1/projects/${id}/invitations`, { email: 'friend@example.com' }],
      ['DELETE', `/api/v1/projects/${id}/invitations/${invitation.id}`],
      ['PATCH', `/api/v1/projects/${id}/members/${editor.id}`, { role: 'viewer' }],
      ['DELETE', `/api/v1/projects/${id}/members/${editor.id}`],
      ['DELETE', `/api/v1/projects/${id}/members/${stranger.id}`],
      ['POST', `/api/v1/invitations/${invitation.id}/accept`],
      ['POST', `/api/v1/invitations/${invitation.id}/decline`],
    ]
    for (const [method, path, body] of routes) {
      const res = await api(stranger, method, path, body)
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 })
    }
    const members = (await api(owner, 'GET', `/api/v1/projects/${id}/members`)).body
    expect(members.members.map((m: { role: string }) => m.role)).toEqual(['owner', 'editor', 'viewer'])
    expect(members.invitations.map((i: { id: string }) => i.id)).toEqual([invitation.id])
    expect((await t.call('GET', `/api/v1/projects/${id}/members`)).status).toBe(401)
    expect((await t.call('GET', '/api/v1/invitations')).status).toBe(401)
  })
})

describe('moves across owners', () => {
  test('an editor moves a task out of the shared project and back; it becomes the destination owner\'s', async () => {
    const shared = await project(owner, 'Moves')
    await share(shared, editor, 'editor')
    const own = await project(editor, 'Editor own')
    const item = await addTask(owner, { title: 'travelling', project_id: shared })
    const child = await addTask(owner, { title: 'luggage', parent_id: item.id })
    const out = await api(editor, 'PATCH', `/api/v1/tasks/${item.id}`, { project_id: own })
    expect(out.status).toBe(200)
    expect(out.body.project_id).toBe(own)
    expect([await ownerOf(item.id), await ownerOf(child.id)]).toEqual([editor.id, editor.id])
    expect((await api(owner, 'GET', `/api/v1/tasks/${item.id}`)).status).toBe(404)
    const back = await api(editor, 'PATCH', `/api/v1/tasks/${item.id}`, { project_id: shared })
    expect(back.status).toBe(200)
    expect([await ownerOf(item.id), await ownerOf(child.id)]).toEqual([owner.id, owner.id])
    expect((await api(owner, 'GET', `/api/v1/tasks/${child.id}`)).body.project_id).toBe(shared)
  })

  test('a viewer can move nothing out of the project they view, nor into it', async () => {
    const viewed = await project(owner, 'Viewed moves')
    await share(viewed, viewer, 'viewer')
    const own = await project(viewer, 'Viewer moves')
    const theirs = await addTask(owner, { title: 'stays put', project_id: viewed })
    const mine = await addTask(viewer, { title: 'stays mine', project_id: own })
    const out = await api(viewer, 'PATCH', `/api/v1/tasks/${theirs.id}`, { project_id: own })
    expect({ status: out.status, field: out.body.error.field }).toEqual({ status: 403, field: 'id' })
    const into = await api(viewer, 'PATCH', `/api/v1/tasks/${mine.id}`, { project_id: viewed })
    expect({ status: into.status, field: into.body.error.field }).toEqual({ status: 403, field: 'project_id' })
    expect([await ownerOf(theirs.id), await ownerOf(mine.id)]).toEqual([owner.id, viewer.id])
    expect((await api(viewer, 'GET', `/api/v1/tasks/${mine.id}`)).body.project_id).toBe(own)
    expect((await api(owner, 'GET', `/api/v1/tasks/${theirs.id}`)).body.project_id).toBe(viewed)
  })
})

describe('quota', () => {
  test("tasks an editor adds count on the owner's quota, not the editor's", async () => {
    const boss = await person()
    const helper = await person()
    const id = await project(boss, 'Tight')
    await share(id, helper, 'editor', boss)
    await addTask(boss, { title: 'first', project_id: id })
    for (let n = 2; n <= QUOTA; n++) await addTask(helper, { title: `task ${n}`, project_id: id })
    const full = await api(helper, 'POST', '/api/v1/tasks', { title: 'one too many', project_id: id })
    expect({ status: full.status, code: full.body.error.code }).toEqual({ status: 409, code: 'quota_exceeded' })
    expect((await api(boss, 'POST', '/api/v1/tasks', { title: 'in the Inbox' })).status).toBe(409)
    // The editor's own quota is untouched.
    await addTask(helper, { title: 'their own' })
  })
})
