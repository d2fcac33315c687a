// The offline agent: a deterministic interpreter for when no model is configured. It acts through the
// same tool registry as the model would, as the signed-in user only. Deletes and bulk changes wait for a "yes";
// its last change can be undone; both are remembered on its stored replies (offline-state.ts). A line that is no
// command but reads as a task is added; German requests are read and answered in German (offline-words.ts).
import type { ToolContext } from '../mcp/tool'
import { isoDay, localDay, parseDay, wallClock, zonedTimeToUtc } from '../lib/time'
import type { ToolCallRecord } from './schema'
import { ALL_DAY_LEAD_HOUR } from '../features/reminders/service'
import { parseTaskText } from './parse'
import { correctWord, keywords, titleScore } from './match'
import { call, describeTask, findAll, findBest, readTarget, type Task } from './offline-find'
import { confirm, propose, undoLast, type AgentTurn } from './offline-act'
import { formatWhen, fromGerman, languageOf, REPLIES, type Lang } from './offline-words'
import type { AgentState, Op, PendingChoice } from './offline-state'

export type { AgentTurn } from './offline-act'

/** What the agent can do, in English (the default) and German. */
export const HELP = REPLIES.en.help

const YES = /^(?:yes|y|ok|okay|sure|confirm|ja|yes please)$/i
const NO = /^(?:no|n|nope|cancel|stop|nein)$/i
const UNDO = /^(?:undo(?:\s+(?:that|it|last|the last change))?|rückgängig(?:\s+machen)?)$/i

/** The command words, so a typo in one ("compelte", "delte") still reads as it. */
const VERBS = ['add', 'create', 'list', 'show', 'find', 'search', 'complete', 'done', 'finish', 'mark', 'delete', 'remove', 'cancel', 'reopen', 'rename', 'postpone', 'move', 'reschedule', 'undo', 'remind']
/** Typos of the short command words, which the edit distance cannot safely catch ("ad" is one letter from "at"). */
const SHORT_TYPOS: Record<string, string> = { ad: 'add', lsit: 'list', shwo: 'show' }

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
  const answers = YES.test(text) || NO.test(text) || UNDO.test(text) || (choice !== undefined && pickChoice(choice, fromGerman(text)) !== undefined)
  const lang = answers ? (states.find((s) => Object.keys(s).length > 0)?.lang ?? 'en') : english ? 'en' : languageOf(text)
  const turn = await answer(ctx, text, states, lang)
  return turn.state && lang !== 'en' ? { ...turn, state: { ...turn.state, lang } } : turn
}

