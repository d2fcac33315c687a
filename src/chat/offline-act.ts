// The offline agent's changes: asking before deletes and bulk changes, acting on exactly the tasks it named, and
// undoing its last change.
import type { ToolContext } from '../mcp/tool'
import { call, type Task } from './offline-find'
import { concreteFields } from './offline-change'
import { previous } from './undo'
import { formatWhen, REPLIES, titles, type Lang } from './offline-words'
import type { AgentState, AgentTurn, Op, PendingAction, UndoStep } from './offline-state'

export type { AgentTurn } from './offline-state'
import { askSubtasks, openSubtasksOf } from './offline-subtasks'
import { viewerRefusal } from './offline-sharing'
import type { Blocked } from './offline-subtask-words'
import type { ToolCallRecord } from './schema'


/** A sentence naming a change, as asked or as done: `Delete these 2 tasks: "a", "b"`, `Moved "x" to Fri 27 Nov, 09:00`. */
function sentence(tense: 'ask' | 'did', list: readonly string[], op: Op, fields: Record<string, unknown> | undefined, timeZone: string, lang: Lang): string {
  const update = op === 'update' ? (fields ?? {}) : {}
  const rename = typeof update.title === 'string' ? update.title : undefined
  const when = rename === undefined && typeof update.due_date === 'string' ? formatWhen(update.due_date, timeZone, lang) : undefined
  const priority = typeof update.priority === 'string' ? update.priority : undefined
  const tags = update.add_tags || update.remove_tags ? { add: (update.add_tags as string[]) ?? [], remove: (update.remove_tags as string[]) ?? [] } : undefined
  const project = typeof update.project === 'string' ? update.project : undefined
  return REPLIES[lang].change({ tense, list, op, rename, when, priority, tags, project })
}

/**
 * A change to `tasks`: a delete, or a change to more than one task, is described and waits for "yes"; a single
 * complete, reopen or update happens at once (and can be undone).
 */
export async function propose(
  ctx: ToolContext,
  calls: ToolCallRecord[],
  op: Op,
  tasks: Task[],
  options: { fields?: Record<string, unknown>; total?: number; totalExact?: boolean; query?: string; lang?: Lang } = {},
): Promise<AgentTurn> {
  const lang = options.lang ?? 'en'
  const pending: PendingAction = {
    op,
    ids: tasks.map((t) => t.id),
    titles: tasks.map((t) => t.title),
    stamps: tasks.map((t) => t.updated_at),
    ...(options.fields ? { fields: options.fields } : {}),
    total: options.total ?? tasks.length,
    totalExact: options.totalExact ?? true,
    query: options.query ?? '',
  }
  const refused = await viewerRefusal(ctx, tasks, lang)
  if (refused) return { reply: refused, toolCalls: calls }
  if (op !== 'delete' && tasks.length === 1) return perform(ctx, calls, pending, tasks, lang)
  const words = REPLIES[lang]
  const more = pending.total > tasks.length ? words.tooMany(`${pending.total}${pending.totalExact ? '' : '+'}`, pending.query, tasks.length) : ''
  return { reply: `${more}${sentence('ask', pending.titles, op, pending.fields, ctx.user.timezone, lang)}? ${words.yesOrNo}`, toolCalls: calls, state: { pending } }
}

/** Carries out a confirmed action on exactly its ids: a task gone or changed since it was asked about is reported and left alone. */
export async function confirm(ctx: ToolContext, calls: ToolCallRecord[], pending: PendingAction, lang: Lang = 'en'): Promise<AgentTurn> {
  const current: Task[] = []
  const gone: string[] = []
  const changed: string[] = []
  for (const [i, id] of pending.ids.entries()) {
    const got = await call(ctx, calls, 'get_task', { task_id: id })
    if (!got.ok) gone.push(pending.titles[i]!)
    else if ((got.result as Task).updated_at !== pending.stamps[i]) changed.push((got.result as Task).title)
    else current.push(got.result as Task)
  }
  const turn = await perform(ctx, calls, pending, current, lang)
  const words = REPLIES[lang]
  const notes = [
    gone.length ? words.alreadyGone(titles(gone, lang), gone.length) : '',
    changed.length ? words.changedSince(titles(changed, lang), changed.length) : '',
  ].filter(Boolean)
  return { ...turn, reply: [turn.reply, ...notes].join(' ') }
}

