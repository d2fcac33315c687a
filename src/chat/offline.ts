// The offline agent: a deterministic interpreter for when no model is configured. It acts through the
// same tool registry as the model would, as the signed-in user only.
import { runTool } from '../mcp/server'
import { TOOLS } from '../mcp/registry'
import type { ToolContext } from '../mcp/tool'
import type { ToolCallRecord } from './schema'
import { parseTaskText } from './parse'

export interface AgentTurn {
  reply: string
  toolCalls: ToolCallRecord[]
}

export const HELP =
  'I can add tasks ("add call mum tomorrow 5pm !high #family", "remind me to pay rent every month on dec 1"), ' +
  'list them ("list", "what is due today"), search ("find dentist"), complete ("done call mum"), ' +
  'delete ("delete old notes") and set reminders ("remind me about dentist in 2 hours").'

type Task = { id: string; title: string; due_date: string | null; status: string }

async function call(ctx: ToolContext, calls: ToolCallRecord[], name: string, args: Record<string, unknown>) {
  const def = TOOLS.find((t) => t.name === name)!
  const outcome = await runTool(def, ctx, args)
  calls.push({ name, arguments: args, ok: outcome.ok, result: outcome.result })
  return outcome
}

const describeTask = (t: Task, timeZone: string) => {
  if (!t.due_date) return `"${t.title}"`
  const when = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(t.due_date))
  return `"${t.title}" (due ${when})`
}

async function matching(ctx: ToolContext, calls: ToolCallRecord[], words: string): Promise<Task[]> {
  const res = await call(ctx, calls, 'list_tasks', { search: words, status: 'pending', limit: 20 })
  return res.ok ? ((res.result.items as Task[]) ?? []) : []
}

/** Answers one message. Never throws for a user's wording; tool failures are said plainly. */
export async function offlineReply(ctx: ToolContext, message: string): Promise<AgentTurn> {
  const calls: ToolCallRecord[] = []
  const text = message.trim().replace(/[.!?]+$/, '')
  const tz = ctx.user.timezone
  const now = ctx.clock()
  let m: RegExpExecArray | null

  if (!text || /^(hi|hello|hey|help|\?|what can you do)\b/i.test(text)) return { reply: HELP, toolCalls: calls }

  if ((m = /^remind me (?:about|of)\s+(.+?)\s+((?:in|at|on|tomorrow|today|tonight|next)\b.*)$/i.exec(text))) {
    const [tasks, when] = [await matching(ctx, calls, m[1]!), parseTaskText(m[2]!, tz, now)]
    if (!when.due_date) return { reply: `When should I remind you? Try "remind me about ${m[1]} in 2 hours".`, toolCalls: calls }
    if (tasks.length !== 1) return { reply: tasks.length ? `Which one? ${tasks.map((t) => describeTask(t, tz)).join(', ')}.` : `I found no open task matching "${m[1]}".`, toolCalls: calls }
    const set = await call(ctx, calls, 'set_reminder', { task_id: tasks[0]!.id, remind_at: when.due_date })
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
    if (remind && task.due_date && Date.parse(task.due_date) > now.getTime() + 60_000) {
      const set = await call(ctx, calls, 'set_reminder', { task_id: task.id, remind_at: task.due_date })
      if (set.ok) extra = " I'll remind you then."
    }
    const bits = [parsed.priority ? `${parsed.priority} priority` : '', parsed.recurrence ? 'repeating' : '', parsed.tags.length ? parsed.tags.map((t) => `#${t}`).join(' ') : ''].filter(Boolean)
    return { reply: `Added ${describeTask(task, tz)}${bits.length ? `, ${bits.join(', ')}` : ''}.${extra}`, toolCalls: calls }
  }

  if (/^(list|show)(\s+(me\s+)?(my\s+)?(open\s+)?tasks)?$/i.test(text) || /^(what('s| is) (due )?today|what do i have today|today)$/i.test(text)) {
    const today = /today/i.test(text)
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(now)
    const res = await call(ctx, calls, 'list_tasks', { status: 'pending', sort: 'due_date', limit: 20, ...(today ? { due_date_from: day, due_date_to: day } : {}) })
    const items = (res.result.items as Task[]) ?? []
    if (items.length === 0) return { reply: today ? 'Nothing is due today.' : 'You have no open tasks.', toolCalls: calls }
    const total = res.result.total as number
    // Above the cap the total is a lower bound: "and 980+ more".
    const plus = res.result.total_is_exact === false ? '+' : ''
    return { reply: `${today ? 'Due today' : 'Your open tasks'}: ${items.map((t) => describeTask(t, tz)).join('; ')}${total > items.length ? ` (and ${total - items.length}${plus} more)` : ''}.`, toolCalls: calls }
  }

  if ((m = /^(?:search for|look for|search|find)\s+(.+)$/i.exec(text))) {
    const res = await call(ctx, calls, 'list_tasks', { search: m[1], limit: 20 })
    const items = (res.result.items as Task[]) ?? []
    return { reply: items.length ? `Found ${res.result.total}${res.result.total_is_exact === false ? '+' : ''}: ${items.map((t) => describeTask(t, tz)).join('; ')}.` : `Nothing matches "${m[1]}".`, toolCalls: calls }
  }

  if ((m = /^(?:complete|done|finish|finished|check off|mark)\s+(.+?)(?:\s+as\s+(?:done|complete|completed))?$/i.exec(text))) {
    const tasks = await matching(ctx, calls, m[1]!)
    if (tasks.length === 0) return { reply: `I found no open task matching "${m[1]}".`, toolCalls: calls }
    if (tasks.length > 1) return { reply: `Which one? ${tasks.map((t) => describeTask(t, tz)).join(', ')}. Say it with more words.`, toolCalls: calls }
    const done = await call(ctx, calls, 'complete_task', { task_id: tasks[0]!.id })
    return { reply: done.ok ? `Completed "${tasks[0]!.title}".` : done.text, toolCalls: calls }
  }

  if ((m = /^(?:delete|remove)\s+(all\s+)?(.+)$/i.exec(text))) {
    const all = Boolean(m[1])
    const tasks = await matching(ctx, calls, m[2]!)
    if (tasks.length === 0) return { reply: `I found no open task matching "${m[2]}".`, toolCalls: calls }
    // More than one: only with the user's explicit "all".
    if (tasks.length > 1 && !all) {
      return { reply: `That matches ${tasks.length} tasks: ${tasks.map((t) => describeTask(t, tz)).join(', ')}. Say "delete all ${m[2]}" to delete them all, or be more specific.`, toolCalls: calls }
    }
    for (const t of tasks) await call(ctx, calls, 'delete_task', { task_id: t.id })
    return { reply: tasks.length === 1 ? `Deleted "${tasks[0]!.title}".` : `Deleted ${tasks.length} tasks.`, toolCalls: calls }
  }

  return { reply: `Sorry, I can't do that without a language model. ${HELP}`, toolCalls: calls }
}
