// The offline agent's changes: asking before deletes and bulk changes, acting on exactly the tasks it named, and
// undoing its last change.
import type { ToolContext } from '../mcp/tool'
import { call, formatWhen, type Task } from './offline-find'
import type { AgentState, Op, PendingAction, UndoStep } from './offline-state'
import type { ToolCallRecord } from './schema'

export interface AgentTurn {
  reply: string
  toolCalls: ToolCallRecord[]
  /** What the next message may continue (a question asked, a change to undo). */
  state?: AgentState
}

/** Each change in words: as asked, as done, and for "nothing was …". */
const WORDS: Record<Op, { ask: string; did: string; none: string }> = {
  delete: { ask: 'Delete', did: 'Deleted', none: 'deleted' },
  complete: { ask: 'Complete', did: 'Completed', none: 'completed' },
  reopen: { ask: 'Reopen', did: 'Reopened', none: 'reopened' },
  update: { ask: 'Change', did: 'Changed', none: 'changed' },
}

/** Titles, at most ten of them, then how many more. */
function titles(list: readonly string[]): string {
  const shown = list.slice(0, 10).map((t) => `"${t}"`)
  return list.length > shown.length ? `${shown.join(', ')} and ${list.length - shown.length} more` : shown.join(', ')
}

/** A sentence naming a change, as asked or as done: `Delete these 2 tasks: "a", "b"`, `Moved "x" to Fri 27 Nov, 09:00`. */
function sentence(tense: 'ask' | 'did', list: readonly string[], op: Op, fields: Record<string, unknown> | undefined, timeZone: string): string {
  const what = list.length === 1 ? `"${list[0]}"` : `these ${list.length} tasks: ${titles(list)}`
  if (op === 'update' && typeof fields?.title === 'string') return `${tense === 'ask' ? 'Rename' : 'Renamed'} ${what} to "${fields.title}"`
  if (op === 'update' && typeof fields?.due_date === 'string') return `${tense === 'ask' ? 'Move' : 'Moved'} ${what} to ${formatWhen(fields.due_date, timeZone)}`
  return `${WORDS[op][tense]} ${what}`
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
  options: { fields?: Record<string, unknown>; total?: number; totalExact?: boolean; query?: string } = {},
): Promise<AgentTurn> {
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
  if (op !== 'delete' && tasks.length === 1) return perform(ctx, calls, pending, tasks)
  const more =
    pending.total > tasks.length
      ? `${pending.total}${pending.totalExact ? '' : '+'} tasks match${pending.query ? ` "${pending.query}"` : ''}; I can change ${tasks.length} at a time. `
      : ''
  return { reply: `${more}${sentence('ask', pending.titles, op, pending.fields, ctx.user.timezone)}? Say yes or no.`, toolCalls: calls, state: { pending } }
}

/** Carries out a confirmed action on exactly its ids: a task gone or changed since it was asked about is reported and left alone. */
export async function confirm(ctx: ToolContext, calls: ToolCallRecord[], pending: PendingAction): Promise<AgentTurn> {
  const current: Task[] = []
  const gone: string[] = []
  const changed: string[] = []
  for (const [i, id] of pending.ids.entries()) {
    const got = await call(ctx, calls, 'get_task', { task_id: id })
    if (!got.ok) gone.push(pending.titles[i]!)
    else if ((got.result as Task).updated_at !== pending.stamps[i]) changed.push((got.result as Task).title)
    else current.push(got.result as Task)
  }
  const turn = await perform(ctx, calls, pending, current)
  const notes = [
    gone.length ? `${titles(gone)} ${gone.length === 1 ? 'was' : 'were'} already gone.` : '',
    changed.length ? `${titles(changed)} changed since I asked, so I left ${changed.length === 1 ? 'it' : 'them'} alone.` : '',
  ].filter(Boolean)
  return { ...turn, reply: [turn.reply, ...notes].join(' ') }
}

