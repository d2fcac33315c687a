// Sharing over MCP: share_project, list_project_members, unshare_project, leave_project, list_invitations and
// answer_invitation, and the task tools as an editor, a viewer and an ex-member; refusals are tool errors a model can act on.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { testApp, type TestApp } from './helpers/app'
import { mcpClient } from './helpers/mcp'

interface Person {
  client: Client
  email: string
  id: string
}

let t: TestApp
let owner: Person
let editor: Person
let viewer: Person
let stranger: Person

type Result = { isError?: boolean; structuredContent?: any; content: Array<{ type: string; text?: string }> }

async function person(): Promise<Person> {
  const { token, user } = await t.signUp()
  const { body } = await t.call('POST', '/api/v1/tokens', { token, body: { name: 'mcp' } })
  return { client: await mcpClient(t, body.token, 'sharing-test'), email: user.email, id: user.id }
}
const call = async (as: Person, name: string, args: Record<string, unknown> = {}) => (await as.client.callTool({ name, arguments: args })) as Result
const ok = async (as: Person, name: string, args: Record<string, unknown> = {}) => {
  const result = await call(as, name, args)
  if (result.isError) throw new Error(`${name} failed: ${result.content[0]?.text}`)
  expect(JSON.parse(result.content[0]!.text!)).toEqual(result.structuredContent)
  return result.structuredContent
}
/** A refused call: the field it names (as a model reads it: "Fix <field> and call again"), and its text. */
const refused = async (as: Person, name: string, args: Record<string, unknown>) => {
  const result = await call(as, name, args)
  expect({ name, isError: result.isError }).toEqual({ name, isError: true })
  const text = result.content[0]!.text!
  const field = /Fix (\S+) and call again\.$/.exec(text)?.[1] ?? /^Invalid arguments for \w+: ([\w.[\]]+):/.exec(text)?.[1] ?? ''
  return { field, text }
}
const names = (items: Array<{ name?: string; project_name?: string }>) => items.map((i) => i.name ?? i.project_name)

beforeAll(async () => {
  t = await testApp()
  owner = await person()
  editor = await person()
  viewer = await person()
  stranger = await person()
}, 120_000)
afterAll(async () => {
  for (const p of [owner, editor, viewer, stranger]) await p?.client.close()
  await t.dispose()
})

