// The offline agent's additions: a task from a line such as "call mum tomorrow 5pm !high" (into a project if named),
// and reminders, at a time or ahead of a task's due date; each can be undone.
import type { ToolContext } from '../mcp/tool'
import { parseDay, zonedTimeToUtc } from '../lib/time'
import { ALL_DAY_LEAD_HOUR } from '../features/reminders/service'
import { parseTaskText } from '../features/tasks/parse-text'
import { leadOf, type Duration } from './duration'
import type { AgentTurn } from './offline-act'
import { call, describeTask, findBest, readTarget, type Task } from './offline-find'
import { PROJECT_REPLIES } from './offline-project-words'
import { REPLIES, type Lang } from './offline-words'
import type { ToolCallRecord } from './schema'

/** A reminder for a day with no time goes off at 09:00 there, as an all-day task's lead time counts from. */
const remindOnDay = (day: string, timeZone: string) => zonedTimeToUtc({ ...parseDay(day)!, hour: ALL_DAY_LEAD_HOUR, minute: 0 }, timeZone).toISOString()

/** Adds the task `body` describes ("call mum tomorrow 5pm !high"), in `project` if given; `remind` also sets a reminder at its time. */
export async function addTask(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, body: string, remind: boolean, project?: string): Promise<AgentTurn> {
  const tz = ctx.user.timezone
  const now = ctx.clock()
  const words = REPLIES[lang]
  const parsed = parseTaskText(body, tz, now)
  if (!parsed.title) return { reply: words.noTitle, toolCalls: calls }
  const added = await call(ctx, calls, 'add_task', {
    title: parsed.title,
    ...(parsed.priority ? { priority: parsed.priority } : {}),
    ...(parsed.due_date ? { due_date: parsed.due_date } : parsed.due_day ? { due_date: parsed.due_day } : {}),
    ...(parsed.recurrence ? { recurrence: parsed.recurrence } : {}),
    ...(parsed.tags.length ? { tags: parsed.tags } : {}),
    ...(project ? { project } : {}),
  })
  if (!added.ok) return { reply: words.couldNotAdd(added.text), toolCalls: calls }
  const task = added.result as unknown as Task
  let extra = ''
  const remindAt = task.due_day ? remindOnDay(task.due_day, tz) : task.due_date
  if (remind && remindAt && Date.parse(remindAt) > now.getTime() + 60_000) {
    const set = await call(ctx, calls, 'set_reminder', { task_id: task.id, remind_at: remindAt })
    if (set.ok) extra = words.remindThen
  }
  const bits = [parsed.priority ? words.priority(parsed.priority) : '', parsed.recurrence ? words.repeating : '', parsed.tags.map((t) => `#${t}`).join(' ')].filter(Boolean)
  const described = project ? PROJECT_REPLIES[lang].addedTo(describeTask(task, tz, lang), project) : describeTask(task, tz, lang)
  return { reply: `${words.added(described, bits)}${extra}`, toolCalls: calls, state: { undo: [{ op: 'delete', id: task.id, title: task.title }] } }
}

/**
 * A reminder for the task the words name, at a time or ahead of its due date. "Remind me about X in 2 hours" with no
 * task X adds X, due then, with the reminder.
 */
export async function remindAbout(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, request: { target: string; at?: string; before?: Duration; phrase?: string }): Promise<AgentTurn> {
  const tz = ctx.user.timezone
  const words = REPLIES[lang]
  if (!request.at && !request.before) return { reply: words.remindWhen(request.target), toolCalls: calls }
  const tasks = await findBest(ctx, calls, readTarget(request.target), 'pending')
  if (tasks.length === 0 && request.phrase) return addTask(ctx, calls, lang, request.phrase, true)
  if (tasks.length !== 1) return { reply: tasks.length ? `${words.which(tasks.map((t) => describeTask(t, tz, lang)).join(', '))}. ${words.whichMore}` : words.noMatch('open', request.target), toolCalls: calls }
  const task = tasks[0]!
  const at = request.at && /^\d{4}-\d{2}-\d{2}$/.test(request.at) ? remindOnDay(request.at, tz) : request.at
  const set = await call(ctx, calls, 'set_reminder', { task_id: task.id, ...(request.before ? { lead: leadOf(request.before) } : { remind_at: at }) })
  if (!set.ok) return { reply: words.couldNotRemind((set.result.error as { message?: string } | undefined)?.message ?? set.text), toolCalls: calls }
  return { reply: words.remindAbout(task.title), toolCalls: calls, state: { undo: [{ op: 'cancel_reminder', id: String(set.result.id), title: task.title }] } }
}
