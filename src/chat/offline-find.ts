// How the offline agent finds the tasks a request names, through list_tasks only: exact search first, then a fuzzy
// reading of the user's open (or completed) tasks, so plurals and small typos still find their task.
import { runTool, type ToolOutcome } from '../mcp/server'
import { TOOLS } from '../mcp/registry'
import type { ToolContext } from '../mcp/tool'
import { LIMIT_MAX } from '../lib/paging'
import { keywords, stem, titleScore } from './match'
import { formatWhen, type Lang } from './offline-words'
import { TAG_PHRASE } from './offline-selection'
import type { ToolCallRecord } from './schema'

export type Task = { id: string; title: string; due_date: string | null; due_day?: string | null; status: string; priority: string; tags?: string[]; updated_at: string; project_id?: string }

/** Calls one registry tool as the context's user, recording the call. */
export async function call(ctx: ToolContext, calls: ToolCallRecord[], name: string, args: Record<string, unknown>): Promise<ToolOutcome> {
  const def = TOOLS.find((t) => t.name === name)!
  const outcome = await runTool(def, ctx, args)
  calls.push({ name, arguments: args, ok: outcome.ok, result: outcome.result })
  return outcome
}

/** A task's due date as the API gives it back: its day when it is all-day, else its instant. */
const dueOf = (t: Pick<Task, 'due_date' | 'due_day'>) => t.due_day ?? t.due_date

/** `"Dentist" (due Fri 27 Nov, 09:00)`; in German `"Zahnarzt" (fällig Fr., 27. Nov., 09:00)`. */
export const describeTask = (t: Pick<Task, 'title' | 'due_date' | 'due_day'>, timeZone: string, lang: Lang = 'en') => {
  const due = dueOf(t)
  return due ? `"${t.title}" (${lang === 'de' ? 'fällig' : 'due'} ${formatWhen(due, timeZone, lang)})` : `"${t.title}"`
}

/** What a request's words name: some words, a status ("completed tasks"), a priority, a tag, and whether it said "all". */
export interface Target {
  phrase: string
  words: string[]
  all: boolean
  status?: 'pending' | 'completed'
  priority?: 'high' | 'medium' | 'low'
  tag?: string
}

/** "the low priority ones", "with high priority". */
const PRIORITY_FILTER = /(?:^|\s)(?:with\s+|of\s+)?(high|medium|low)[- ]priority(?=\s|$)/i
/** "tagged old", "with the old tag", "#old". */
const TAG_FILTER = new RegExp(`(?:^|\\s)(?:${TAG_PHRASE})(?=\\s|$)`, 'iu')
/** What is left of a target once its filters are out that names no task: "ones", "tasks", "everything". */
const NOTHING_LEFT = /^(?:(?:the|my|all|every|any|of|those|these|ones?|tasks?|todos?|items?|things?|stuff|everything|aufgaben?)\s*)*$/i

const STATUS_WORDS: Record<string, 'pending' | 'completed'> = {
  completed: 'completed', finished: 'completed', done: 'completed', open: 'pending', pending: 'pending',
  erledigte: 'completed', erledigten: 'completed', offene: 'pending', offenen: 'pending',
}

/** Reads "all completed tasks", "every review task", "the groceries" into a target. */
export function readTarget(text: string): Target {
  let phrase = text.trim()
  let all = false
  // German too: "alle erledigten Aufgaben", "den Zahnarzt", "die Aufgabe Zahnarzt".
  const every = /^(?:all|every|each|alle|jede)(?:\s+of)?\s+(?:(?:the|my|meine)\s+)?/i.exec(phrase)
  if (every) {
    all = true
    phrase = phrase.slice(every[0].length)
  }
  phrase = phrase.replace(/^(?:the|my|den|die|das|der|dem|meine[nm]?|mein)\s+/i, '').replace(/^(?:task|aufgabe)\s+(?=\S)/i, '')
  let status: Target['status']
  let priority: Target['priority']
  let tag: string | undefined
  const level = PRIORITY_FILTER.exec(phrase)
  if (level) {
    priority = level[1]!.toLowerCase() as Target['priority']
    phrase = phrase.replace(level[0], ' ').trim()
  }
  const tagged = TAG_FILTER.exec(phrase)
  if (tagged) {
    tag = (tagged[1] ?? tagged[2] ?? tagged[3])!.toLowerCase()
    phrase = phrase.replace(tagged[0], ' ').trim()
  }
  if ((priority || tag) && NOTHING_LEFT.test(phrase)) return { phrase: '', words: [], all: true, priority, tag }
  if (/^everything$/i.test(phrase)) return { phrase: '', words: [], all: true }
  // "completed tasks", "done", "open review tasks": a status word first is a filter, not part of a title.
  const filter = /^(completed|finished|done|open|pending|erledigten?|offenen?)(?:\s+(.*))?$/i.exec(phrase)
  if (filter && (filter[2] === undefined || all || /\b(?:tasks?|aufgaben?)$/i.test(filter[2]))) {
    status = STATUS_WORDS[filter[1]!.toLowerCase()]
    phrase = (filter[2] ?? '').replace(/^(?:tasks?|aufgaben?)$/i, '').replace(/\s+(?:tasks?|aufgaben?)$/i, '').trim()
  }
  // "the order printer ink task", "the pay one": the last word says it is a task.
  phrase = phrase.replace(/(?<=\S)\s+(?:task|todo|one|aufgabe)$/i, '').trim()
  return { phrase, words: keywords(phrase), all, status, ...(priority ? { priority } : {}), ...(tag ? { tag } : {}) }
}