/** Answers `text` in `lang`: a pending question first, then a fresh request. */
async function answer(ctx: ToolContext, text: string, states: readonly AgentState[], lang: Lang): Promise<AgentTurn> {
  const calls: ToolCallRecord[] = []
  const last = states[0] ?? {}

  if (last.pending) {
    if (YES.test(text)) return confirm(ctx, calls, last.pending, lang)
    const cancelled = REPLIES[lang].cancelled
    if (NO.test(text)) return { reply: cancelled, toolCalls: calls }
    const next = await interpret(ctx, calls, text, states, lang)
    return { ...next, reply: `${cancelled} ${next.reply}` }
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
  if (target.all || (target.words.length === 0 && target.status)) {
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

/** A list_tasks answer in words. */
async function listing(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, args: Record<string, unknown>, [label, empty]: [string, string]): Promise<AgentTurn> {
  const res = await call(ctx, calls, 'list_tasks', { status: 'pending', sort: 'due_date', limit: 20, ...args })
  const items = (res.result.items as Task[]) ?? []
  if (items.length === 0) return { reply: empty, toolCalls: calls }
  const total = res.result.total as number
  // Above the cap the total is a lower bound: "and 980+ more".
  const plus = res.result.total_is_exact === false ? '+' : ''
  const more = total > items.length ? REPLIES[lang].andMore(`${total - items.length}${plus}`) : ''
  return { reply: `${label}: ${items.map((t) => describeTask(t, ctx.user.timezone, lang)).join('; ')}${more}.`, toolCalls: calls }
}

/** A calendar date `days` after `now`'s date in the zone, as YYYY-MM-DD. */
const dateAfter = (now: Date, timeZone: string, days: number): string => isoDay(localDay(now, timeZone, days))

/** Adds the task `body` describes ("call mum tomorrow 5pm !high"); `remind` also sets a reminder at its time. */
async function addTask(ctx: ToolContext, calls: ToolCallRecord[], lang: Lang, body: string, remind: boolean): Promise<AgentTurn> {
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
  return { reply: `${words.added(describeTask(task, tz, lang), bits)}${extra}`, toolCalls: calls, state: { undo: [{ op: 'delete', id: task.id, title: task.title }] } }
}

/** The first word as the command it is meant to be: a short typo from the table, a longer one by edit distance. */
function commandWord(word: string): string {
  const short = SHORT_TYPOS[word.toLowerCase()]
  if (short) return short
  // Only words of five letters or more: a shorter one a letter away is often another word ("gone" is not "done").
  return word.length >= 5 ? correctWord(word, VERBS) : word
}

/** Reads a fresh request (no question pending, or the user moved on). */
async function interpret(ctx: ToolContext, calls: ToolCallRecord[], raw: string, states: readonly AgentState[], lang: Lang): Promise<AgentTurn> {
  const tz = ctx.user.timezone
  const now = ctx.clock()
  const words = REPLIES[lang]
  const [first = '', ...rest] = fromGerman(raw).split(/\s+/)
  const text = [commandWord(first), ...rest].join(' ')
  let m: RegExpExecArray | null

  if (!text || /^(hi|hello|hey|help|\?|what can you do)\b/i.test(text)) return { reply: words.help, toolCalls: calls }
  if (UNDO.test(text)) return undoLast(ctx, calls, states, lang)

  if ((m = /^remind me (?:about|of)\s+(.+?)\s+((?:in|at|on|tomorrow|today|tonight|next)\b.*)$/i.exec(text))) {
    const [tasks, when] = [await findBest(ctx, calls, readTarget(m[1]!), 'pending'), parseTaskText(m[2]!, tz, now)]
    const at = when.due_date ?? (when.due_day ? remindOnDay(when.due_day, tz) : undefined)
    if (!at) return { reply: words.remindWhen(m[1]!), toolCalls: calls }
    if (tasks.length !== 1) return { reply: tasks.length ? `${words.which(tasks.map((t) => describeTask(t, tz, lang)).join(', '))}. ${words.whichMore}` : words.noMatch('open', m[1]!), toolCalls: calls }
    const set = await call(ctx, calls, 'set_reminder', { task_id: tasks[0]!.id, remind_at: at })
    return { reply: set.ok ? words.remindAbout(tasks[0]!.title) : set.text, toolCalls: calls }
  }

  // "Erinnere mich morgen um 10 Uhr an den Zahnarzt": the parser takes the German request words out of the title.
  if (/^erinnere\s+mich\b/i.test(text)) return addTask(ctx, calls, lang, text, true)
  if ((m = /^remind me to\s+(.+)$/i.exec(text))) return addTask(ctx, calls, lang, m[1]!, true)
  if ((m = /^(?:add|create|new|añadir|añade|agregar|agrega|ajouter|ajoute)(?:\s+(?:a\s+)?task)?[:\s]+(.+)$/i.exec(text))) return addTask(ctx, calls, lang, m[1]!, false)

  if (/^(?:show|list|what(?:'s| is| are)?)?\s*(?:(?:me\s+)?(?:my\s+)?)?overdue(?:\s+tasks)?$/i.test(text)) {
    return listing(ctx, calls, lang, { due_date_to: now.toISOString() }, words.overdue)
  }
  if ((m = /^(?:show|list|what are)?\s*(?:me\s+)?(?:my\s+)?(high|medium|low)[- ]priority(?:\s+tasks)?$/i.exec(text))) {
    const priority = m[1]!.toLowerCase()
    return listing(ctx, calls, lang, { priority }, words.priorityList(priority))
  }
  if (/^how many (?:open\s+)?tasks(?: do i have)?(?: left)?$/i.test(text)) {
    const open = await call(ctx, calls, 'list_tasks', { status: 'pending', limit: 1 })
    const done = await call(ctx, calls, 'list_tasks', { status: 'completed', limit: 1 })
    const count = (res: typeof open) => `${res.result.total as number}${res.result.total_is_exact === false ? '+' : ''}`
    return { reply: words.count(count(open), open.result.total === 1, count(done)), toolCalls: calls }
  }
  if (/^(?:what do i have|what(?:'s| is) due|show|list)?\s*(?:(?:for|due)\s+)?this week$/i.test(text)) {
    // Today to Sunday, in the user's zone.
    const toSunday = (7 - wallClock(now, tz).weekday) % 7
    return listing(ctx, calls, lang, { due_date_from: dateAfter(now, tz, 0), due_date_to: dateAfter(now, tz, toSunday) }, words.week)
  }

  if (/^(list|show)(\s+(me\s+)?(my\s+)?(open\s+)?tasks)?$/i.test(text) || /^(what('s| is) (due )?today|what do i have today|today)$/i.test(text)) {
    const today = /today/i.test(text)
    const day = dateAfter(now, tz, 0)
    return listing(ctx, calls, lang, today ? { due_date_from: day, due_date_to: day } : {}, today ? words.today : words.open)
  }

  // "what is due tomorrow", "what do I have on friday", "was steht morgen an": that day's open tasks.
  if ((m = /^(?:what(?:'s| is)? due|what do i have)\s+(?:on\s+|for\s+)?(.+)$/i.exec(text))) {
    const when = parseTaskText(m[1]!, tz, now)
    const day = when.due_day ?? (when.due_date ? isoDay(wallClock(new Date(when.due_date), tz)) : undefined)
    // A span ("next week") is not one day: it is not read as its first.
    if (day && !when.title && !/\b(?:week|woche|month|monat)\b/i.test(m[1]!)) return listing(ctx, calls, lang, { due_date_from: day, due_date_to: day }, words.onDay(formatWhen(day, tz, lang)))
  }

  if ((m = /^(?:search for|look for|search|find)\s+(.+)$/i.exec(text))) {
    const res = await call(ctx, calls, 'list_tasks', { search: m[1], limit: 20 })
    const items = (res.result.items as Task[]) ?? []
    const total = `${res.result.total}${res.result.total_is_exact === false ? '+' : ''}`
    return { reply: items.length ? words.found(total, items.map((t) => describeTask(t, tz, lang)).join('; ')) : words.nothingMatches(m[1]!), toolCalls: calls }
  }

  if ((m = /^(?:mark|set)\s+(.+?)\s+(?:as\s+)?(?:not done|undone|open|pending|incomplete|not completed)$/i.exec(text)) || (m = /^(?:reopen|uncomplete|unmark)\s+(.+)$/i.exec(text))) {
    return onTarget(ctx, calls, lang, 'reopen', m[1]!)
  }
  if ((m = /^(?:mark|set|check off|tick off)\s+(.+?)(?:\s+(?:as\s+)?(?:done|complete|completed|finished))?$/i.exec(text)) || (m = /^(?:complete|done|finish|finished)\s+(.+)$/i.exec(text))) {
    return onTarget(ctx, calls, lang, 'complete', m[1]!)
  }
  if ((m = /^rename\s+(.+?)\s+to\s+(.+)$/i.exec(text))) {
    return onTarget(ctx, calls, lang, 'update', m[1]!, { title: m[2]!.trim() })
  }
  if ((m = /^(?:postpone|move|reschedule|push|defer)\s+(.+?)\s+(?:to|until|till|for)\s+(.+)$/i.exec(text))) {
    // A day without a time makes the task all-day on that day, as a day typed into quick add does.
    const when = parseTaskText(m[2]!, tz, now)
    const due = when.due_date ?? when.due_day
    if (!due || when.title) return { reply: words.moveWhen(m[1]!), toolCalls: calls }
    return onTarget(ctx, calls, lang, 'update', m[1]!, { due_date: due })
  }
  // "cancel the dentist": the task is called off, so it goes (after asking, as every delete does).
  if ((m = /^(?:delete|remove|cancel|drop)\s+(.+)$/i.exec(text))) {
    return onTarget(ctx, calls, lang, 'delete', m[1]!)
  }

  // Anything else that reads as a task ("buy eggs", "every other Monday water plants") is one to add.
  // A long sentence is more likely a question for a model than a task.
  const short = text.split(/\s+/).length <= MAX_BARE_WORDS
  if (short && !NOT_A_TASK.test(text) && !VERBS.includes(commandWord(first).toLowerCase())) return addTask(ctx, calls, lang, text, false)

  return { reply: `${words.cannot} ${words.help}`, toolCalls: calls }
}
