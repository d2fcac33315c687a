// The offline agent's answers to questions about tasks: a listing of those a selection names ("what's overdue in
// Work"), how many there are, and a search by words that forgives typos. Reads only.
import type { ToolContext } from '../mcp/tool'
import type { AgentTurn } from './offline-act'
import { call, describeTask, findBest, readTarget, type Task } from './offline-find'
import type { Selection } from './offline-selection'
import { REPLIES, type Lang } from './offline-words'
import type { ToolCallRecord } from './schema'

/** find_tasks' arguments for a selection: its filter terms, what to search for, and its due range. */
function findArgs(selection: Selection): Record<string, unknown> {
  const terms = [...selection.terms, ...(selection.search ? [`search:${selection.search}`] : [])]
  return { ...(terms.length ? { filter: terms.join(' & ') } : {}), ...(selection.from ? { due_from: selection.from, due_to: selection.to } : {}) }
}

/** The tasks a selection names, in words: "Overdue, high priority: …" (open tasks unless it asked for completed ones). */
export async function listing(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, selection: Selection): Promise<AgentTurn> {
  const words = REPLIES[lang]
  const res = await call(ctx, calls, 'find_tasks', { ...findArgs(selection), limit: 20 })
  if (!res.ok) return { reply: res.text, toolCalls: calls }
  const [label, empty] = selection.parts.length ? words.selection(selection.parts, ctx.user.timezone) : words.open
  const items = (res.result.items as Task[]) ?? []
  if (items.length === 0) return { reply: empty, toolCalls: calls }
  const total = res.result.total as number
  // Above the cap the total is a lower bound: "and 980+ more".
  const plus = res.result.total_is_exact === false ? '+' : ''
  const more = total > items.length ? words.andMore(`${total - items.length}${plus}`) : ''
  return { reply: `${label}: ${items.map((t) => describeTask(t, ctx.user.timezone, lang)).join('; ')}${more}.`, toolCalls: calls }
}

/** How many tasks a selection names; with none, how many are open and how many done. */
export async function counting(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, selection: Selection): Promise<AgentTurn> {
  const words = REPLIES[lang]
  const count = (res: { result: Record<string, unknown> }) => `${res.result.total as number}${res.result.total_is_exact === false ? '+' : ''}`
  if (selection.parts.length === 0 && !selection.search) {
    const open = await call(ctx, calls, 'list_tasks', { status: 'pending', limit: 1 })
    const done = await call(ctx, calls, 'list_tasks', { status: 'completed', limit: 1 })
    return { reply: words.count(count(open), open.result.total === 1, count(done)), toolCalls: calls }
  }
  const res = await call(ctx, calls, 'find_tasks', { ...findArgs(selection), limit: 1 })
  if (!res.ok) return { reply: res.text, toolCalls: calls }
  const label = selection.parts.length ? words.selection(selection.parts, ctx.user.timezone)[0] : `"${selection.search}"`
  return { reply: words.counted(label, count(res), res.result.total === 1), toolCalls: calls }
}

/** The tasks whose titles hold the words ("find passport"), or else the closest titles. */
export async function finding(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, phrase: string): Promise<AgentTurn> {
  const tz = ctx.user.timezone
  const words = REPLIES[lang]
  const res = await call(ctx, calls, 'list_tasks', { search: phrase, limit: 20 })
  const items = (res.result.items as Task[]) ?? []
  const total = `${res.result.total}${res.result.total_is_exact === false ? '+' : ''}`
  if (items.length) return { reply: words.found(total, items.map((t) => describeTask(t, tz, lang)).join('; ')), toolCalls: calls }
  // No title holds every word: the closest titles, so "passport" still finds "renew passport" and typos are forgiven.
  const close = await findBest(ctx, calls, readTarget(phrase))
  return { reply: close.length ? words.found(String(close.length), close.map((t) => describeTask(t, tz, lang)).join('; ')) : words.nothingMatches(phrase), toolCalls: calls }
}
