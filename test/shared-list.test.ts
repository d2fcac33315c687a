// A list of a user with projects shared with them: their own tasks and the shared projects' merged in the list's
// order, each exactly once, page after page, with the right total; filters and search apply to both halves.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { answerInvitation, inviteMember } from '../src/features/projects/sharing'
import { testApp, type TestApp } from './helpers/app'

let t: TestApp
let member: { token: string; id: string }
/** Every task the member sees: their own 20 and the 15 of the project shared with them (the owner's 6 others not). */
const visible: Array<{ id: string; title: string; priority: string; due_date: string | null; created_at: string }> = []

beforeAll(async () => {
  t = await testApp()
  const owner = await t.signUp()
  const signed = await t.signUp()
  member = { token: signed.token, id: signed.user.id }
  const team = (await t.call('POST', '/api/v1/projects', { token: owner.token, body: { name: 'Team' } })).body
  const deps = { db: t.database.db, clock: () => new Date() }
  const invitation = await inviteMember(deps, { id: owner.user.id, timezone: 'UTC' }, team.id, { email: signed.user.email, role: 'viewer' })
  await answerInvitation(deps, { id: signed.user.id, timezone: 'UTC' }, invitation.id, true)
  const priorities = ['low', 'medium', 'high']
  const add = async (token: string, i: number, body: Record<string, unknown>) => {
    const due = i % 4 === 0 ? undefined : new Date(Date.UTC(2027, 0, 1 + (i % 9), i % 24)).toISOString()
    const res = await t.call('POST', '/api/v1/tasks', { token, body: { priority: priorities[i % 3], ...(due ? { due_date: due } : {}), ...body } })
    expect(res.status).toBe(201)
    return res.body
  }
  for (let i = 0; i < 20; i++) visible.push(await add(member.token, i, { title: `mine ${String(i).padStart(2, '0')} invoice` }))
  for (let i = 0; i < 15; i++) visible.push(await add(owner.token, i + 100, { title: `Team ${String(i).padStart(2, '0')}`, project_id: team.id }))
  for (let i = 0; i < 6; i++) await add(owner.token, i, { title: `owner's own ${i} invoice` })
})
afterAll(() => t.dispose())

/** Every id of a list, page by page (`limit` each), and the total the first page gave. */
async function allPages(params: Record<string, string>, limit = 7): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = []
  let cursor: string | null = null
  let total = -1
  do {
    const query: URLSearchParams = new URLSearchParams({ ...params, limit: String(limit), ...(cursor ? { cursor } : {}) })
    const res: { status: number; body: { total: number; items: Array<{ id: string }>; next_cursor: string | null } } = await t.call('GET', `/api/v1/tasks?${query}`, { token: member.token })
    expect(res.status).toBe(200)
    if (total < 0) total = res.body.total
    ids.push(...res.body.items.map((task) => task.id))
    cursor = res.body.next_cursor
  } while (cursor)
  return { ids, total }
}

const byThen = <T>(key: (t: T) => string | number, dir: 1 | -1, id: (t: T) => string) => (a: T, b: T) =>
  (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : 0) || (id(a) < id(b) ? -dir : id(a) > id(b) ? dir : 0)

describe('own tasks and a shared project in one list', () => {
  test('newest first (the default): all 35, each once, in order, over pages of 7', async () => {
    const expected = [...visible].sort(byThen((t) => t.created_at, -1, (t) => t.id)).map((t) => t.id)
    const { ids, total } = await allPages({})
    expect(total).toBe(35)
    expect(ids).toEqual(expected)
  })

  test('by title, A to Z: the halves interleave by name', async () => {
    const expected = [...visible].sort(byThen((t) => t.title.toLowerCase(), 1, (t) => t.id)).map((t) => t.id)
    expect((await allPages({ sort: 'title', order: 'asc' })).ids).toEqual(expected)
  })

  test('by due date, soonest first, tasks without one last', async () => {
    const { ids } = await allPages({ sort: 'due_date', order: 'asc' }, 6)
    const dated = visible.filter((t) => t.due_date).sort(byThen((t) => t.due_date!, 1, (t) => t.id))
    const undated = visible.filter((t) => !t.due_date).sort(byThen((t) => t.id, 1, (t) => t.id))
    expect(ids).toEqual([...dated, ...undated].map((t) => t.id))
  })

  test('a search and a priority filter apply to both halves, and the total counts both', async () => {
    const { ids, total } = await allPages({ search: 'invoice', priority: 'high' }, 4)
    const expected = visible.filter((t) => t.title.includes('invoice') && t.priority === 'high')
    expect(total).toBe(expected.length)
    expect(new Set(ids)).toEqual(new Set(expected.map((t) => t.id)))
    const team = await allPages({ search: 'team' }, 10)
    expect(team.total).toBe(15)
  })
})