/** Does `pending.op` to `tasks` (as they are now), one tool call each, and records how to undo it. */
async function perform(ctx: ToolContext, calls: ToolCallRecord[], pending: PendingAction, tasks: Task[]): Promise<AgentTurn> {
  const { op, fields } = pending
  const undo: UndoStep[] = []
  const done: string[] = []
  const failed: string[] = []
  for (const task of tasks) {
    const name = op === 'delete' ? 'delete_task' : op === 'complete' ? 'complete_task' : op === 'reopen' ? 'reopen_task' : 'update_task'
    const res = await call(ctx, calls, name, { task_id: task.id, ...(op === 'update' ? fields : {}) })
    if (!res.ok) {
      failed.push(`"${task.title}" (${(res.result.error as { message?: string } | undefined)?.message ?? 'failed'})`)
      continue
    }
    done.push(task.title)
    if (op === 'delete') undo.push({ op: 'restore', id: task.id, title: task.title })
    else if (op === 'complete' && task.status !== 'completed') undo.push({ op: 'reopen', id: task.id, title: task.title })
    else if (op === 'reopen' && task.status === 'completed') undo.push({ op: 'complete', id: task.id, title: task.title })
    else if (op === 'update') undo.push({ op: 'update', id: task.id, title: task.title, fields: previous(task, fields ?? {}) })
  }
  const parts: string[] = []
  if (done.length) parts.push(`${sentence('did', done, op, fields, ctx.user.timezone)}.`)
  else parts.push(`Nothing was ${WORDS[op].none}.`)
  if (failed.length) parts.push(`I could not change ${failed.join(', ')}.`)
  // More matched than were acted on: say what is left.
  const left = pending.total - pending.ids.length
  if (left > 0 && op !== 'update') parts.push(`${left}${pending.totalExact ? '' : '+'} more still match${pending.query ? ` "${pending.query}"` : ''}.`)
  return { reply: parts.join(' '), toolCalls: calls, ...(undo.length ? { state: { undo } } : {}) }
}

/** The fields of `task` that `fields` will overwrite, as they are now (an all-day due date as its day, so it comes back all-day). */
function previous(task: Task, fields: Record<string, unknown>): Record<string, unknown> {
  const before: Record<string, unknown> = { ...(task as unknown as Record<string, unknown>), due_date: task.due_day ?? task.due_date }
  return Object.fromEntries(Object.keys(fields).map((k) => [k, before[k] ?? null]))
}

const UNDONE: Record<UndoStep['op'], string> = { restore: 'restored', delete: 'removed', reopen: 'reopened', complete: 'completed again', update: 'put back' }

/** Reverses the conversation's last change (newest state first); a second undo finds nothing. */
export async function undoLast(ctx: ToolContext, calls: ToolCallRecord[], states: readonly AgentState[]): Promise<AgentTurn> {
  const last = states.find((s) => s.undone || (s.undo && s.undo.length > 0))
  if (!last || last.undone) return { reply: 'Nothing to undo.', toolCalls: calls }
  const byOp = new Map<string, string[]>()
  const failed: string[] = []
  for (const step of [...last.undo!].reverse()) {
    const name = { restore: 'restore_task', delete: 'delete_task', reopen: 'reopen_task', complete: 'complete_task', update: 'update_task' }[step.op]
    const res = await call(ctx, calls, name, { task_id: step.id, ...(step.op === 'update' ? step.fields : {}) })
    if (!res.ok) failed.push(`"${step.title}"`)
    else byOp.set(UNDONE[step.op], [...(byOp.get(UNDONE[step.op]) ?? []), step.title])
  }
  const parts = [...byOp].map(([verb, list]) => `${verb} ${titles(list)}`)
  const reply = [parts.length ? `Undone: ${parts.join('; ')}.` : '', failed.length ? `I could not undo ${failed.join(', ')}.` : ''].filter(Boolean).join(' ')
  return { reply, toolCalls: calls, state: { undone: true } }
}