describe('the sharing tools', () => {
  test('are listed with all four annotations and an output schema; unshare and leave are destructive', async () => {
    const { tools } = await owner.client.listTools()
    const sharing = ['share_project', 'list_project_members', 'unshare_project', 'leave_project', 'list_invitations', 'answer_invitation']
    for (const name of sharing) {
      const tool = tools.find((x) => x.name === name)!
      expect(tool.outputSchema).toBeDefined()
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) expect({ name, hint, set: typeof tool.annotations?.[hint] }).toEqual({ name, hint, set: 'boolean' })
    }
    for (const name of ['unshare_project', 'leave_project']) expect(tools.find((x) => x.name === name)!.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false })
    for (const name of ['list_project_members', 'list_invitations']) expect(tools.find((x) => x.name === name)!.annotations).toMatchObject({ readOnlyHint: true })
  })

  test('share by name, the invitee lists and accepts by project name, then works in it with the task tools', async () => {
    await ok(owner, 'add_project', { name: 'Band' })
    await ok(owner, 'add_task', { title: 'book rehearsal room', project: 'Band' })
    const shared = await ok(owner, 'share_project', { project: 'band', email: editor.email.toUpperCase() })
    expect(shared).toMatchObject({ shared: 'invited', email: editor.email, role: 'editor' })
    expect(shared.invitation_id).toEqual(expect.any(String))

    const invitations = await ok(editor, 'list_invitations')
    expect(invitations.items).toEqual([expect.objectContaining({ id: shared.invitation_id, project_name: 'Band', role: 'editor', invited_by: owner.email })])
    const answered = await ok(editor, 'answer_invitation', { invitation: 'BAND', accept: true })
    expect(answered).toEqual({ accepted: true, project_id: shared.project_id, project_name: 'Band', role: 'editor' })
    expect((await ok(editor, 'list_invitations')).items).toEqual([])

    const projects = (await ok(editor, 'list_projects')).items
    expect(projects.find((p: { name: string }) => p.name === 'Band')).toMatchObject({ role: 'editor', owner_email: owner.email, open_count: 1 })
    const found = await ok(editor, 'find_tasks', { project: 'Band' })
    expect(found.items.map((x: { title: string }) => x.title)).toEqual(['book rehearsal room'])

    // An editor adds, updates, completes, deletes and restores; the owner sees each change.
    const added = await ok(editor, 'add_task', { title: 'print set lists', project: 'Band' })
    await ok(editor, 'update_task', { task_id: added.id, priority: 'high' })
    await ok(editor, 'complete_task', { task_id: added.id })
    expect(await ok(owner, 'get_task', { task_id: added.id })).toMatchObject({ status: 'completed', priority: 'high', project_id: shared.project_id })
    await ok(editor, 'delete_task', { task_id: added.id })
    expect((await refused(owner, 'get_task', { task_id: added.id })).text).toContain('task not found')
    await ok(editor, 'restore_task', { task_id: added.id })
    expect(await ok(owner, 'get_task', { task_id: added.id })).toMatchObject({ title: 'print set lists', project_id: shared.project_id })

    const members = await ok(editor, 'list_project_members', { project: 'Band' })
    expect(members).toMatchObject({ your_role: 'editor', invitations: [] })
    expect(members.members.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([[owner.email, 'owner'], [editor.email, 'editor']])
  })

  test('a viewer reads, and every write is a tool error naming the field, changing nothing', async () => {
    await ok(owner, 'add_project', { name: 'Archive' })
    const task = await ok(owner, 'add_task', { title: 'scan letters', project: 'Archive' })
    await ok(owner, 'share_project', { project: 'Archive', email: viewer.email, role: 'viewer' })
    await ok(viewer, 'answer_invitation', { invitation: 'Archive', accept: true })
    expect((await ok(viewer, 'get_task', { task_id: task.id })).title).toBe('scan letters')
    const writes: Array<[string, Record<string, unknown>, string]> = [
      ['add_task', { title: 'sneaky', project: 'Archive' }, 'project_id'],
      ['update_task', { task_id: task.id, title: 'changed' }, 'id'],
      ['complete_task', { task_id: task.id }, 'id'],
      ['delete_task', { task_id: task.id }, 'id'],
      ['update_project', { project: 'Archive', color: 'red' }, ''],
      ['share_project', { project: 'Archive', email: 'friend@example.com' }, ''],
      ['unshare_project', { project: 'Archive', email: owner.email }, 'email'],
    ]
    for (const [name, args, field] of writes) {
      const error = await refused(viewer, name, args)
      expect({ name, field: error.field }).toEqual({ name, field })
      expect(error.text).toContain('project "Archive" is shared with you as a viewer')
    }
    expect(await ok(owner, 'get_task', { task_id: task.id })).toMatchObject({ title: 'scan letters', status: 'pending' })
    expect((await ok(owner, 'list_project_members', { project: 'Archive' })).members).toHaveLength(2)
  })

  test('share_project with a member and a role changes their role; unshare removes a member or withdraws an invitation', async () => {
    await ok(owner, 'add_project', { name: 'Roles' })
    const task = await ok(owner, 'add_task', { title: 'decide', project: 'Roles' })
    await ok(owner, 'share_project', { project: 'Roles', email: stranger.email, role: 'viewer' })
    await ok(stranger, 'answer_invitation', { invitation: 'Roles', accept: true })
    expect((await refused(stranger, 'update_task', { task_id: task.id, title: 'decided' })).text).toContain('shared with you as a viewer')
    expect(await ok(owner, 'share_project', { project: 'Roles', email: stranger.email, role: 'editor' })).toMatchObject({ shared: 'role_changed', role: 'editor', invitation_id: null })
    await ok(stranger, 'update_task', { task_id: task.id, title: 'decided' })
    // A member's address without a role says how to change it.
    expect(await refused(owner, 'share_project', { project: 'Roles', email: stranger.email })).toEqual({ field: 'email', text: expect.stringContaining('already a member (editor)') })

    await ok(owner, 'share_project', { project: 'Roles', email: 'later@example.com' })
    expect(await ok(owner, 'unshare_project', { project: 'Roles', email: 'later@example.com' })).toMatchObject({ removed: 'invitation' })
    expect(await ok(owner, 'unshare_project', { project: 'Roles', email: stranger.email })).toMatchObject({ removed: 'member' })
    expect((await refused(stranger, 'get_task', { task_id: task.id })).text).toContain('task not found')
    expect((await refused(stranger, 'list_project_members', { project: 'Roles' })).field).toBe('project')
    const nobody = await refused(owner, 'unshare_project', { project: 'Roles', email: 'nobody@example.com' })
    expect(nobody.field).toBe('email')
    expect(nobody.text).toContain('list_project_members')
    expect((await ok(owner, 'list_project_members', { project: 'Roles' }))).toMatchObject({ members: [expect.objectContaining({ role: 'owner' })], invitations: [] })
  })

  test('leave_project: a member leaves and loses access at once; the owner cannot leave', async () => {
    await ok(owner, 'add_project', { name: 'Trip' })
    const task = await ok(owner, 'add_task', { title: 'pack', project: 'Trip' })
    await ok(owner, 'share_project', { project: 'Trip', email: editor.email })
    await ok(editor, 'answer_invitation', { invitation: 'trip', accept: true })
    expect(await ok(editor, 'leave_project', { project: 'Trip' })).toMatchObject({ project_name: 'Trip' })
    expect((await refused(editor, 'get_task', { task_id: task.id })).text).toContain('task not found')
    expect(names((await ok(editor, 'list_projects')).items)).not.toContain('Trip')
    expect((await refused(owner, 'leave_project', { project: 'Trip' })).text).toContain('the owner cannot leave')
  })

  test('declining, and invitations that are not there, say what to do', async () => {
    await ok(owner, 'add_project', { name: 'Choir' })
    await ok(owner, 'share_project', { project: 'Choir', email: viewer.email })
    expect(await ok(viewer, 'answer_invitation', { invitation: 'Choir', accept: false })).toMatchObject({ accepted: false, project_name: 'Choir' })
    expect(names((await ok(viewer, 'list_projects')).items)).not.toContain('Choir')
    expect((await ok(owner, 'list_project_members', { project: 'Choir' })).invitations).toEqual([])
    const gone = await refused(viewer, 'answer_invitation', { invitation: 'Choir', accept: true })
    expect(gone.field).toBe('invitation')
    expect(gone.text).toContain('list_invitations')
    // Someone else's invitation, by id, is not the stranger's to answer.
    const other = await ok(owner, 'share_project', { project: 'Choir', email: editor.email })
    expect((await refused(stranger, 'answer_invitation', { invitation: other.invitation_id, accept: true })).field).toBe('invitation')
    expect((await ok(editor, 'list_invitations')).items.map((i: { id: string }) => i.id)).toContain(other.invitation_id)
  })

  test('the Inbox cannot be shared, nor a project with its owner; a stranger cannot reach any project of the owner', async () => {
    expect(await refused(owner, 'share_project', { project: 'Inbox', email: editor.email })).toEqual({ field: 'project_id', text: expect.stringContaining('the Inbox cannot be shared') })
    expect(await refused(owner, 'share_project', { project: 'Choir', email: owner.email })).toEqual({ field: 'email', text: expect.stringContaining('you own this project') })
    expect((await refused(owner, 'share_project', { project: 'Choir', email: 'not-an-address' })).text).toContain('email must be an address')
    const outsider = await person()
    try {
      for (const [name, args] of [
        ['share_project', { project: 'Choir', email: outsider.email }],
        ['list_project_members', { project: 'Choir' }],
        ['unshare_project', { project: 'Choir', email: editor.email }],
        ['leave_project', { project: 'Choir' }],
      ] as Array<[string, Record<string, unknown>]>) {
        expect({ name, ...(await refused(outsider, name, args)) }).toEqual({ name, field: 'project', text: expect.stringContaining('list_projects') })
      }
      expect((await ok(outsider, 'list_invitations')).items).toEqual([])
    } finally {
      await outsider.client.close()
    }
  })
})
