// The offline agent: a deterministic interpreter for when no model is configured. It acts through the
// same tool registry as the model would, as the signed-in user only. Deletes and bulk changes wait for a "yes";
// its last change can be undone; both are remembered on its stored replies (offline-state.ts). A line that is no
// command but reads as a task is added; German requests are read and answered in German (offline-words.ts).
import type { ToolContext } from '../mcp/tool'
import { parseDay, zonedTimeToUtc } from '../lib/time'
import type { ToolCallRecord } from './schema'
import { ALL_DAY_LEAD_HOUR } from '../features/reminders/service'
import { parseTaskText } from '../features/tasks/parse-text'
import { correctWord, keywords, titleScore } from './match'
import { call, describeTask, findAll, findBest, readTarget, type Task } from './offline-find'
import { confirm, propose, undoLast, type AgentTurn } from './offline-act'
import { REPLIES, type Lang } from './offline-words'
import { fromGerman, languageOf } from './offline-german'
import { commandWord, readMessage, VERBS, type Change, type Request, type Selection } from './offline-read'
import { confirmProject, offerProject, onProject, projectNames } from './offline-project'
import { PROJECT_REPLIES } from './offline-project-words'
import { completeAsAnswered, readSubtaskAnswer } from './offline-subtasks'
import { leadOf, type Duration } from './duration'
import type { AgentState, Op, PendingChoice } from './offline-state'

export type { AgentTurn } from './offline-act'

/** What the agent can do, in English (the default) and German. */
export const HELP = REPLIES.en.help

/** A "yes", however it is said: "yes", "ok yes", "yes please", "yes, delete it", "sure", "ja, bitte". */
const YES = /^(?:(?:ok(?:ay)?|yes|yep|yeah|yup|ya|y|sure|confirm(?:ed)?|ja|jo|jep|klar|genau|go ahead|do it|please do|of course|absolutely|definitely|correct|fine)[\s,!.]*)+(?:(?:please|bitte|go ahead|do it)|(?:delete|remove|complete|change|move|rename|do|mach|lösche?)\s+(?:it|them|that|those|all|all of them|es|sie|das|alle))?[\s,!.]*(?:please|bitte)?[\s!.]*$/i
/** A "no": "no", "nope", "actually no, keep it", "never mind", "nein, lass es". */
const NO = /^(?:(?:actually|wait|oh|hmm|ah)[\s,]+)?(?:no|n|nope|nah|cancel|stop|nein|don't|do not|dont|never ?mind|abbrechen|lieber nicht)\b(?:[\s,!.]+(?:wait|thanks|thank you|keep (?:it|them|that)|leave (?:it|them)|don't|do not|lass (?:es|sie)|behalte (?:es|sie)|doch nicht|danke))*[\s!.]*$/i
const UNDO = /^(?:undo(?:\s+(?:that|it|last|the last change))?|rückgängig(?:\s+machen)?)$/i

/**
 * Text that is not a task when nothing else read it: a question, an answer with nothing to answer, small talk, a
 * request to the agent itself ("write me a poem"), or a command word whose command was incomplete ("move dentist").
 */
const NOT_A_TASK =
  /^(?:what|what's|whats|why|how|when|where|who|which|whose|can|could|would|will|is|are|should|shall|yes|y|yeah|yep|no|n|nope|ok|okay|sure|thanks|thank|thx|cool|great|nice|bye|goodbye|stop|never ?mind|was|wie|warum|wann|wo|wer|welche|kannst|danke|ja|nein|gut)\b|^(?:write|tell|give|explain|teach|sing|make|read)\s+(?:me|us)\b|\b(?:you|your)\b|^(?:erledigt|fertig|lösche|zeige|verschiebe|erledige|hinzufügen|aufgaben?|alle)$/i

/** The most words a bare task may have ("buy eggs"): a longer line with no command is not read as one. */
const MAX_BARE_WORDS = 12

const ORDINALS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, erste: 1, zweite: 2, dritte: 3, vierte: 4, fünfte: 5 }

