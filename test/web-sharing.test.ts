// Sharing in the browser's forms, in-process: the owner invites, changes a role, removes and withdraws; the invited
// accept or decline; a member leaves; a viewer's pages offer no change and a viewer's posts are refused (403).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { testApp, type TestApp } from './helpers/app'
import { browser as browse, csrfOf } from './helpers/web'

let t: TestApp
interface Person {
  token: string
  csrf: string
  id: string
  email: string
}
let owner: Person
let member: Person
let stranger: Person
let projectId: string

const browser = (method: string, path: string, options: Parameters<typeof browse>[3] = {}) => browse(t, method, path, options)

async function person(): Promise<Person> {
  const { token, user } = await t.signUp()
  const page = await browser('GET', '/tasks', { session: token })
  return { token, csrf: csrfOf(page.text), id: user.id, email: user.email }
}

/** A form post as the person, their CSRF token added. */
const post = (who: Person, path: string, form: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  browser('POST', path, { session: who.token, form: { _csrf: who.csrf, ...form }, headers })

const page = (who: Person, path: string) => browser('GET', path, { session: who.token })

/** How many elements of the page match `selector`, as an HTML parser reads it. */
function count(html: string, selector: string): number {
  let n = 0
  new HTMLRewriter().on(selector, { element: () => void n++ }).transform(html)
  return n
}

async function invitationId(who: Person): Promise<string> {
  const settings = await page(who, '/settings')
  const id = /action="\/invitations\/([0-9a-f-]{36})\/accept"/.exec(settings.text)?.[1]
  if (!id) throw new Error('no invitation on the settings page')
  return id
}

/** Invites `who` to the project as `role` and accepts in their name. */
async function share(who: Person, role: 'editor' | 'viewer') {
  expect((await post(owner, `/projects/${projectId}/members`, { email: who.email, role })).status).toBe(303)
  expect((await post(who, `/invitations/${await invitationId(who)}/accept`)).status).toBe(303)
}

async function taskOf(id: string) {
  return (await t.call('GET', `/api/v1/tasks/${id}`, { token: owner.token })).body as { id: string; title: string; status: string }
}

beforeAll(async () => {
  t = await testApp({ clock: () => new Date('2026-11-25T12:00:00Z') })
  owner = await person()
  member = await person()
  stranger = await person()
  projectId = (await t.call('POST', '/api/v1/projects', { token: owner.token, body: { name: 'Garden' } })).body.id
})
afterAll(() => t.dispose())

describe('the owner shares a project from its settings', () => {
  test('the settings page has a Sharing card; the Inbox has none', async () => {
    const settings = await page(owner, `/projects/${projectId}/settings`)
    expect(settings.status).toBe(200)
    expect(settings.text).toContain('id="ps-sharing"')
    expect(count(settings.text, `form[action="/projects/${projectId}/members"] select[name="role"] option`)).toBe(2)
    const inbox = ((await t.call('GET', '/api/v1/projects', { token: owner.token })).body.items as Array<{ id: string; is_inbox: boolean }>).find((p) => p.is_inbox)!
    const inboxSettings = await page(owner, `/projects/${inbox.id}/settings`)
    expect(inboxSettings.status).toBe(200)
    expect(inboxSettings.text).not.toContain('id="ps-sharing"')
  })

  test('an invitation is listed as waiting, and can be withdrawn', async () => {
    const sent = await post(owner, `/projects/${projectId}/members`, { email: 'Nobody-Yet@Example.com', role: 'viewer' })
    expect(sent.status).toBe(303)
    expect(sent.headers.get('location')).toBe(`/projects/${projectId}/settings`)
    const settings = await page(owner, `/projects/${projectId}/settings`)
    expect(settings.text).toContain('Invitations waiting')
    expect(settings.text).toContain('nobody-yet@example.com')
    const id = /action="\/projects\/[^/]+\/invitations\/([0-9a-f-]{36})\/withdraw"/.exec(settings.text)![1]!
    expect((await post(owner, `/projects/${projectId}/invitations/${id}/withdraw`)).status).toBe(303)
    expect((await page(owner, `/projects/${projectId}/settings`)).text).not.toContain('nobody-yet@example.com')
  })

  test('a refused invitation is said on the card, with the address kept (422)', async () => {
    const own = await post(owner, `/projects/${projectId}/members`, { email: owner.email, role: 'editor' })
    expect(own.status).toBe(422)
    expect(own.text).toContain('id="ps-invite-error"')
    expect(own.text).toContain('you own this project')
    const bad = await post(owner, `/projects/${projectId}/members`, { email: 'not an address', role: 'editor' })
    expect(bad.status).toBe(422)
    expect(bad.text).toContain('value="not an address"')
  })

  test('a stranger cannot invite to, nor read the settings of, the project (404)', async () => {
    expect((await post(stranger, `/projects/${projectId}/members`, { email: stranger.email })).status).toBe(404)
    expect((await page(stranger, `/projects/${projectId}/settings`)).status).toBe(404)
  })
})

describe('the invited person answers', () => {
  test('a declined invitation goes away and gives no access', async () => {
    expect((await post(owner, `/projects/${projectId}/members`, { email: member.email, role: 'viewer' })).status).toBe(303)
    const tasks = await page(member, '/tasks')
    expect(tasks.text).toContain('1 project invitation waiting')
    const settings = await page(member, '/settings')
    expect(settings.text).toContain('id="invitations"')
    expect(settings.text).toContain('Garden')
    const declined = await post(member, `/invitations/${await invitationId(member)}/decline`)
    expect(declined.status).toBe(303)
    expect(declined.headers.get('location')).toBe('/settings')
    expect((await page(member, '/settings')).text).not.toContain('id="invitations"')
    expect((await page(member, `/projects/${projectId}`)).status).toBe(404)
  })

  test('someone else cannot answer an invitation (404)', async () => {
    expect((await post(owner, `/projects/${projectId}/members`, { email: member.email, role: 'viewer' })).status).toBe(303)
    const id = await invitationId(member)
    expect((await post(stranger, `/invitations/${id}/accept`)).status).toBe(404)
    expect((await post(member, `/invitations/${id}/decline`)).status).toBe(303)
  })

  test('accepting leads to the project, listed under "Shared with me" with the role', async () => {
    expect((await post(owner, `/projects/${projectId}/members`, { email: member.email, role: 'viewer' })).status).toBe(303)
    const accepted = await post(member, `/invitations/${await invitationId(member)}/accept`)
    expect(accepted.status).toBe(303)
    expect(accepted.headers.get('location')).toBe(`/projects/${projectId}`)
    const tasks = await page(member, '/tasks')
    expect(tasks.text).toContain('Shared with me')
    expect(tasks.text).toMatch(/Garden<\/span><span class="role-hint">viewer<\/span>/)
    expect(tasks.text).not.toContain('invitation waiting')
    const owners = await page(owner, `/projects/${projectId}/settings`)
    expect(owners.text).toContain(member.email)
    expect(count(owners.text, `form[action="/projects/${projectId}/members/${member.id}/remove"]`)).toBe(1)
  })
})

describe('a viewer reads and changes nothing', () => {
  let taskId: string

  beforeAll(async () => {
    taskId = (await t.call('POST', '/api/v1/tasks', { token: owner.token, body: { title: 'Water the roses', project_id: projectId } })).body.id
  })

  test("the project's page has no add box, no row controls, no bulk actions", async () => {
    const list = await page(member, `/projects/${projectId}`)
    expect(list.status).toBe(200)
    expect(list.text).toContain('Water the roses')
    expect(count(list.text, '#quick-add')).toBe(0)
    expect(count(list.text, '#bulk')).toBe(0)
    expect(count(list.text, `form[action="/tasks/${taskId}/toggle"]`)).toBe(0)
    expect(count(list.text, `form[action="/tasks/${taskId}/delete"]`)).toBe(0)
    expect(count(list.text, `a[href^="/tasks/${taskId}/edit"]`)).toBe(0)
    expect(count(list.text, `form[action="/tasks/${taskId}/indent"]`)).toBe(0)
    expect(list.text).toContain('view only')
    // A reminder of their own and the history stay.
    expect(count(list.text, `a[href="/tasks/${taskId}/reminders"]`)).toBe(1)
    // On the list of all tasks the row is read-only too.
    const all = await page(member, '/tasks')
    expect(count(all.text, `form[action="/tasks/${taskId}/toggle"]`)).toBe(0)
    expect(all.text).toContain('Water the roses')
  })

  test('Today and Upcoming list the shared tasks with no control that changes them', async () => {
    const today = (await t.call('POST', '/api/v1/tasks', { token: owner.token, body: { title: 'Mow the lawn', project_id: projectId, due_date: '2026-11-25T15:00:00Z' } })).body.id
    const later = (await t.call('POST', '/api/v1/tasks', { token: owner.token, body: { title: 'Rake the leaves', project_id: projectId, due_date: '2026-11-27T10:00:00Z' } })).body.id
    const todayPage = await page(member, '/today')
    expect(todayPage.text).toContain('Mow the lawn')
    expect(count(todayPage.text, `#today-${today} form`)).toBe(0)
    expect(count(todayPage.text, `#today-${today} a[href^="/tasks/${today}/edit"]`)).toBe(0)
    const upcoming = await page(member, '/upcoming')
    expect(upcoming.text).toContain('Rake the leaves')
    expect(count(upcoming.text, `#upcoming-${later} form`)).toBe(0)
    expect(count(upcoming.text, `#upcoming-${later}[draggable]`)).toBe(0)
    // Narrowed to the viewed project, the pages offer no add box either; the owner's do.
    expect(count((await page(member, `/today?project=${projectId}`)).text, '#quick-add')).toBe(0)
    expect(count((await page(member, `/upcoming?project=${projectId}`)).text, '#quick-add')).toBe(0)
    expect(count((await page(owner, `/today?project=${projectId}`)).text, `#today-${today} form.toggle`)).toBe(1)
    for (const id of [today, later]) await t.call('DELETE', `/api/v1/tasks/${id}`, { token: owner.token })
  })

  test('the settings page shows who has access and Leave, and none of the owner\'s controls', async () => {
    const settings = await page(member, `/projects/${projectId}/settings`)
    expect(settings.status).toBe(200)
    expect(settings.text).toContain('Who has access')
    expect(settings.text).toContain(owner.email)
    expect(settings.text).toContain('Leave project')
    expect(count(settings.text, `form[action="/projects/${projectId}"]`)).toBe(0)
    expect(count(settings.text, `form[action="/projects/${projectId}/delete"]`)).toBe(0)
    expect(count(settings.text, `form[action="/projects/${projectId}/archive"]`)).toBe(0)
    expect(count(settings.text, `form[action="/projects/${projectId}/members"]`)).toBe(0)
  })

  test("a viewer's posts to the task pages are refused (403) and change nothing", async () => {
    const back = `/projects/${projectId}`
    const refused = [
      await post(member, `/tasks/${taskId}/toggle`, { back }),
      await post(member, `/tasks/${taskId}/delete`, { back }),
      await post(member, `/tasks/${taskId}`, { back, title: 'Renamed' }),
      await post(member, '/tasks', { back, title: 'Sneaked in', project_id: projectId }),
      await post(member, '/tasks', { back, title: 'Sneaked subtask', parent_id: taskId }),
    ]
    // A bulk action naming a task the person only views is refused as a whole, as one task's change is.
    refused.push(await post(member, '/tasks/bulk', { back, action: 'complete', ids: taskId }, { 'hx-request': 'true' }))
    refused.push(await post(member, '/tasks/bulk', { back, action: 'delete', ids: taskId }))
    expect(refused.map((res) => res.status)).toEqual([403, 403, 403, 403, 403, 403, 403])
    expect(refused[5]!.text).toMatch(/shared with you as a viewer/)
    const task = await taskOf(taskId)
    expect(task.title).toBe('Water the roses')
    expect(task.status).toBe('pending')
    const titles = ((await t.call('GET', `/api/v1/tasks?project_id=${projectId}&status=pending,completed`, { token: owner.token })).body.items as Array<{ title: string }>).map((x) => x.title)
    expect(titles).toEqual(['Water the roses'])
  })

  test('a refused htmx post answers a toast that says why, swapping nothing', async () => {
    const res = await post(member, `/tasks/${taskId}/toggle`, { back: `/projects/${projectId}` }, { 'hx-request': 'true' })
    expect(res.status).toBe(403)
    expect(res.headers.get('hx-reswap')).toBe('none')
    expect(res.text).toContain('toast')
    expect(res.text).toMatch(/viewer|only/i)
  })

  test("a viewer cannot manage the project's members (403)", async () => {
    expect((await post(member, `/projects/${projectId}/members`, { email: stranger.email })).status).toBe(403)
    expect((await post(member, `/projects/${projectId}/members/${member.id}/role`, { role: 'editor' })).status).toBe(403)
  })
})

describe('roles change, members are removed or leave', () => {
  test('made an editor, the member adds a task the owner sees', async () => {
    expect((await post(owner, `/projects/${projectId}/members/${member.id}/role`, { role: 'editor' })).status).toBe(303)
    const list = await page(member, `/projects/${projectId}`)
    expect(count(list.text, '#quick-add')).toBe(1)
    expect((await post(member, '/tasks', { back: `/projects/${projectId}`, title: 'Prune the apple tree', project_id: projectId })).status).toBe(303)
    expect((await page(owner, `/projects/${projectId}`)).text).toContain('Prune the apple tree')
  })

  test("a member who leaves loses the project at once", async () => {
    const left = await post(member, `/projects/${projectId}/leave`)
    expect(left.status).toBe(303)
    expect(left.headers.get('location')).toBe('/tasks')
    expect((await page(member, `/projects/${projectId}`)).status).toBe(404)
    expect((await page(member, '/tasks')).text).not.toContain('Shared with me')
  })

  test('a removed member loses the project at once; the owner cannot leave', async () => {
    await share(member, 'editor')
    expect((await page(member, `/projects/${projectId}`)).status).toBe(200)
    expect((await post(owner, `/projects/${projectId}/members/${member.id}/remove`)).status).toBe(303)
    expect((await page(member, `/projects/${projectId}`)).status).toBe(404)
    expect((await post(member, `/tasks`, { back: '/tasks', title: 'After removal', project_id: projectId })).status).toBe(404)
    expect((await post(owner, `/projects/${projectId}/leave`)).status).toBe(409)
  })
})
