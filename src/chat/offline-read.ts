// How the offline agent reads a request: the words around a command that carry nothing ("ok", "can you",
// "pls"), then which of the everyday intents it is, with the task it names and the change it asks for. Pure: it
// reads text at a time in a zone and touches no data, so every phrasing can be unit-tested (test/offline-read.test.ts).
// The German phrasings are first rewritten into this English grammar by offline-words.ts.
import { isoDay, localDay, wallClock } from '../lib/time'
import type { TaskPriority } from '../features/tasks/model'
import { parseTaskText } from '../features/tasks/parse-text'
import { correctWord, editDistance } from './match'
import { DURATION, readDuration, type Duration } from './duration'
import { fromGerman } from './offline-german'
import { projectInQuestion, projectNamed, readProjectRequest, splitAtProject, type ProjectRequest } from './offline-project-read'

/** Which tasks a listing or a count is about: find_tasks' filter terms and due range, and their names. */
export interface Selection {
  terms: string[]
  from?: string
  to?: string
  /** What each part is, for the reply ("overdue", "high priority", "#work", a day). */
  parts: SelectionPart[]
  /** Words that are no filter: what to search for. */
  search: string
}

export type SelectionPart =
  | { kind: 'overdue' | 'today' | 'completed' | 'undated' }
  /** This week: from today to Sunday (what is behind is overdue, asked for on its own). */
  | { kind: 'week'; from: string; to: string }
  | { kind: 'priority'; level: TaskPriority }
  | { kind: 'tag'; tag: string }
  | { kind: 'day'; day: string }
  | { kind: 'range'; from: string; to: string }
  /** One project's tasks: "in Work", "my Work tasks", "@project:Work". */
  | { kind: 'project'; name: string }

/** A change to the tasks a target phrase names. */
export type Change =
  | { kind: 'title'; title: string }
  | { kind: 'due'; due: string }
  | { kind: 'shift'; by: Duration }
  | { kind: 'priority'; level: TaskPriority }
  | { kind: 'tags'; add: string[]; remove: string[] }
  /** Into a project; `missing` when the words called it a project and the user has none so named. */
  | { kind: 'project'; project: string; missing: boolean }

export type Request =
  | { kind: 'help' }
  | { kind: 'undo' }
  | { kind: 'add'; body: string; remind: boolean; project?: { name: string; missing: boolean } }
  | { kind: 'list'; selection: Selection }
  | { kind: 'count'; selection: Selection }
  | { kind: 'find'; words: string }
  | { kind: 'complete' | 'reopen' | 'delete'; target: string }
  | { kind: 'update'; target: string; change: Change }
  /**
   * A reminder for the task `target` names: at a time (`at`, as the parser read it) or ahead of its due date. With a
   * time, `phrase` is the task and its time as said, to add as a new task when none matches.
   */
  | { kind: 'remind'; target: string; at?: string; before?: Duration; phrase?: string }
  /** A command whose time could not be read ("move dentist to sometime"). */
  | { kind: 'when'; target: string }
  | ProjectRequest
  | { kind: 'unknown' }

// ---------------------------------------------------------------------------------------------------------------
// Tidying

/** The command words, so a typo in one ("compelte", "delte") still reads as it. */
export const VERBS = [
  'add', 'create', 'list', 'show', 'find', 'search', 'complete', 'done', 'finish', 'mark', 'delete', 'remove', 'cancel', 'reopen', 'rename', 'retitle', 'postpone',
  'move', 'reschedule', 'undo', 'remind', 'snooze', 'delay', 'uncheck', 'change', 'prioritize', 'untag', 'label', 'clear', 'check', 'tick', 'push', 'count',
]
/** Typos of the short command words, which the edit distance cannot safely catch ("ad" is one letter from "at"). */
const SHORT_TYPOS: Record<string, string> = { ad: 'add', lsit: 'list', shwo: 'show' }

/** The first word as the command it is meant to be: a short typo from the table, a longer one by edit distance. */
export function commandWord(word: string): string {
  const short = SHORT_TYPOS[word.toLowerCase()]
  if (short) return short
  // Two neighbouring letters swapped ("mvoe", "mrak") is a typo even in a short word: no other word is made that way here.
  const swapped = VERBS.find((v) => v.length === word.length && v.length >= 4 && v !== word.toLowerCase() && [...v].sort().join('') === [...word.toLowerCase()].sort().join('') && editDistance(v, word.toLowerCase()) === 1)
  if (swapped) return swapped
  // Only words of five letters or more: a shorter one a letter away is often another word ("gone" is not "done").
  return word.length >= 5 ? correctWord(word, VERBS) : word
}


