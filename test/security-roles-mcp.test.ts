// Access by role through the MCP tools and the chat (docs/architecture.md, "Access"): every tool (the list comes from
// the server, so a new one fails here until it says who may call it) as each role on a shared project. A viewer's
// call of a tool that writes (readOnlyHint false) is a tool error that changes nothing, as is a member's of one that
// manages the project; a stranger's or an ex-member's gets what an unknown id gets. A tool over a list of ids, or out
// of the trash, refuses a viewer's batch as a whole as it refuses one task, and reads a task the caller cannot see as an
// unknown id. A viewer asking the assistant to delete or complete a task of the project changes nothing either.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { TestApp } from './helpers/app'
import { mcpClient } from './helpers/mcp'
import type { Need } from './helpers/role-routes'
import { stage, missingWorld, MISSING, snapshot, worldOf, ROLES, type Cast, type RoleName, type World } from './helpers/roles'

let t: TestApp
let cast: Cast
const clients = new Map<RoleName, Client>()

beforeAll(async () => {
  ;({ t, cast } = await stage())
  for (const role of ROLES) clients.set(role, await mcpClient(t, cast[role].token, `roles-${role}`))
}, 300_000)
afterAll(async () => {
  for (const client of clients.values()) await client.close()
  await t.dispose()
})

type Args = (w: World) => Record<string, unknown>
interface Tool {
  need: Need
  calls: Args[]
}

/** Every tool, with what it needs of the caller's role and how to call it on a world. */
const TOOLS: Record<string, Tool> = {
  add_task: { need: 'write', calls: [(w) => ({ title: 'added by a member', project: w.project }), (w) => ({ title: 'a subtask by a member', parent_id: w.parent })] },
  add_tasks: { need: 'write', calls: [(w) => ({ tasks: [{ title: 'one of several', project: w.project }] })] },
  list_tasks: { need: 'read', calls: [(w) => ({ project: w.project }), (w) => ({ parent_id: w.parent })] },
  find_tasks: { need: 'read', calls: [(w) => ({ project: w.project })] },
  get_task: { need: 'read', calls: [(w) => ({ task_id: w.child })] },
  update_task: { need: 'write', calls: [(w) => ({ task_id: w.plain, title: 'renamed by a member' }), (w) => ({ task_id: w.plain, project: 'Inbox' }), (w) => ({ task_id: w.child, parent_id: null })] },
  complete_task: { need: 'write', calls: [(w) => ({ task_id: w.plain }), (w) => ({ task_id: w.parent, children: 'complete' })] },
  complete_tasks: { need: 'ids', calls: [(w) => ({ task_ids: [w.plain] })] },
  reopen_task: { need: 'write', calls: [(w) => ({ task_id: w.done })] },
  delete_task: { need: 'write', calls: [(w) => ({ task_id: w.parent })] },
  restore_task: { need: 'ids', calls: [(w) => ({ task_id: w.gone })] },
  set_reminder: { need: 'personal', calls: [(w) => ({ task_id: w.reminded, lead: '1h' })] },
  list_reminders: { need: 'read', calls: [(w) => ({ task_id: w.reminded })] },
  cancel_reminder: { need: 'setter', calls: [(w) => ({ reminder_id: w.reminder })] },
  list_projects: { need: 'read', calls: [() => ({})] },
  add_project: { need: 'unrelated', calls: [() => ({ name: `Own ${crypto.randomUUID()}` })] },
  update_project: { need: 'own', calls: [(w) => ({ project: w.project, name: 'Taken over' }), (w) => ({ project: w.project, archived: true })] },
  share_project: { need: 'own', calls: [(w) => ({ project: w.project, email: `new-${crypto.randomUUID()}@example.com`, role: 'viewer' })] },
  list_project_members: { need: 'read', calls: [(w) => ({ project: w.project })] },
  unshare_project: { need: 'own', calls: [(w) => ({ project: w.project, email: `nobody-${w.mark.toLowerCase()}@example.com` })] },
  leave_project: { need: 'leave', calls: [(w) => ({ project: w.project })] },
  list_invitations: { need: 'unrelated', calls: [() => ({})] },
  answer_invitation: { need: 'addressee', calls: [(w) => ({ invitation: w.invitation, accept: true }), (w) => ({ invitation: w.invitation, accept: false })] },
  delete_project: { need: 'own', calls: [(w) => ({ project: w.project, tasks: 'delete' })] },
}

