// The offline agent: a deterministic interpreter for when no model is configured. It acts through the
// same tool registry as the model would, as the signed-in user only. Deletes and bulk changes wait for a "yes";
// its last change can be undone; both are remembered on its stored replies (offline-state.ts). A line that is no
// command but reads as a task is added; German requests are read and answered in German (offline-words.ts).
import type { ToolContext } from '../mcp/tool'
import type { ToolCallRecord } from './schema'
import { correctWord, keywords, titleScore } from './match'
import { call, describeTask, findAll, findBest, readTarget, type Task } from './offline-find'
import { confirm, propose, undoLast, type AgentTurn } from './offline-act'
import { addTask, remindAbout } from './offline-add'
import { counting, finding, listing } from './offline-lookup'
import { REPLIES, type Lang } from './offline-words'
import { fromGerman, languageOf } from './offline-german'
import { commandWord, VERBS } from './offline-grammar'
import { readMessage, type Request } from './offline-read'
import type { Change } from './offline-read-change'
import { confirmProject, offerProject, onProject, projectNames } from './offline-project'
import { completeAsAnswered, readSubtaskAnswer } from './offline-subtasks'
import { confirmSharing, onSharing } from './offline-sharing'
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
  if (last.sharing) {
    if (YES.test(text)) return confirmSharing(ctx, calls, last.sharing, lang)
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

  // "remove milk from Groceries", with nobody called milk in Groceries, is about a task.
  if (request.kind === 'sharing') {
    const turn = await onSharing(ctx, calls, lang, request)
    if (turn) return turn
    request = readMessage(raw, tz, now, projects, { tasksOnly: true }).request
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
    case 'sharing':
      return { reply: `${words.cannot} ${words.help}`, toolCalls: calls }
    case 'list':
      return listing(ctx, calls, lang, request.selection)
    case 'count':
      return counting(ctx, calls, lang, request.selection)
    case 'find':
      return finding(ctx, calls, lang, request.words)
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
