// The offline agent: a deterministic interpreter for when no model is configured. It acts through the
// same tool registry as the model would, as the signed-in user only. Deletes and bulk changes wait for a "yes";
// its last change can be undone; both are remembered on its stored replies (offline-state.ts).
import type { ToolContext } from '../mcp/tool'
import { wallClock } from '../lib/time'
import type { ToolCallRecord } from './schema'
import { ALL_DAY_LEAD_HOUR } from '../features/reminders/service'
import { zonedTimeToUtc } from '../lib/time'
import { parseTaskText } from './parse'
import { correctWord, keywords, titleScore } from './match'
import { call, describeTask, findAll, findBest, readTarget, type Task } from './offline-find'
import { confirm, propose, undoLast, type AgentTurn } from './offline-act'
import type { AgentState, Op, PendingChoice } from './offline-state'

export type { AgentTurn } from './offline-act'

export const HELP =
  'I can add tasks ("add call mum tomorrow 5pm !high #family", "remind me to pay rent every month on dec 1"), ' +
  'list them ("list", "what is due today", "what do I have this week", "show overdue", "show my high priority tasks", "how many tasks do I have"), ' +
  'search ("find dentist"), complete ("mark groceries done"), reopen ("reopen groceries"), rename ("rename dentist to dentist at 3"), ' +
  'reschedule ("move dentist to friday"), delete ("delete old notes", "delete all completed tasks": I ask first), ' +
  'set reminders ("remind me about dentist in 2 hours") and undo my last change ("undo").'

const YES = /^(?:yes|y|ok|okay|sure|confirm|ja|yes please)$/i
const NO = /^(?:no|n|nope|cancel|stop|nein)$/i
const UNDO = /^(?:undo(?:\s+(?:that|it|last|the last change))?|rückgängig(?:\s+machen)?)$/i

/** The command words, so a typo in one ("compelte", "delte") still reads as it. */
const VERBS = ['add', 'create', 'list', 'show', 'find', 'search', 'complete', 'done', 'finish', 'mark', 'delete', 'remove', 'reopen', 'rename', 'postpone', 'move', 'reschedule', 'undo', 'remind']

const ORDINALS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5 }

/** A reminder for a day with no time goes off at 09:00 there, as an all-day task's lead time counts from. */
const remindOnDay = (day: string, timeZone: string) => {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number]
  return zonedTimeToUtc({ year, month, day: date, hour: ALL_DAY_LEAD_HOUR, minute: 0 }, timeZone).toISOString()
}

/**
 * Answers one message. `states` is what the agent's earlier replies in this conversation left, newest first (a
 * question waiting for an answer, a change to undo). Never throws for a user's wording; tool failures are said plainly.
 */
export async function offlineReply(ctx: ToolContext, message: string, states: readonly AgentState[] = []): Promise<AgentTurn> {
  const calls: ToolCallRecord[] = []
  const text = message.trim().replace(/[.!?]+$/, '').trim()
  const last = states[0] ?? {}

  if (last.pending) {
    if (YES.test(text)) return confirm(ctx, calls, last.pending)
    const cancelled = `OK, I cancelled that: nothing was changed.`
    if (NO.test(text)) return { reply: cancelled, toolCalls: calls }
    const next = await interpret(ctx, calls, text, states)
    return { ...next, reply: `${cancelled} ${next.reply}` }
  }
  if (last.choice) {
    const picked = pickChoice(last.choice, text)
    if (picked) return proposeFor(ctx, calls, last.choice.op, picked.id, last.choice.fields)
  }
  return interpret(ctx, calls, text, states)
}