/** A reminder for a day with no time goes off at 09:00 there, as an all-day task's lead time counts from. */
const remindOnDay = (day: string, timeZone: string) => zonedTimeToUtc({ ...parseDay(day)!, hour: ALL_DAY_LEAD_HOUR, minute: 0 }, timeZone).toISOString()

/**
 * Answers one message. `states` is what the agent's earlier replies in this conversation left, newest first (a
 * question waiting for an answer, a change to undo). Never throws for a user's wording; tool failures are said plainly.
 */
export async function offlineReply(ctx: ToolContext, message: string, states: readonly AgentState[] = []): Promise<AgentTurn> {
  const text = message.trim().replace(/[.!?]+$/, '').trim()
  // Each request is answered in its own language (a German one in German, anything else in English); an answer
  // ("ja", "no", "rückgängig", "die erste") is answered in the language the agent last asked or acted in.
  // An English command word first makes the request English, whatever its title says ("delete confirm me ja").
  const english = VERBS.includes(commandWord(text.split(/\s+/)[0] ?? '').toLowerCase()) || /^(?:what|how|when|which|who)\b/i.test(text)
  const choice = states[0]?.choice
  const subtasks = states[0]?.subtasks
  const answers =
    YES.test(text) || NO.test(text) || UNDO.test(text) || (choice !== undefined && pickChoice(choice, fromGerman(text)) !== undefined) || (subtasks !== undefined && readSubtaskAnswer(text, subtasks) !== undefined)
  const lang = answers ? (states.find((s) => Object.keys(s).length > 0)?.lang ?? 'en') : english ? 'en' : languageOf(text)
  const turn = await answer(ctx, text, states, lang)
  return turn.state && lang !== 'en' ? { ...turn, state: { ...turn.state, lang } } : turn
}

/** Answers `text` in `lang`: a pending question first, then a fresh request. */
async function answer(ctx: ToolContext, text: string, states: readonly AgentState[], lang: Lang): Promise<AgentTurn> {
  const calls: ToolCallRecord[] = []
  const last = states[0] ?? {}

  if (last.project) {
    if (YES.test(text)) {
      return confirmProject(ctx, calls, last.project, lang, {
        add: (body, project) => addTask(ctx, calls, lang, body, false, project),
        move: (target, project) => onTarget(ctx, calls, lang, 'update', target, { project }),
      })
    }
    if (NO.test(text)) return { reply: REPLIES[lang].cancelled, toolCalls: calls }
  }
  if (last.pending) {
    if (YES.test(text)) return confirm(ctx, calls, last.pending, lang)
    const cancelled = REPLIES[lang].cancelled
    if (NO.test(text)) return { reply: cancelled, toolCalls: calls }
    const next = await interpret(ctx, calls, text, states, lang)
    return { ...next, reply: `${cancelled} ${next.reply}` }
  }
  if (last.subtasks) {
    const answered = readSubtaskAnswer(text, last.subtasks)
    if (answered === 'cancel') return { reply: REPLIES[lang].cancelled, toolCalls: calls }
    if (answered) return completeAsAnswered(ctx, calls, last.subtasks, answered, lang)
    // Anything else is a new request: the completion asked about is left undone (an "undo" takes back the change before).
    const next = await interpret(ctx, calls, text, states, lang)
    return UNDO.test(text) ? next : { ...next, reply: `${REPLIES[lang].cancelled} ${next.reply}` }
  }
  if (last.choice) {
    const picked = pickChoice(last.choice, fromGerman(text))
    if (picked) return proposeFor(ctx, calls, last.choice.op, picked.id, lang, last.choice.fields)
  }
  return interpret(ctx, calls, text, states, lang)
}