type Result = { isError?: boolean; structuredContent?: unknown; content: Array<{ type: string; text?: string }> }
const use = async (role: RoleName, name: string, args: Record<string, unknown>) => (await clients.get(role)!.callTool({ name, arguments: args })) as Result
const textOf = (r: Result) => r.content.map((c) => c.text ?? '').join('\n')
/** An answer with the world's ids in it read as the missing id: what a stranger gets back of their own input. */
const asMissing = (text: string, w: World) => [w.project, w.parent, w.child, w.reminded, w.reminder, w.plain, w.done, w.gone, w.invitation].reduce((s, id) => s.replaceAll(id, MISSING), text)

describe('every MCP tool, as each role', () => {
  test('the table names every tool, and says what each tool that writes needs', async () => {
    const { tools } = await clients.get('owner')!.listTools()
    expect(tools.map((x) => x.name).sort()).toEqual(Object.keys(TOOLS).sort())
    for (const x of tools.filter((x) => TOOLS[x.name]!.need !== 'unrelated')) {
      expect({ name: x.name, readOnly: x.annotations?.readOnlyHint }).toEqual({ name: x.name, readOnly: TOOLS[x.name]!.need === 'read' })
    }
  })

  for (const [name, tool] of Object.entries(TOOLS)) {
    test(`${name} (${tool.need})`, async () => {
      const w = await worldOf(t, cast)
      const missing = missingWorld(w)
      // A member's personal things (their reminders) are theirs to change: the snapshot leaves them out.
      const mine = tool.need === 'personal' ? [cast.editor, cast.viewer] : []
      const before = await snapshot(t, w, mine)
      for (const args of tool.calls) {
        for (const role of ['ex', 'stranger'] as const) {
          const [res, miss] = [await use(role, name, args(w)), await use(role, name, args(missing))]
          const where = { role, args: args(w) }
          if (tool.need !== 'unrelated') expect({ ...where, isError: res.isError, text: asMissing(textOf(res), w) }).toEqual({ ...where, isError: miss.isError, text: textOf(miss) })
          expect({ ...where, leaks: JSON.stringify(res).includes(w.mark) }).toEqual({ ...where, leaks: false })
        }
        for (const role of ['editor', 'viewer'] as const) {
          if ((tool.need === 'write' || tool.need === 'ids') && role === 'editor') continue
          // Leaving ends the membership: a viewer's leaving runs below, in a world of its own.
          if (tool.need === 'leave') continue
          const res = await use(role, name, args(w))
          const where = { role, args: args(w) }
          if (tool.need === 'own' || tool.need === 'write' || tool.need === 'ids') expect({ ...where, isError: res.isError, refusal: /shared with you as/.test(textOf(res)) }).toEqual({ ...where, isError: true, refusal: true })
          else if (tool.need === 'setter' || tool.need === 'addressee') {
            const miss = await use(role, name, args(missing))
            expect({ ...where, isError: res.isError, text: asMissing(textOf(res), w) }).toEqual({ ...where, isError: miss.isError, text: textOf(miss) })
          }
          else expect({ ...where, isError: res.isError ?? false }).toEqual({ ...where, isError: false })
        }
      }
      expect(await snapshot(t, w, mine)).toEqual(before)

      // An editor's call shows the tool writes; the owner's, for what only the owner may do.
      const writers: RoleName[] = tool.need === 'write' || tool.need === 'ids' ? ['editor'] : tool.need === 'own' || tool.need === 'setter' ? ['owner'] : tool.need === 'leave' ? ['viewer'] : []
      for (const role of writers) {
        for (const args of tool.calls) {
          const fresh = await worldOf(t, cast)
          const untouched = await snapshot(t, fresh)
          const res = await use(role, name, args(fresh))
          const where = { role, args: args(fresh), text: res.isError ? textOf(res) : '' }
          expect({ ...where, isError: res.isError ?? false, changed: !Bun.deepEquals(await snapshot(t, fresh), untouched) }).toEqual({ ...where, isError: false, changed: true })
        }
      }
    })
  }
})

describe('the chat', () => {
  test("a viewer asking the assistant to delete, complete or rename a task of the project changes nothing; so does a stranger's asking", async () => {
    const w = await worldOf(t, cast)
    const before = await snapshot(t, w)
    for (const role of ['viewer', 'stranger', 'ex'] as const) {
      for (const message of [`delete ${w.mark} plain`, `complete ${w.mark} plain`, `rename ${w.mark} plain to taken over`, `delete ${w.mark} parent`]) {
        const res = await t.call('POST', '/api/v1/chat', { token: cast[role].token, body: { message } })
        expect({ role, message, status: res.status }).toEqual({ role, message, status: 200 })
        // A follow-up yes, in case the assistant asked to be sure.
        await t.call('POST', '/api/v1/chat', { token: cast[role].token, body: { message: 'yes', conversation_id: res.body.conversation_id } })
      }
    }
    expect(await snapshot(t, w)).toEqual(before)
  })
})