/** The candidate an answer to "Which one?" names: "2", "the first", or a word only one of them has. */
function pickChoice(choice: PendingChoice, text: string): { id: string } | undefined {
  const n = /^(?:the\s+|number\s+|no\.?\s*|#)?(\d{1,2}|first|second|third|fourth|fifth|last)(?:\s+one)?$/i.exec(text)
  if (n) {
    const word = n[1]!.toLowerCase()
    const index = word === 'last' ? choice.candidates.length : (ORDINALS[word] ?? Number(word))
    return choice.candidates[index - 1]
  }
  // A new command is a new request, not an answer.
  const first = text.split(/\s+/)[0] ?? ''
  if (VERBS.includes(correctWord(first, VERBS))) return undefined
  const words = keywords(text)
  const scored = choice.candidates.map((c) => ({ c, score: titleScore(words, c.title) }))
  const best = Math.max(...scored.map((s) => s.score))
  const winners = scored.filter((s) => s.score === best)
  return best > 0 && winners.length === 1 ? winners[0]!.c : undefined
}

/** The picked task, fetched fresh, then proposed like any other. */
async function proposeFor(ctx: ToolContext, calls: ToolCallRecord[], op: Op, id: string, fields?: Record<string, unknown>): Promise<AgentTurn> {
  const got = await call(ctx, calls, 'get_task', { task_id: id })
  if (!got.ok) return { reply: 'That task is gone now.', toolCalls: calls }
  return propose(ctx, calls, op, [got.result as Task], { fields })
}

/** One task the words name (asking which if several match equally), then `op` on it; "all ..." takes every match. */
async function onTarget(ctx: ToolContext, calls: ToolCallRecord[], op: Op, phrase: string, fields?: Record<string, unknown>): Promise<AgentTurn> {
  const tz = ctx.user.timezone
  const target = readTarget(phrase)
  const from = op === 'reopen' ? 'completed' : op === 'update' ? undefined : 'pending'
  const kind = target.status === 'completed' || (!target.status && from === 'completed') ? 'completed' : target.status === 'pending' || from === 'pending' ? 'open' : ''
  const nothing = `I found no ${kind ? `${kind} ` : ''}task matching "${target.phrase || phrase}".`
  if (target.all || (target.words.length === 0 && target.status)) {
    const found = await findAll(ctx, calls, target, from)
    if (found.tasks.length === 0) return { reply: target.words.length ? nothing : `You have no ${kind} tasks.`, toolCalls: calls }
    return propose(ctx, calls, op, found.tasks, { fields, total: found.total, totalExact: found.exact, query: target.phrase })
  }
  const best = await findBest(ctx, calls, target, from)
  if (best.length === 0) return { reply: nothing, toolCalls: calls }
  if (best.length === 1) return propose(ctx, calls, op, best, { fields })
  const shown = best.slice(0, 10)
  const list = shown.map((t, i) => `${i + 1}. ${describeTask(t, tz)}`).join(' ')
  const all = op === 'delete' || op === 'complete' ? ` (or say "${op} all ${target.phrase}")` : ''
  return {
    reply: `${op === 'delete' ? `That matches ${best.length} tasks. ` : ''}Which one? ${list}${all}`,
    toolCalls: calls,
    state: { choice: { op, ...(fields ? { fields } : {}), candidates: shown.map((t) => ({ id: t.id, title: t.title })) } },
  }
}

/** A list_tasks answer in words. */
async function listing(ctx: ToolContext, calls: ToolCallRecord[], args: Record<string, unknown>, label: string, empty: string): Promise<AgentTurn> {
  const res = await call(ctx, calls, 'list_tasks', { status: 'pending', sort: 'due_date', limit: 20, ...args })
  const items = (res.result.items as Task[]) ?? []
  if (items.length === 0) return { reply: empty, toolCalls: calls }
  const total = res.result.total as number
  // Above the cap the total is a lower bound: "and 980+ more".
  const plus = res.result.total_is_exact === false ? '+' : ''
  return { reply: `${label}: ${items.map((t) => describeTask(t, ctx.user.timezone)).join('; ')}${total > items.length ? ` (and ${total - items.length}${plus} more)` : ''}.`, toolCalls: calls }
}

/** A calendar date `days` after `now`'s date in the zone, as YYYY-MM-DD. */
function dateAfter(now: Date, timeZone: string, days: number): string {
  const wall = wallClock(now, timeZone)
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days)).toISOString().slice(0, 10)
}