/** Words before a command that say nothing about it: "ok", "oops", "please", "can you", "I'd like to", "no wait". */
const LEAD = /^(?:(?:ok(?:ay)?|oops|hey|so|well|um+|uh+|hmm+|please|pls|plz|kindly|also|and|then|now|right|wait|no wait|actually)\b[\s,:]*|(?:can|could|would|will)\s+(?:you|u)(?:\s+please)?\s+|(?:i(?:'d| would) like(?: you)? to|i (?:want|need|have|must)(?: you)? to|i(?:'ve| have)? got to|i gotta|gotta|i must|help me|let'?s|don't (?:let me )?forget to|remember to)\s+)/i
/** Words after it: "pls", "thanks", "for me", "actually". */
const TRAIL = /[\s,]+(?:please|pls|plz|thanks|thank you|thx|for me|now|actually|asap)$/i

/** The request without the words around it that carry nothing. */
export function tidy(text: string): string {
  let out = text.trim().replace(/[’‘]/g, "'").replace(/[.!?]+$/, '').trim()
  for (let before = ''; before !== out; ) {
    before = out
    out = out.replace(LEAD, '').replace(TRAIL, '').trim()
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// Priority words

/** Words for a priority: "urgent" and "important" are high, "not urgent" is low. */
const LEVEL = '(?:(?:very |really |super )?(?:high(?:est)?|top|urgent|important|critical)|medium|normal|mid|low(?:est)?|not (?:urgent|important)|unimportant|p[123])'
const levelOf = (word: string): TaskPriority => {
  const w = word.toLowerCase()
  if (/^(?:medium|normal|mid|p2)$/.test(w)) return 'medium'
  if (/^(?:low|lowest|p3)$|not |unimportant/.test(w)) return 'low'
  return 'high'
}

// ---------------------------------------------------------------------------------------------------------------
// What a listing is about

/** Words in a question that name no filter and no task ("show me all my tasks", "what do I have to do"). */
const GENERIC = new Set([
  'show', 'list', 'display', 'view', 'give', 'tell', 'me', 'my', 'mine', 'the', 'all', 'any', 'anything', 'everything', 'every', 'what', 'whats', 'which', 'is', 'are', 'do', 'does', 'did',
  'i', 'have', 'has', 'got', 'get', 'to', 'on', 'for', 'in', 'of', 'there', 'left', 'open', 'pending', 'outstanding', 'remaining', 'still', 'tasks', 'task', 'todos', 'todo', 'to-dos', 'items',
  'things', 'thing', 'stuff', 'ones', 'one', 'list', 'plate', 'agenda', 'schedule', 'due', 'up', 'coming', 'upcoming', 'at', 'a', 'with', 'that', 'are', 'be', 'need', 'should', 'currently', 'now', 'right',
  'about', 'regarding', 'mentioning', 'containing', 'called', 'named', 'zeige', 'zeig', 'liste', 'alle', 'meine', 'was', 'hab', 'habe', 'ich', 'ist', 'sind', 'steht', 'an', 'aufgaben', 'noch', 'offen', 'offene', 'offenen',
])

/** A tag named in words, its name in the first, second or third group: "tagged old", "with the old tag", "#old". */
export const TAG_PHRASE = 'tagged(?:\\s+(?:with|as))?\\s+#?([\\p{L}\\p{N}_-]+)|(?:with\\s+)?(?:the\\s+)?#?([\\p{L}\\p{N}_-]+)\\s+tags?|#([\\p{L}\\p{N}_-]+)'
/** A tag in a question (lower-cased, padded with spaces): also "in #work". */
const TAG_IN_QUESTION = new RegExp(`\\s(?:${TAG_PHRASE}|in\\s+#([\\p{L}\\p{N}_-]+))\\s`, 'u')

/**
 * The filters a question names, anywhere in it: overdue, today, tomorrow, a day, this or next week, a priority, a
 * tag, completed, no date; the words left over are what to search for.
 */
export function readSelection(text: string, timeZone: string, now: Date, projects: readonly string[] = []): Selection {
  const parts: SelectionPart[] = []
  // "what's", "I've", "we're": the short forms are question words too.
  let rest = ` ${text.toLowerCase().replace(/[?!.,]/g, ' ').replace(/'s\b/g, ' is').replace(/'(?:re|ve|ll|d|m)\b/g, ' ')} `
  const take = (re: RegExp, then: (m: RegExpExecArray) => void) => {
    const m = re.exec(rest)
    if (!m) return
    then(m)
    rest = rest.replace(m[0], ' ')
  }
  const day = (offset: number) => isoDay(localDay(now, timeZone, offset))
  take(/\s(?:overdue|late|past due|behind|überfällig\w*)\s/, () => parts.push({ kind: 'overdue' }))
  take(/\s(?:(?:did i|have i|i've|i have)\s+(?:get|got|gotten)?\s*(?:done|finished|completed)|completed|finished|done|erledigt\w*)\s/, () => parts.push({ kind: 'completed' }))
  take(/\s(?:no (?:due )?date|undated|without (?:a )?(?:due )?date|someday)\s/, () => parts.push({ kind: 'undated' }))
  take(new RegExp(`\\s(?:(?:with|of)\\s+)?(${LEVEL})[- ](?:priority|prio)\\s|\\s(urgent|important)\\s|\\spriority\\s+(${LEVEL})\\s`), (m) => parts.push({ kind: 'priority', level: levelOf((m[1] ?? m[2] ?? m[3])!) }))
  for (let i = 0; i < 5; i++) {
    const before = rest
    take(TAG_IN_QUESTION, (m) =>
      parts.push({ kind: 'tag', tag: (m[1] ?? m[2] ?? m[3] ?? m[4])!.toLowerCase() }),
    )
    if (before === rest) break
  }
  // A project by name ("what's in Work", "my Work tasks"), or as the filter language writes it ("@project:Work").
  const inProject = projectInQuestion(projects)
  if (inProject) take(inProject, (m) => parts.push({ kind: 'project', name: projectNamed(projects, m[1]!) ?? m[1]! }))
  take(/\s@project:(?:"((?:[^"\\]|\\.)+)"|(\S+))\s/, (m) => parts.push({ kind: 'project', name: projectNamed(projects, m[1] ?? m[2]!) ?? (m[1] ?? m[2])! }))
  const toSunday = (7 - wallClock(now, timeZone).weekday) % 7
  take(/\s(?:this week|diese woche|for the week)\s/, () => parts.push({ kind: 'week', from: day(0), to: day(toSunday) }))
  take(/\s(?:next week|nächste woche)\s/, () => parts.push({ kind: 'range', from: day(toSunday + 1), to: day(toSunday + 7) }))
  take(/\s(?:today|tonight|heute)\s/, () => parts.push({ kind: 'today' }))
  // Any other day the parser reads ("tomorrow", "friday", "dec 3") is that day. Only the words that are not the
  // question's own are read: "what do I have to do" names no day (chrono's German reads "do" as Thursday).
  let search = (rest.match(/[\p{L}\p{N}'-]+/gu) ?? []).filter((w) => !GENERIC.has(w)).join(' ')
  if (search) {
    const when = parseTaskText(search, timeZone, now)
    const on = when.due_day ?? (when.due_date ? isoDay(wallClock(new Date(when.due_date), timeZone)) : undefined)
    if (on && !when.recurrence) {
      parts.push({ kind: 'day', day: on })
      search = when.title.toLowerCase()
    }
  }
  return { ...toTerms(parts), parts, search }
}

/** find_tasks' filter and range for the parts. */
function toTerms(parts: readonly SelectionPart[]): { terms: string[]; from?: string; to?: string } {
  const terms: string[] = []
  let from: string | undefined
  let to: string | undefined
  for (const p of parts) {
    if (p.kind === 'overdue') terms.push('overdue')
    else if (p.kind === 'today') terms.push('today')
    else if (p.kind === 'completed') terms.push('completed')
    else if (p.kind === 'undated') terms.push('no date')
    else if (p.kind === 'priority') terms.push(`priority:${p.level}`)
    else if (p.kind === 'tag') terms.push(`#${p.tag}`)
    else if (p.kind === 'day') [from, to] = [p.day, p.day]
    else if (p.kind === 'range' || p.kind === 'week') [from, to] = [p.from, p.to]
    else if (p.kind === 'project') terms.push(projectTerm(p.name))
  }
  return { terms, ...(from ? { from, to } : {}) }
}

/** A project as the filter language names it: a bare word, or quoted (with \\" and \\\\ inside) when it has spaces or operators. */
export const projectTerm = (name: string) => `@project:${/^[^\s&|()!"\\]+$/.test(name) ? name : `"${name.replace(/["\\]/g, (c) => `\\${c}`)}"`}`

// ---------------------------------------------------------------------------------------------------------------
// The intents

/** Asking what there is: a question word or a listing verb first. */
const QUESTION = /^(?:show|list|display|view|give me|tell me|what|what's|whats|which|anything|any|do i have|have i got|is there|are there|what've|zeige?|liste|was)\b/i
/** Naming a filter and nothing else reads as a listing too ("overdue", "high priority stuff", "today"). */
const BARE_FILTER = new RegExp(`^(?:(?:my|all|the)\\s+)*(?:(?:overdue|today|tomorrow|this week|next week|${LEVEL}[- ]priority|#\\S+|tagged\\s+\\S+)(?:\\s+(?:tasks|todos|items|things|stuff|ones))?|(?:completed|done|finished)\\s+(?:tasks|todos|items|things|stuff|ones))$`, 'i')

/** A time a phrase names and nothing else ("friday at 3pm", "tomorrow"), as the parser reads it. */
function timeOnly(phrase: string, timeZone: string, now: Date): string | undefined {
  const when = parseTaskText(phrase, timeZone, now)
  if (when.title || when.recurrence) return undefined
  return when.due_date ?? when.due_day ?? undefined
}

/**
 * The task and the time in "<task> <joiner> <time>", trying each joiner from the left, so a title may hold one
 * ("move call mum at home to friday": "at home to friday" is no time, "friday" is).
 */
function splitAtTime(text: string, joiner: RegExp, timeZone: string, now: Date): { target: string; due: string } | undefined {
  for (const m of text.matchAll(joiner)) {
    const target = text.slice(0, m.index).trim()
    const due = target ? timeOnly(text.slice(m.index + m[0].length), timeZone, now) : undefined
    if (due) return { target, due }
  }
  return undefined
}

/** Tag words in "work", "#home #weekend", "family and weekend", "work, errands". */
const tagList = (text: string) => text.split(/\s*(?:,|\band\b|\bund\b|\s)\s*/i).map((t) => t.replace(/^#/, '').toLowerCase()).filter((t) => /^[\p{L}\p{N}_-]+$/u.test(t) && !['the', 'tag', 'tags', 'a'].includes(t))

const unquote = (s: string) => s.trim().replace(/^["'“”‘’](.*)["'“”‘’]$/, '$1').trim()

/**
 * Reads a message as typed into what it asks for: the words around it that carry nothing go, a German request is
 * rewritten into the English grammar, a typo in its command word is corrected.
 */
export function readMessage(raw: string, timeZone: string, now: Date, projects: readonly string[] = [], options: ReadOptions = {}): { text: string; request: Request } {
  const [first = '', ...rest] = tidy(fromGerman(tidy(raw))).split(/\s+/)
  const text = [commandWord(first), ...rest].join(' ')
  return { text, request: readRequest(text, timeZone, now, projects, options) }
}

/** `tasksOnly`: read "delete project report" as about a task, when no project is so named but a task is. */
export interface ReadOptions {
  tasksOnly?: boolean
}

/** A regular expression for a whole request, case-insensitive and Unicode-aware. */
const rx = (source: string) => new RegExp(`^${source}$`, 'iu')
/** The task a request names, as short as the rest allows. */
const T = '(.+?)'

/**
 * Reads a tidied request (its first word already corrected) into what it asks for. The readers are tried in
 * order, each for a family of intents; the order settles the phrasings two families share ("remove the work tag
 * from …" is a tag change, not a delete; "what did I get done" is a question, not a completion).
 */
export function readRequest(text: string, timeZone: string, now: Date, projects: readonly string[] = [], options: ReadOptions = {}): Request {
  if (!text || /^(?:hi|hello|hey|help|\?|what can you do|what can i (?:ask|say|do)(?: you| here)?|how does this work)\b/i.test(text)) return { kind: 'help' }
  if (rx('(?:undo|revert|take (?:that|it) back|reverse (?:that|it))(?:\\s+(?:that|it|this|last|the last change|my last change|the last one))?').test(text)) return { kind: 'undo' }
  return (
    (options.tasksOnly ? undefined : readProjectRequest(text, projects)) ??
    readReminder(text, timeZone, now) ??
    readQuestion(text, timeZone, now, projects) ??
    readLabels(text) ??
    readReopen(text) ??
    readRename(text) ??
    readMove(text, timeZone, now, projects) ??
    readDeleteOrComplete(text) ??
    readAdd(text, timeZone, now, projects) ?? { kind: 'unknown' }
  )
}

/** A reminder: "remind me to …" adds a task, "remind me about …" finds one (or adds it), at a time or ahead of it. */
function readReminder(text: string, timeZone: string, now: Date): Request | undefined {
  let m: RegExpExecArray | null
  const REMIND = '(?:remind|ping|alert|notify|nudge|warn) me'
  const REMINDER = '(?:(?:set|add|create|make|put|schedule)\\s+(?:a\\s+|an\\s+)?)?(?:reminder|alert|alarm)'
  const AHEAD = '(?:before|early|earlier|ahead|in advance|beforehand|prior)'
  const DUE = '(?:\\s+(?:is due|starts|begins|is))?'
  if ((m = rx(`(?:${REMIND} (?:about|of)|${REMINDER}\\s+(?:for|on|about|to)?)\\s*${T}\\s+(${DURATION})\\s+${AHEAD}(?:\\s+(?:of\\s+)?(?:it|time))?`).exec(text))) return { kind: 'remind', target: m[1]!, before: readDuration(m[2]!) }
  if ((m = rx(`(?:${REMIND}|${REMINDER})\\s+(${DURATION})\\s+(?:before|ahead of|prior to)\\s+${T}${DUE}`).exec(text))) return { kind: 'remind', target: m[2]!, before: readDuration(m[1]!) }
  // The time first: "remind me tomorrow at 9 about the dentist", "remind me in an hour to call mum".
  if ((m = rx(`${REMIND}\\s+(.+?)\\s+(about|of|to)\\s+(.+)`).exec(text))) {
    const at = timeOnly(m[1]!, timeZone, now)
    if (at) return /^to$/i.test(m[2]!) ? { kind: 'add', body: `${m[3]!} ${m[1]!}`, remind: true } : { kind: 'remind', target: m[3]!, at, phrase: `${m[3]!} ${m[1]!}` }
  }
  if ((m = rx(`(?:${REMIND} (?:about|of)|${REMINDER}\\s+(?:for|on|about|to)?)\\s*(.+)`).exec(text))) {
    // The task, then its time: "remind me about the dentist tomorrow at 9" (a time in the title stays in it).
    const split = splitAtTime(m[1]!, /\s+(?:at\s+|on\s+)?/g, timeZone, now)
    return split ? { kind: 'remind', target: split.target, at: split.due, phrase: m[1]! } : { kind: 'remind', target: m[1]! }
  }
  if ((m = rx(`${REMIND}(?:\\s+to)?\\s+(.+)`).exec(text))) return { kind: 'add', body: m[1]!, remind: true }
  // "Erinnere mich morgen um 10 Uhr an den Zahnarzt": the parser takes the German request words out of the title.
  if (/^erinnere\s+mich\b/i.test(text)) return { kind: 'add', body: text, remind: true }
  return undefined
}

/** A question: a count, a search, or a listing with filters. */
function readQuestion(text: string, timeZone: string, now: Date, projects: readonly string[]): Request | undefined {
  let m: RegExpExecArray | null
  if ((m = rx('(?:count|how many)\\b(.*)').exec(text))) return { kind: 'count', selection: readSelection(m[1]!, timeZone, now, projects) }
  if ((m = rx('(?:search(?:\\s+for)?|look for|look up|find)\\s+(.+)').exec(text))) return { kind: 'find', words: m[1]! }
  if ((m = rx('(?:(?:do i have|have i got|is there|are there|got)\\s+)?(?:anything|something|a task|any tasks?|any todos?|tasks?|todos?|stuff)\\s+(?:about|for|with|on|mentioning|called|named|like|regarding|related to|involving|containing)\\s+(.+)').exec(text))) return { kind: 'find', words: m[1]! }
  if ((m = rx("where(?:'s| is| are)\\s+(?:my|the)\\s+(.+?)(?:\\s+tasks?)?").exec(text))) return { kind: 'find', words: m[1]! }
  const bare = readSelection(text, timeZone, now, projects)
  // Nothing but filters and question words is a listing too ("tasks for today", "overdue", "high priority stuff").
  if (QUESTION.test(text) || BARE_FILTER.test(text) || (bare.parts.length > 0 && !bare.search && /\s/.test(text) && !VERBS.includes(text.split(/\s+/)[0]!.toLowerCase()))) {
    const selection = bare
    // Words left over that name no filter: "show dentist" searches for them; "what is the weather like" is no
    // question about tasks.
    if (selection.parts.length === 0 && selection.search) return /^(?:show|list|display|view|zeige?|liste)\b/i.test(text) ? { kind: 'find', words: selection.search } : { kind: 'unknown' }
    return { kind: 'list', selection }
  }
  return undefined
}

/** Tags or priority, before the generic verbs they share ("remove the work tag from …", "mark … important"). */
function readLabels(text: string): Request | undefined {
  let m: RegExpExecArray | null
  if (
    (m = rx(`(?:tag|label)\\s+${T}\\s+(?:with|as)\\s+(.+)`).exec(text)) ||
    (m = rx(`(?:tag|label|mark)\\s+${T}\\s+((?:#\\S+\\s*)+)`).exec(text)) ||
    (m = rx(`(?:mark)\\s+${T}\\s+with\\s+((?:#\\S+\\s*)+)`).exec(text)) ||
    (m = rx(`${T}\\s+(?:should be|is)\\s+(?:tagged|labell?ed)\\s+(?:with\\s+|as\\s+)?(.+)`).exec(text))
  ) return { kind: 'update', target: m[1]!, change: { kind: 'tags', add: tagList(m[2]!), remove: [] } }
  if ((m = rx(`(?:add|put)\\s+(?:the\\s+)?(?:tags?\\s+)?((?:#\\S+)(?:(?:\\s*,\\s*|\\s+and\\s+|\\s+)#\\S+)*)\\s+(?:tags?\\s+)?(?:to|on)\\s+${T}`).exec(text)) || (m = rx(`(?:add|put)\\s+(?:the\\s+)?tags?\\s+(.+?)\\s+(?:to|on)\\s+${T}`).exec(text))) {
    return { kind: 'update', target: m[2]!, change: { kind: 'tags', add: tagList(m[1]!), remove: [] } }
  }
  if ((m = rx(`(?:remove|delete|take off|drop|untag)\\s+(?:the\\s+)?(#?[\\p{L}\\p{N}_-]+)\\s+tag\\s+(?:from|off|on)\\s+${T}`).exec(text)) || (m = rx(`(?:remove|delete|take)\\s+(?:the\\s+)?tags?\\s+(.+?)\\s+(?:from|off)\\s+${T}`).exec(text))) {
    return { kind: 'update', target: m[2]!, change: { kind: 'tags', add: [], remove: tagList(m[1]!) } }
  }
  if ((m = rx(`untag\\s+${T}\\s+((?:#\\S+\\s*)+)`).exec(text)) || (m = rx(`untag\\s+${T}\\s+(?:from|with)\\s+(.+)`).exec(text))) return { kind: 'update', target: m[1]!, change: { kind: 'tags', add: [], remove: tagList(m[2]!) } }
  if ((m = rx(`(?:make|mark|set|give|change|bump|raise|lower|put|flag|turn)\\s+${T}\\s+(?:as|to|at|a|an|into)?\\s*(${LEVEL})(?:\\s+(?:priority|prio))?`).exec(text))) {
    return { kind: 'update', target: m[1]!, change: { kind: 'priority', level: levelOf(m[2]!) } }
  }
  if ((m = rx(`${T}\\s+(?:is|are)\\s+(?:now\\s+)?(?:an?\\s+)?(${LEVEL})(?:\\s+(?:priority|prio))?`).exec(text))) return { kind: 'update', target: m[1]!, change: { kind: 'priority', level: levelOf(m[2]!) } }
  if ((m = rx(`(?:set|change|make|put)\\s+(?:the\\s+)?priority\\s+(?:of|on|for)\\s+${T}\\s+(?:to|at)\\s+(${LEVEL})`).exec(text)) || (m = rx(`${T}\\s+priority\\s+(?:to\\s+)?(${LEVEL})`).exec(text))) {
    return { kind: 'update', target: m[1]!, change: { kind: 'priority', level: levelOf(m[2]!) } }
  }
  if ((m = rx(`(?:make|mark|set|flag|star)\\s+${T}\\s+(?:as\\s+)?(?:a\\s+)?(?:top\\s+)?priority`).exec(text)) || (m = rx(`${T}\\s+is\\s+(?:a|my)\\s+(?:top\\s+)?priority`).exec(text)) || (m = rx(`(?:star|flag)\\s+${T}`).exec(text))) {
    return { kind: 'update', target: m[1]!, change: { kind: 'priority', level: 'high' } }
  }
  if ((m = rx(`(prioriti[sz]e|deprioriti[sz]e)\\s+${T}`).exec(text))) return { kind: 'update', target: m[2]!, change: { kind: 'priority', level: /^de/i.test(m[1]!) ? 'low' : 'high' } }
  if ((m = rx(`(raise|increase|bump up|bump|up|lower|reduce|decrease|drop)\\s+(?:the\\s+)?priority\\s+(?:of|on|for)\\s+${T}`).exec(text))) {
    return { kind: 'update', target: m[2]!, change: { kind: 'priority', level: /^(?:lower|reduce|decrease|drop)$/i.test(m[1]!) ? 'low' : 'high' } }
  }
  return undefined
}

/** Reopening, before completing, which shares its verbs ("mark … not done", "… isn't done"). */
function readReopen(text: string): Request | undefined {
  let m: RegExpExecArray | null
  if (
    (m = rx(`(?:reopen|re-open|uncheck|untick|unmark|uncomplete|un-complete)\\s+${T}`).exec(text)) ||
    (m = rx(`undo (?:the )?(?:completion of|completing|checking off|ticking off)\\s+${T}`).exec(text)) ||
    (m = rx(`put\\s+${T}\\s+back(?:\\s+on\\s+(?:my|the)\\s+list)?`).exec(text)) ||
    (m = rx(`${T}\\s+(?:is|needs to be)\\s+(?:open|pending|to ?do|not done)\\s+again`).exec(text)) ||
    (m = rx(`${T}\\s+(?:still needs|needs) (?:doing|to be done)(?:\\s+again)?`).exec(text)) ||
    (m = rx(`(?:mark|set)\\s+${T}\\s+(?:as\\s+)?(?:not done|undone|open|pending|incomplete|not completed|not finished|unfinished|to do)`).exec(text)) ||
    (m = rx(`${T}\\s+(?:is|are|was|were)(?:n't|nt| not)\\s+(?:actually\\s+|really\\s+)?(?:done|finished|complete|completed)(?:\\s+(?:yet|after all))?`).exec(text))
  ) {
    return { kind: 'reopen', target: m[1]! }
  }
  return undefined
}

/** A new title. */
function readRename(text: string): Request | undefined {
  let m: RegExpExecArray | null
  if (
    (m = rx(`(?:rename|retitle|call|name)\\s+${T}\\s*(?:\\s(?:to(?: be)?|as|into)\\s|->|→|=>|:)\\s*(.+)`).exec(text)) ||
    (m = rx(`(?:change|edit|update|make|fix)\\s+${T}\\s+(?:to\\s+)?(?:say|read)\\s+(.+)`).exec(text)) ||
    (m = rx(`${T}\\s+should\\s+(?:say|read)\\s+(.+)`).exec(text)) ||
    (m = rx(`(?:change|update|set|edit)\\s+(?:the\\s+)?(?:title|name|wording)\\s+of\\s+${T}\\s+to\\s+(.+)`).exec(text)) ||
    (m = rx(`(?:change|update|set|edit)\\s+${T}'s\\s+(?:title|name)\\s+to\\s+(.+)`).exec(text)) || (m = rx(`${T}\\s+should be (?:called|named|renamed(?: to)?|titled)\\s+(.+)`).exec(text))) {
    return { kind: 'update', target: m[1]!, change: { kind: 'title', title: unquote(m[2]!) } }
  }
  return undefined
}

/** A new due date: by a span, or to a time. */
function readMove(text: string, timeZone: string, now: Date, projects: readonly string[]): Request | undefined {
  let m: RegExpExecArray | null
  // Into a project ("move dentist to Personal", "shift taxes into the Work project"), before a time is looked for.
  if ((m = rx('(?:move|shift|transfer|file|send)\\s+(.+)').exec(text))) {
    const at = splitAtProject(m[1]!, projects, (after) => after === '')
    if (at) return { kind: 'update', target: at.before, change: { kind: 'project', project: at.project, missing: at.missing } }
  }
  // Moving by a span ("push taxes by a week", "snooze dog walk 2 hours", "gym an hour later").
  if ((m = rx(`(?:postpone|delay|push(?:\\s+back)?|defer|snooze|bump|move|shift|put off|reschedule|kick)\\s+${T}\\s+(?:back\\s+|out\\s+|forward\\s+)?(?:by\\s+|for\\s+)?(${DURATION})(?:\\s+(?:later|back|out))?`).exec(text)) || (m = rx(`${T}\\s+(?:by\\s+)?(${DURATION})\\s+later`).exec(text))) {
    const by = readDuration(m[2]!)
    if (by) return { kind: 'update', target: m[1]!, change: { kind: 'shift', by } }
  }
  // Moving to a time ("move dentist to friday 3pm", "snooze garage till monday", "bike is now on monday"); "change
  // gym to gym with sam", with no time in it, is a new title.
  if ((m = rx('(postpone|move|reschedule|push|defer|snooze|change|set|shift|bump|put off|put)\\s+(.+)').exec(text))) {
    const split = splitAtTime(m[2]!, /\s(?:to|until|till|til|for|on|at)\s/gi, timeZone, now)
    if (split) return { kind: 'update', target: split.target, change: { kind: 'due', due: split.due } }
    const to = /^(.+?)\s+to\s+(.+)$/i.exec(m[2]!)
    if (to && /^change$/i.test(m[1]!)) return { kind: 'update', target: to[1]!, change: { kind: 'title', title: unquote(to[2]!) } }
    if (to || /^(?:postpone|move|reschedule|snooze)$/i.test(m[1]!)) return { kind: 'when', target: to?.[1] ?? m[2]! }
  }
  const stated = splitAtTime(text, /\s(?:should be|is now|needs to be|must be|is moved to|moves to|is)\s+(?:due\s+)?(?:(?:on|at|for|by|to)\s+)?/gi, timeZone, now)
  if (stated) return { kind: 'update', target: stated.target, change: { kind: 'due', due: stated.due } }
  return undefined
}

/** Deleting or completing. */
function readDeleteOrComplete(text: string): Request | undefined {
  let m: RegExpExecArray | null
  if (
    (m = rx(`(?:delete|remove|cancel|drop|get rid of|trash|erase|clear|scrap|scratch|bin|forget about|forget|nuke|ditch)\\s+${T}(?:\\s+from\\s+(?:my|the)\\s+(?:list|tasks|todos|todo list))?(?:[\\s,]+(?:and\\s+)?(?:delete|remove) (?:it|them))?`).exec(text)) ||
    (m = rx(`${T}\\s+can go`).exec(text)) ||
    (m = rx(`i (?:don't|do not|no longer) need\\s+(?:to\\s+)?${T}(?:\\s+any ?more)?`).exec(text))
  ) {
    return { kind: 'delete', target: m[1]! }
  }
  if (
    (m = rx(`(?:mark|check off|tick off|cross off|check|tick)\\s+${T}(?:\\s+(?:as\\s+)?(?:done|complete|completed|finished))?`).exec(text)) ||
    (m = rx(`(?:cross|check|tick)\\s+${T}\\s+off(?:\\s+(?:my|the)\\s+list)?`).exec(text)) ||
    (m = rx(`set\\s+${T}\\s+(?:as\\s+|to\\s+)?(?:done|complete|completed|finished)`).exec(text)) ||
    (m = rx(`${T}\\s+(?:is\\s+|are\\s+|was\\s+|were\\s+)?(?:all\\s+)?(?:done|finished|complete|completed|paid|sorted|taken care of)(?:[\\s,]+(?:so\\s+)?(?:mark|check|tick) (?:it|them|that|those)(?:\\s+off)?(?:\\s+(?:as\\s+)?(?:done|complete|completed))?)?`).exec(text)) ||
    (m = rx(`(?:complete|done with|done|finish|finished|completed|i(?:'m| am) done with|i(?:'ve|\\s+have|\\s+just)?\\s+(?:finished|completed|did|done))\\s+${T}`).exec(text))
  ) {
    return { kind: 'complete', target: m[1]! }
  }
  return undefined
}

/** Adding, in the many ways people say it. */
function readAdd(text: string, timeZone: string, now: Date, projects: readonly string[]): Request | undefined {
  let m: RegExpExecArray | null
  if ((m = rx('(?:add|create|new|put|todo|to-do|jot down|añadir|añade|agregar|agrega|ajouter|ajoute|nouvelle tâche|nueva tarea)(?:\\s+(?:a|an))?(?:\\s+new)?(?:\\s+(?:task|todo|to-do|item|tâche|tarea))?(?:\\s+(?:to|for))?[:\\s]+(.+)').exec(text))) {
    const body = m[1]!.replace(/\s+(?:on|to)\s+(?:my|the)\s+(?:todo\s+|to-do\s+|task\s+)?(?:list|tasks|todos)\b/i, '')
    // "milk to Groceries tomorrow": the project, then only a time or labels for the task.
    const at = splitAtProject(body, projects, (after) => after === '' || !parseTaskText(after, timeZone, now).title)
    if (at) return { kind: 'add', body: `${at.before} ${at.after}`.trim(), remind: false, project: { name: at.project, missing: at.missing } }
    return { kind: 'add', body, remind: false }
  }
  if ((m = rx('(.+?)\\s+(?:on|to)\\s+(?:my|the)\\s+(?:todo\\s+|to-do\\s+|task\\s+)?(?:list|tasks|todos)(\\s+.+)?').exec(text))) return { kind: 'add', body: `${m[1]!}${m[2] ?? ''}`, remind: false }
  return undefined
}