/** Does `pending.op` to `tasks` (as they are now), one tool call each, and records how to undo it. */
async function perform(ctx: ToolContext, calls: ToolCallRecord[], pending: PendingAction, tasks: Task[], lang: Lang): Promise<AgentTurn> {
  const { op, fields } = pending
  const undo: UndoStep[] = []
  const done: string[] = []
  const failed: string[] = []
  // Tasks whose completion waits for a choice about their open subtasks: asked about after the rest is done.
  const blocked: Array<Task & Blocked> = []
  // One task's change in the reply names its new due date ("Moved … to Fri 27 Nov"); several say what was asked.
  let said = fields
  for (const task of tasks) {
    const name = op === 'delete' ? 'delete_task' : op === 'complete' ? 'complete_task' : op === 'reopen' ? 'reopen_task' : 'update_task'
    const concrete = op === 'update' ? concreteFields(task, fields ?? {}, ctx.user.timezone, ctx.clock()) : {}
    if (op === 'update' && tasks.length === 1 && fields?.shift) said = concrete
    const res = await call(ctx, calls, name, { task_id: task.id, ...concrete })
    const open = op === 'complete' && !res.ok ? openSubtasksOf(res.result) : undefined
    if (open !== undefined) {
      blocked.push({ ...task, open })
      continue
    }
    if (!res.ok) {
      failed.push(`"${task.title}" (${(res.result.error as { message?: string } | undefined)?.message ?? 'failed'})`)
      continue
    }
    done.push(task.title)
    if (op === 'delete') undo.push({ op: 'restore', id: task.id, title: task.title })
    else if (op === 'complete' && task.status !== 'completed') undo.push({ op: 'reopen', id: task.id, title: task.title })
    else if (op === 'reopen' && task.status === 'completed') undo.push({ op: 'complete', id: task.id, title: task.title })
    else if (op === 'update') undo.push({ op: 'update', id: task.id, title: task.title, fields: previous(task, concrete) })
  }
  const words = REPLIES[lang]
  const parts: string[] = []
  if (done.length) parts.push(`${sentence('did', done, op, said, ctx.user.timezone, lang)}.`)
  else if (blocked.length === 0) parts.push(words.nothingDone(op))
  if (failed.length) parts.push(words.couldNotChange(failed.join(', ')))
  // More matched than were acted on: say what is left.
  const left = pending.total - pending.ids.length
  if (left > 0 && op !== 'update') parts.push(words.stillMatch(`${left}${pending.totalExact ? '' : '+'}`, pending.query))
  const state: AgentState = { ...(undo.length ? { undo } : {}) }
  if (blocked.length) {
    const { question, subtasks } = askSubtasks(blocked, lang)
    parts.push(question)
    state.subtasks = subtasks
  }
  return { reply: parts.join(' '), toolCalls: calls, ...(Object.keys(state).length ? { state } : {}) }
}

/** The tool that carries out each kind of undo step. */
const UNDO_TOOL: Record<UndoStep['op'], string> = {
  restore: 'restore_task', delete: 'delete_task', reopen: 'reopen_task', complete: 'complete_task', update: 'update_task', cancel_reminder: 'cancel_reminder',
  delete_project: 'delete_project', update_project: 'update_project',
}

/** An undo step's arguments: a project made is deleted with whatever was put in it moved to the Inbox, never deleted. */
function undoArgs(step: UndoStep): Record<string, unknown> {
  if (step.op === 'cancel_reminder') return { reminder_id: step.id }
  if (step.op === 'delete_project') return { project: step.id, tasks: 'move' }
  if (step.op === 'update_project') return { project: step.id, ...step.fields }
  return { task_id: step.id, ...(step.op === 'update' ? step.fields : {}) }
}

/** Reverses the conversation's last change (newest state first); a second undo finds nothing. */
export async function undoLast(ctx: ToolContext, calls: ToolCallRecord[], states: readonly AgentState[], lang: Lang = 'en'): Promise<AgentTurn> {
  const words = REPLIES[lang]
  const last = states.find((s) => s.undone || (s.undo && s.undo.length > 0))
  if (!last || last.undone) return { reply: words.nothingToUndo, toolCalls: calls }
  const byOp = new Map<UndoStep['op'], string[]>()
  const failed: string[] = []
  for (const step of [...last.undo!].reverse()) {
    const res = await call(ctx, calls, UNDO_TOOL[step.op], undoArgs(step))
    // A step recorded without a title (a model's batch call) is named by the task it came back with.
    const title = step.title || String((res.result as Record<string, unknown>).title ?? '')
    if (!res.ok) failed.push(`"${title}"`)
    else byOp.set(step.op, [...(byOp.get(step.op) ?? []), title])
  }
  const parts = [...byOp].map(([op, list]) => words.undoPart(op, titles(list, lang)))
  const reply = [parts.length ? words.undone(parts) : '', failed.length ? words.couldNotUndo(failed.join(', ')) : ''].filter(Boolean).join(' ')
  return { reply, toolCalls: calls, state: { undone: true } }
}