/** Reads a fresh request (no question pending, or the user moved on). */
async function interpret(ctx: ToolContext, calls: ToolCallRecord[], raw: string, states: readonly AgentState[]): Promise<AgentTurn> {
  const tz = ctx.user.timezone
  const now = ctx.clock()
  const [first = '', ...rest] = raw.split(/\s+/)
  // Only words of five letters or more: a shorter one a letter away is often another word ("gone" is not "done").
  const text = [first.length >= 5 ? correctWord(first, VERBS) : first, ...rest].join(' ')
  let m: RegExpExecArray | null

  if (!text || /^(hi|hello|hey|help|\?|what can you do)\b/i.test(text)) return { reply: HELP, toolCalls: calls }
  if (UNDO.test(text)) return undoLast(ctx, calls, states)

  if ((m = /^remind me (?:about|of)\s+(.+?)\s+((?:in|at|on|tomorrow|today|tonight|next)\b.*)$/i.exec(text))) {
    const [tasks, when] = [await findBest(ctx, calls, readTarget(m[1]!), 'pending'), parseTaskText(m[2]!, tz, now)]
    const at = when.due_date ?? (when.due_day ? remindOnDay(when.due_day, tz) : undefined)
    if (!at) return { reply: `When should I remind you? Try "remind me about ${m[1]} in 2 hours".`, toolCalls: calls }
    if (tasks.length !== 1) return { reply: tasks.length ? `Which one? ${tasks.map((t) => describeTask(t, tz)).join(', ')}. Say it with more words.` : `I found no open task matching "${m[1]}".`, toolCalls: calls }
    const set = await call(ctx, calls, 'set_reminder', { task_id: tasks[0]!.id, remind_at: at })
    return { reply: set.ok ? `I'll remind you about "${tasks[0]!.title}" then.` : set.text, toolCalls: calls }
  }

  if ((m = /^(?:add|create|new)(?:\s+(?:a\s+)?task)?[:\s]+(.+)$/i.exec(text)) || (m = /^remind me to\s+(.+)$/i.exec(text))) {
    const remind = /^remind/i.test(text)
    const parsed = parseTaskText(m[1]!, tz, now)
    if (!parsed.title) return { reply: 'What is the task? Try "add buy milk tomorrow".', toolCalls: calls }
    const added = await call(ctx, calls, 'add_task', {
      title: parsed.title,
      ...(parsed.priority ? { priority: parsed.priority } : {}),
      ...(parsed.due_date ? { due_date: parsed.due_date } : parsed.due_day ? { due_date: parsed.due_day } : {}),
      ...(parsed.recurrence ? { recurrence: parsed.recurrence } : {}),
      ...(parsed.tags.length ? { tags: parsed.tags } : {}),
    })
    if (!added.ok) return { reply: `I could not add that: ${added.text}`, toolCalls: calls }
    const task = added.result as unknown as Task
    let extra = ''
    const remindAt = task.due_day ? remindOnDay(task.due_day, tz) : task.due_date
    if (remind && remindAt && Date.parse(remindAt) > now.getTime() + 60_000) {
      const set = await call(ctx, calls, 'set_reminder', { task_id: task.id, remind_at: remindAt })
      if (set.ok) extra = " I'll remind you then."
    }
    const bits = [parsed.priority ? `${parsed.priority} priority` : '', parsed.recurrence ? 'repeating' : '', parsed.tags.length ? parsed.tags.map((t) => `#${t}`).join(' ') : ''].filter(Boolean)
    return { reply: `Added ${describeTask(task, tz)}${bits.length ? `, ${bits.join(', ')}` : ''}.${extra}`, toolCalls: calls, state: { undo: [{ op: 'delete', id: task.id, title: task.title }] } }
  }

  if (/^(?:show|list|what(?:'s| is| are)?)?\s*(?:(?:me\s+)?(?:my\s+)?)?overdue(?:\s+tasks)?$/i.test(text)) {
    return listing(ctx, calls, { due_date_to: now.toISOString() }, 'Overdue', 'Nothing is overdue.')
  }
  if ((m = /^(?:show|list|what are)?\s*(?:me\s+)?(?:my\s+)?(high|medium|low)[- ]priority(?:\s+tasks)?$/i.exec(text))) {
    const priority = m[1]!.toLowerCase()
    return listing(ctx, calls, { priority }, `Your open ${priority} priority tasks`, `You have no open ${priority} priority tasks.`)
  }
  if (/^how many (?:open\s+)?tasks(?: do i have)?(?: left)?$/i.test(text)) {
    const open = await call(ctx, calls, 'list_tasks', { status: 'pending', limit: 1 })
    const done = await call(ctx, calls, 'list_tasks', { status: 'completed', limit: 1 })
    const count = (res: typeof open) => `${res.result.total as number}${res.result.total_is_exact === false ? '+' : ''}`
    return { reply: `You have ${count(open)} open ${open.result.total === 1 ? 'task' : 'tasks'} and ${count(done)} completed.`, toolCalls: calls }
  }
  if (/^(?:what do i have|what(?:'s| is) due|show|list)?\s*(?:(?:for|due)\s+)?this week$/i.test(text)) {
    // Today to Sunday, in the user's zone.
    const toSunday = (7 - wallClock(now, tz).weekday) % 7
    return listing(ctx, calls, { due_date_from: dateAfter(now, tz, 0), due_date_to: dateAfter(now, tz, toSunday) }, 'This week', 'Nothing is due this week.')
  }

  if (/^(list|show)(\s+(me\s+)?(my\s+)?(open\s+)?tasks)?$/i.test(text) || /^(what('s| is) (due )?today|what do i have today|today)$/i.test(text)) {
    const today = /today/i.test(text)
    const day = dateAfter(now, tz, 0)
    return listing(ctx, calls, today ? { due_date_from: day, due_date_to: day } : {}, today ? 'Due today' : 'Your open tasks', today ? 'Nothing is due today.' : 'You have no open tasks.')
  }

  if ((m = /^(?:search for|look for|search|find)\s+(.+)$/i.exec(text))) {
    const res = await call(ctx, calls, 'list_tasks', { search: m[1], limit: 20 })
    const items = (res.result.items as Task[]) ?? []
    return { reply: items.length ? `Found ${res.result.total}${res.result.total_is_exact === false ? '+' : ''}: ${items.map((t) => describeTask(t, tz)).join('; ')}.` : `Nothing matches "${m[1]}".`, toolCalls: calls }
  }

  if ((m = /^(?:mark|set)\s+(.+?)\s+(?:as\s+)?(?:not done|undone|open|pending|incomplete|not completed)$/i.exec(text)) || (m = /^(?:reopen|uncomplete|unmark)\s+(.+)$/i.exec(text))) {
    return onTarget(ctx, calls, 'reopen', m[1]!)
  }
  if ((m = /^(?:mark|set|check off|tick off)\s+(.+?)(?:\s+(?:as\s+)?(?:done|complete|completed|finished))?$/i.exec(text)) || (m = /^(?:complete|done|finish|finished)\s+(.+)$/i.exec(text))) {
    return onTarget(ctx, calls, 'complete', m[1]!)
  }
  if ((m = /^rename\s+(.+?)\s+to\s+(.+)$/i.exec(text))) {
    return onTarget(ctx, calls, 'update', m[1]!, { title: m[2]!.trim() })
  }
  if ((m = /^(?:postpone|move|reschedule|push|defer)\s+(.+?)\s+(?:to|until|till|for)\s+(.+)$/i.exec(text))) {
    // A day without a time makes the task all-day on that day, as a day typed into quick add does.
    const when = parseTaskText(m[2]!, tz, now)
    const due = when.due_date ?? when.due_day
    if (!due || when.title) return { reply: `When to? Try "move ${m[1]} to friday" or "postpone ${m[1]} to tomorrow 9am".`, toolCalls: calls }
    return onTarget(ctx, calls, 'update', m[1]!, { due_date: due })
  }
  if ((m = /^(?:delete|remove)\s+(.+)$/i.exec(text))) {
    return onTarget(ctx, calls, 'delete', m[1]!)
  }

  return { reply: `Sorry, I can't do that without a language model. ${HELP}`, toolCalls: calls }
}