/** list_tasks' filters for a target's priority and tag. */
const narrowing = (target: Target) => ({ ...(target.priority ? { priority: target.priority } : {}), ...(target.tag ? { tags: [target.tag] } : {}) })

/** A list_tasks page's items and total. */
async function page(ctx: ToolContext, calls: ToolCallRecord[], args: Record<string, unknown>) {
  const res = await call(ctx, calls, 'list_tasks', args)
  if (!res.ok) return { items: [] as Task[], total: 0, exact: true }
  return { items: (res.result.items as Task[]) ?? [], total: res.result.total as number, exact: res.result.total_is_exact !== false }
}

/** Each word cut to what its forms share ("groceries", "grocery" → "grocer"), for a search that finds them all. */
const roots = (words: readonly string[]) => words.map((w) => stem(w)).map((w) => (w.length > 4 ? w.slice(0, -1) : w)).join(' ')

/**
 * Tasks whose titles match the words fuzzily, best first (ties by title): a search by the words' roots, else a page
 * of the user's tasks read whole (typos: "dentsit").
 */
async function fuzzy(ctx: ToolContext, calls: ToolCallRecord[], target: Target, status: string | undefined) {
  const filters = { ...(status ? { status } : {}), ...narrowing(target), sort: 'due_date', limit: LIMIT_MAX }
  const scoreAll = (items: Task[]) =>
    items
      .map((task) => ({ task, score: titleScore(target.words, task.title) }))
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score || a.task.title.localeCompare(b.task.title))
  const byRoots = scoreAll((await page(ctx, calls, { ...filters, search: roots(target.words) })).items)
  return byRoots.length > 0 ? byRoots : scoreAll((await page(ctx, calls, filters)).items)
}

export interface Found {
  tasks: Task[]
  /** How many match in all (`tasks` holds at most LIMIT_MAX of them). */
  total: number
  exact: boolean
}

/** Every task the target names (at most LIMIT_MAX), for "all" requests: exact search, else fuzzy matches. */
export async function findAll(ctx: ToolContext, calls: ToolCallRecord[], target: Target, defaultStatus?: 'pending' | 'completed'): Promise<Found> {
  const status = target.status ?? defaultStatus
  const filters = { ...(status ? { status } : {}), ...narrowing(target), sort: 'created_at', order: 'asc', limit: LIMIT_MAX }
  if (target.words.length === 0) {
    const { items, total, exact } = await page(ctx, calls, filters)
    return { tasks: items, total, exact }
  }
  const found = await page(ctx, calls, { ...filters, search: target.phrase })
  if (found.items.length > 0) return { tasks: found.items, total: found.total, exact: found.exact }
  const close = await fuzzy(ctx, calls, target, status)
  return { tasks: close.map((s) => s.task), total: close.length, exact: true }
}

/** A search hit whose title does not carry the words (they are in its description) still counts, below a title match. */
const DESCRIPTION_HIT = 0.7

/** The tasks that best match the target: one, or several that match equally well (then ask which). */
export async function findBest(ctx: ToolContext, calls: ToolCallRecord[], target: Target, defaultStatus?: 'pending' | 'completed'): Promise<Task[]> {
  const status = target.status ?? defaultStatus
  if (target.words.length === 0) return []
  const hits = await page(ctx, calls, { search: target.phrase, ...(status ? { status } : {}), ...narrowing(target), limit: 20 })
  const scored =
    hits.items.length > 0
      ? hits.items
          .map((task) => ({ task, score: Math.max(titleScore(target.words, task.title), DESCRIPTION_HIT) }))
          .sort((a, b) => b.score - a.score || a.task.title.localeCompare(b.task.title))
      : await fuzzy(ctx, calls, target, status)
  if (scored.length === 0) return []
  // A title that is exactly what was said wins outright.
  const same = scored.filter((s) => s.task.title.trim().toLowerCase() === target.phrase.toLowerCase())
  if (same.length === 1) return [same[0]!.task]
  const top = scored[0]!.score
  return scored.filter((s) => top - s.score < 1e-9).map((s) => s.task)
}
