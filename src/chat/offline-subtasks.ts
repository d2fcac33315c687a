// Completing a task that has open subtasks: complete_task refuses it without a choice (409 naming children), so the
// offline agent asks whether to complete them too or leave them open, reads the answer in English or German, and
// then completes as told, saying what it completed; the completion, subtasks and all, can be undone.
import type { ToolContext } from '../mcp/tool'
import type { AgentTurn } from './offline-state'
import { call, type Task } from './offline-find'
import type { PendingSubtasks, Lang, UndoStep } from './offline-state'
import { SUBTASK_REPLIES, type Blocked } from './offline-subtask-words'
import type { ToolCallRecord } from './schema'

/** What a refused completion's result says: whether it was for want of a choice about open subtasks, and how many. */
export function openSubtasksOf(result: Record<string, unknown>): Blocked['open'] | undefined {
  const error = result.error as { field?: string; code?: string; message?: string } | undefined
  if (error?.field !== 'children' || error.code !== 'conflict') return undefined
  // The service's message names the count ("this task has 3 open subtasks: …"); 0 stands for not known.
  return Number(/(\d+) open subtasks?/.exec(error.message ?? '')?.[1] ?? 0)
}

/** The question for tasks whose completion waits for the choice, and the state that remembers it. */
export function askSubtasks(tasks: ReadonlyArray<Pick<Task, 'id' | 'title'> & Blocked>, lang: Lang): { question: string; subtasks: PendingSubtasks } {
  return {
    question: SUBTASK_REPLIES[lang].ask(tasks),
    subtasks: { ids: tasks.map((t) => t.id), titles: tasks.map((t) => t.title), open: tasks.map((t) => t.open) },
  }
}

/** The answer to "complete them too, or leave them open?": complete them, keep them open, or cancel the whole thing. */
export type SubtaskAnswer = 'complete' | 'keep' | 'cancel'

/** Words that stop it all: "cancel", "never mind", "abbrechen", "lieber nicht". */
const CANCEL = /^(?:cancel|stop|never ?mind|forget it|nothing|none|abort|abbrechen|lieber nicht|vergiss es|doch nicht|nichts)\b/i
/** Words for keeping them open, or completing the task alone: "leave them", "just the parent", "nur die Aufgabe", a plain "no". */
const KEEP = new Set([
  'no', 'n', 'nope', 'nah', 'leave', 'keep', 'only', 'just', 'alone', 'itself', 'parent', 'main', 'not', "don't", 'dont', 'without', 'stay',
  'nein', 'nee', 'nur', 'lass', 'lassen', 'offen', 'bleiben', 'ohne', 'nicht', 'selbst', 'hauptaufgabe', 'elternaufgabe', 'diese',
])
/** Words for completing them too: "yes", "all of them", "complete them too", "alle", "die auch". */
const COMPLETE = new Set([
  'yes', 'y', 'yeah', 'yep', 'yup', 'sure', 'ok', 'okay', 'all', 'both', 'everything', 'too', 'also', 'rest', 'complete', 'finish', 'including', 'subtasks', 'them',
  'ja', 'jo', 'klar', 'genau', 'alle', 'alles', 'beide', 'auch', 'ebenfalls', 'erledige', 'erledigen', 'mit', 'unteraufgaben', 'sie',
])
/** Words an answer may hold beyond those: the glue around them ("the", "of", "please", "bitte", "as well"). */
const GLUE = new Set([
  'the', 'of', 'as', 'well', 'please', 'those', 'these', 'that', 'this', 'one', 'ones', 'open', 'task', 'it', 'and', 'mark', 'do', 'done', 'close', 'check', 'tick', 'off', 'go', 'ahead', 'subtask', 'children', 'thanks',
  'die', 'der', 'das', 'den', 'es', 'bitte', 'aufgabe', 'unteraufgabe', 'mach', 'machen', 'erledigt', 'werden', 'sollen', 'danke', 'dann', 'gut',
])

/**
 * Reads an answer to the question about `pending`, or nothing when the message is no answer but a new request. An
 * answer is made of answer words (and the tasks' own title words: "just the party"); "leave", "only", "nur" or a
 * plain "no" keep them open, "yes", "all", "too", "alle" complete them.
 */
export function readSubtaskAnswer(text: string, pending: PendingSubtasks): SubtaskAnswer | undefined {
  const said = text.toLowerCase().replace(/[.,!?;:"“”„]+/g, ' ').trim()
  if (CANCEL.test(said)) return 'cancel'
  const words = said.split(/\s+/).filter(Boolean)
  const own = new Set(pending.titles.flatMap((t) => t.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []))
  if (words.length === 0 || words.length > 8 || !words.every((w) => KEEP.has(w) || COMPLETE.has(w) || GLUE.has(w) || own.has(w))) return undefined
  if (words.some((w) => KEEP.has(w))) return 'keep'
  if (words.some((w) => COMPLETE.has(w))) return 'complete'
  return undefined
}

/**
 * Completes the tasks asked about, with their open subtasks or without (as answered), each one as it is now: one
 * deleted or completed since is said and left alone. The reply names what was completed and that "undo" reopens it.
 */
export async function completeAsAnswered(ctx: ToolContext, calls: ToolCallRecord[], pending: PendingSubtasks, children: 'complete' | 'keep', lang: Lang): Promise<AgentTurn> {
  const words = SUBTASK_REPLIES[lang]
  const parts: string[] = []
  const undo: UndoStep[] = []
  for (const [i, id] of pending.ids.entries()) {
    const title = pending.titles[i]!
    const got = await call(ctx, calls, 'get_task', { task_id: id })
    if (!got.ok) {
      parts.push(words.gone(title))
      continue
    }
    if ((got.result as Task).status === 'completed') {
      parts.push(words.alreadyDone(title))
      continue
    }
    const done = await call(ctx, calls, 'complete_task', { task_id: id, children })
    if (!done.ok) {
      parts.push(words.failed(title, (done.result.error as { message?: string } | undefined)?.message ?? done.text))
      continue
    }
    const below = (done.result.completed_subtasks as string[] | undefined) ?? []
    const named = await titlesOf(ctx, calls, id, below)
    undo.push({ op: 'reopen', id, title }, ...below.map((sub) => ({ op: 'reopen' as const, id: sub, title: named.get(sub) ?? '' })))
    parts.push(children === 'complete' ? words.completedWith(title, below.length, [...named.values()]) : words.completedAlone(title, pending.open[i] ?? 0))
  }
  if (undo.length) parts.push(words.undoHint(undo.length > 1))
  return { reply: parts.join(' '), toolCalls: calls, ...(undo.length ? { state: { undo } } : {}) }
}

/**
 * The titles of subtasks completed with `parent`, in the order they were made: its direct ones in one listing, any
 * deeper one read on its own after them.
 */
async function titlesOf(ctx: ToolContext, calls: ToolCallRecord[], parent: string, ids: readonly string[]): Promise<Map<string, string>> {
  const named = new Map<string, string>()
  if (ids.length === 0) return named
  const wanted = new Set(ids)
  const listed = await call(ctx, calls, 'list_tasks', { parent_id: parent, status: 'completed', sort: 'created_at', order: 'asc', limit: 100 })
  for (const t of (listed.result.items as Task[] | undefined) ?? []) if (wanted.has(t.id)) named.set(t.id, t.title)
  for (const id of ids.filter((i) => !named.has(i))) {
    const title = (await call(ctx, calls, 'get_task', { task_id: id })).result.title
    if (typeof title === 'string') named.set(id, title)
  }
  return named
}
