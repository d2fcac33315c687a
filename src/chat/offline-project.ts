// The offline agent's project requests: listing, making, renaming, archiving and deleting projects through the project
// tools, asking before a delete (and saying what becomes of its tasks), and offering to make a project the user named
// but lacks. Each change it makes can be undone, as the task changes can.
import type { ToolContext } from '../mcp/tool'
import { projectByRef } from '../features/projects/access'
import { listProjects, projectTaskCount } from '../features/projects/service'
import { parseTaskText } from '../features/tasks/parse-text'
import { AppError } from '../lib/errors'
import type { AgentTurn } from './offline-act'
import { call } from './offline-find'
import type { ProjectRequest } from './offline-project-read'
import { PROJECT_REPLIES } from './offline-project-words'
import type { Lang, PendingProject, UndoStep } from './offline-state'
import type { ToolCallRecord } from './schema'

/** The user's project names, archived ones too, read quietly: knowing them is how "to Groceries" is told from a title. */
export async function projectNames(ctx: ToolContext): Promise<string[]> {
  return (await listProjects(ctx, ctx.user, { archived: true })).map((p) => p.name)
}

const why = (res: { result: Record<string, unknown>; text: string }) => (res.result.error as { message?: string } | undefined)?.message ?? res.text

/** Carries out a request about a project itself; a delete is asked about first. */
export async function onProject(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, request: ProjectRequest, projects: readonly string[]): Promise<AgentTurn> {
  const words = PROJECT_REPLIES[lang]
  const done = (reply: string, undo?: UndoStep) => ({ reply, toolCalls: calls, ...(undo ? { state: { undo: [undo] } } : {}) })
  switch (request.action) {
    case 'list': {
      const res = await call(ctx, calls, 'list_projects', { archived: true })
      if (!res.ok) return done(words.failed(why(res)))
      const items = (res.result.items as Array<{ name: string; open_count: number; archived: boolean }>).map((p) => ({ name: p.name, open: p.open_count, archived: p.archived }))
      return done(words.list(items))
    }
    case 'missing':
      return done(words.missing(request.name, projects))
    case 'create': {
      const res = await call(ctx, calls, 'add_project', { name: request.name })
      if (!res.ok) return done(words.failed(why(res)))
      return done(words.created(String(res.result.name)), { op: 'delete_project', id: String(res.result.id), title: String(res.result.name) })
    }
    case 'rename': {
      const res = await call(ctx, calls, 'update_project', { project: request.name, name: request.to })
      if (!res.ok) return done(words.failed(why(res)))
      return done(words.renamed(request.name, String(res.result.name)), { op: 'update_project', id: String(res.result.id), title: String(res.result.name), fields: { name: request.name } })
    }
    case 'archive':
    case 'unarchive': {
      const archived = request.action === 'archive'
      const res = await call(ctx, calls, 'update_project', { project: request.name, archived })
      if (!res.ok) return done(words.failed(why(res)))
      const undo: UndoStep = { op: 'update_project', id: String(res.result.id), title: request.name, fields: { archived: !archived } }
      return done(archived ? words.archived(request.name) : words.unarchived(request.name), undo)
    }
    case 'delete':
      return askDelete(ctx, calls, lang, request.name, request.tasks ?? 'move')
  }
}

/** "Delete the project …?", saying how many tasks it holds and where they go; the Inbox is refused at once. */
async function askDelete(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, name: string, tasks: 'move' | 'delete'): Promise<AgentTurn> {
  const words = PROJECT_REPLIES[lang]
  try {
    const project = await projectByRef(ctx.db, ctx.user, name)
    if (project.isInbox) return { reply: words.failed(lang === 'de' ? 'den Eingang kann man nicht löschen.' : 'the Inbox cannot be deleted.'), toolCalls: calls }
    const count = await projectTaskCount(ctx, ctx.user, project.id)
    return { reply: words.askDelete(project.name, count, tasks), toolCalls: calls, state: { project: { action: 'delete', id: project.id, name: project.name, tasks, count } } }
  } catch (error) {
    if (error instanceof AppError) return { reply: words.failed(error.message), toolCalls: calls }
    throw error
  }
}

/** A project the words named but the user lacks: say so, and offer to make it and then add or move there. */
export function offerProject(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, name: string, projects: readonly string[], then: { add: string } | { move: string }): AgentTurn {
  const words = PROJECT_REPLIES[lang]
  const offer = 'add' in then ? words.offerAdd(parseTaskText(then.add, ctx.user.timezone, ctx.clock()).title || then.add) : words.offerMove(then.move)
  return { reply: words.missing(name, projects, offer), toolCalls: calls, state: { project: { action: 'create', name, ...then } } }
}

/** What a "yes" continues with after making a project: adding the task there, or moving the tasks named there. */
export interface AfterCreate {
  add: (body: string, project: string) => Promise<AgentTurn>
  move: (target: string, project: string) => Promise<AgentTurn>
}

/** The "yes" to a project question: the delete carried out, or the project made and the task added or moved into it. */
export async function confirmProject(ctx: ToolContext, calls: ToolCallRecord[], pending: PendingProject, lang: Lang, after: AfterCreate): Promise<AgentTurn> {
  const words = PROJECT_REPLIES[lang]
  if (pending.action === 'delete') {
    const res = await call(ctx, calls, 'delete_project', { project: pending.id, tasks: pending.tasks ?? 'move' })
    if (!res.ok) return { reply: words.failed(why(res)), toolCalls: calls }
    return { reply: words.deleted(pending.name, Number(res.result.tasks ?? 0), pending.tasks ?? 'move'), toolCalls: calls }
  }
  const made = await call(ctx, calls, 'add_project', { name: pending.name })
  if (!made.ok) return { reply: words.failed(why(made)), toolCalls: calls }
  const step: UndoStep = { op: 'delete_project', id: String(made.result.id), title: String(made.result.name) }
  const turn = pending.add !== undefined ? await after.add(pending.add, String(made.result.name)) : await after.move(pending.move ?? '', String(made.result.name))
  const undo = [step, ...(turn.state?.undo ?? [])]
  return { ...turn, reply: `${words.created(String(made.result.name))} ${turn.reply}`, state: { ...turn.state, undo } }
}