/** The candidate an answer to "Which one?" names: "2", "the first", or a word only one of them has. */
function pickChoice(choice: PendingChoice, text: string): { id: string } | undefined {
  const n = /^(?:the\s+|number\s+|no\.?\s*|#|die\s+|der\s+|nummer\s+)?(\d{1,2}|first|second|third|fourth|fifth|last|erste|zweite|dritte|vierte|fünfte|letzte)n?(?:\s+one)?$/i.exec(text)
  if (n) {
    const word = n[1]!.toLowerCase()
    const index = word === 'last' || word === 'letzte' ? choice.candidates.length : (ORDINALS[word] ?? Number(word))
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
async function proposeFor(ctx: ToolContext, calls: ToolCallRecord[], op: Op, id: string, lang: Lang, fields?: Record<string, unknown>): Promise<AgentTurn> {
  const got = await call(ctx, calls, 'get_task', { task_id: id })
  if (!got.ok) return { reply: REPLIES[lang].gone, toolCalls: calls }
  return propose(ctx, calls, op, [got.result as Task], { fields, lang })
}

/** One task the words name (asking which if several match equally), then `op` on it; "all ..." takes every match. */
async function onTarget(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, op: Op, phrase: string, fields?: Record<string, unknown>): Promise<AgentTurn> {
  const tz = ctx.user.timezone
  const words = REPLIES[lang]
  const target = readTarget(phrase)
  const from = op === 'reopen' ? 'completed' : op === 'update' ? undefined : 'pending'
  const kind = target.status === 'completed' || (!target.status && from === 'completed') ? 'completed' : target.status === 'pending' || from === 'pending' ? 'open' : ''
  const nothing = words.noMatch(kind, target.phrase || phrase)
  if (target.all || (target.words.length === 0 && (target.status || target.priority || target.tag))) {
    const found = await findAll(ctx, calls, target, from)
    if (found.tasks.length === 0) return { reply: target.words.length ? nothing : words.noneOfKind(kind), toolCalls: calls }
    return propose(ctx, calls, op, found.tasks, { fields, total: found.total, totalExact: found.exact, query: target.phrase, lang })
  }
  const best = await findBest(ctx, calls, target, from)
  if (best.length === 0) return { reply: nothing, toolCalls: calls }
  if (best.length === 1) return propose(ctx, calls, op, best, { fields, lang })
  const shown = best.slice(0, 10)
  const list = shown.map((t, i) => `${i + 1}. ${describeTask(t, tz, lang)}`).join(' ')
  const all = op === 'delete' || op === 'complete' ? words.orAll(op, target.phrase) : ''
  return {
    reply: `${op === 'delete' ? words.matches(best.length) : ''}${words.which(list)}${all}`,
    toolCalls: calls,
    state: { choice: { op, ...(fields ? { fields } : {}), candidates: shown.map((t) => ({ id: t.id, title: t.title })) } },
  }
}

/** find_tasks' arguments for a selection: its filter terms, what to search for, and its due range. */
function findArgs(selection: Selection): Record<string, unknown> {
  const terms = [...selection.terms, ...(selection.search ? [`search:${selection.search}`] : [])]
  return { ...(terms.length ? { filter: terms.join(' & ') } : {}), ...(selection.from ? { due_from: selection.from, due_to: selection.to } : {}) }
}

/** The tasks a selection names, in words: "Overdue, high priority: …" (open tasks unless it asked for completed ones). */
async function listing(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, selection: Selection): Promise<AgentTurn> {
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
async function counting(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, selection: Selection): Promise<AgentTurn> {
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

/** Adds the task `body` describes ("call mum tomorrow 5pm !high"), in `project` if given; `remind` also sets a reminder at its time. */
async function addTask(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, body: string, remind: boolean, project?: string): Promise<AgentTurn> {
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

/** Reads a fresh request (no question pending, or the user moved on) and does what it asks. */
async function interpret(ctx: ToolContext, calls: ToolCallRecord[], raw: string, states: readonly AgentState[], lang: Lang): Promise<AgentTurn> {
  const tz = ctx.user.timezone
  const now = ctx.clock()
  const words = REPLIES[lang]
  if (/^(?:hi|hello|hey)\b/i.test(raw)) return { reply: words.help, toolCalls: calls }
  const projects = await projectNames(ctx)
  const read = readMessage(raw, tz, now, projects)
  const { text } = read
  let request: Request = read.request
  // "delete project report" with no project so named but a task that is: the task is meant.
  if (request.kind === 'project' && request.action === 'missing') {
    const asTask = readMessage(raw, tz, now, projects, { tasksOnly: true }).request
    const target = 'target' in asTask ? asTask.target : undefined
    if (target && (await findBest(ctx, calls, readTarget(target))).length > 0) request = asTask
  }

  switch (request.kind) {
    case 'help':
      return { reply: words.help, toolCalls: calls }
    case 'undo':
      return undoLast(ctx, calls, states, lang)
    case 'add':
      if (request.project?.missing) return offerProject(ctx, calls, lang, request.project.name, projects, { add: request.body })
      return addTask(ctx, calls, lang, request.body, request.remind, request.project?.name)
    case 'project':
      return onProject(ctx, calls, lang, request, projects)
    case 'list':
      return listing(ctx, calls, lang, request.selection)
    case 'count':
      return counting(ctx, calls, lang, request.selection)
    case 'find': {
      const res = await call(ctx, calls, 'list_tasks', { search: request.words, limit: 20 })
      const items = (res.result.items as Task[]) ?? []
      const total = `${res.result.total}${res.result.total_is_exact === false ? '+' : ''}`
      if (items.length) return { reply: words.found(total, items.map((t) => describeTask(t, tz, lang)).join('; ')), toolCalls: calls }
      // No title holds every word: the closest titles, so "passport" still finds "renew passport" and typos are forgiven.
      const close = await findBest(ctx, calls, readTarget(request.words))
      return { reply: close.length ? words.found(String(close.length), close.map((t) => describeTask(t, tz, lang)).join('; ')) : words.nothingMatches(request.words), toolCalls: calls }
    }
    case 'complete':
    case 'reopen':
    case 'delete':
      return onTarget(ctx, calls, lang, request.kind, request.target)
    case 'update':
      if (request.change.kind === 'project' && request.change.missing) return offerProject(ctx, calls, lang, request.change.project, projects, { move: request.target })
      return onTarget(ctx, calls, lang, 'update', request.target, fieldsOf(request.change))
    case 'remind':
      return remindAbout(ctx, calls, lang, request)
    case 'when':
      return { reply: words.moveWhen(request.target), toolCalls: calls }
    case 'unknown': {
      // Anything else that reads as a task ("buy eggs", "every other Monday water plants") is one to add.
      // A long sentence is more likely a question for a model than a task.
      const short = text.split(/\s+/).length <= MAX_BARE_WORDS
      // "can you sing" is asked of the agent even though "sing" alone could be a task.
      if (short && !NOT_A_TASK.test(text) && !NOT_A_TASK.test(raw.trim()) && !VERBS.includes(text.split(/\s+/)[0]!.toLowerCase())) return addTask(ctx, calls, lang, text, false)
      return { reply: `${words.cannot} ${words.help}`, toolCalls: calls }
    }
  }
}

/** The update fields a change asks for; a shift or tag change stays in words until each task is known (offline-change.ts). */
function fieldsOf(change: Change): Record<string, unknown> {
  switch (change.kind) {
    case 'title':
      return { title: change.title }
    case 'due':
      return { due_date: change.due }
    case 'priority':
      return { priority: change.level }
    case 'shift':
      return { shift: change.by }
    case 'tags':
      return { ...(change.add.length ? { add_tags: change.add } : {}), ...(change.remove.length ? { remove_tags: change.remove } : {}) }
    case 'project':
      return { project: change.project }
  }
}

/**
 * A reminder for the task the words name, at a time or ahead of its due date. "Remind me about X in 2 hours" with no
 * task X adds X, due then, with the reminder.
 */
async function remindAbout(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, request: { target: string; at?: string; before?: Duration; phrase?: string }): Promise<AgentTurn> {
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
