// What a listing or a count is about: the filters a question names (overdue, a day, a week, a priority, a tag, a
// project, completed, no date), as find_tasks' filter terms and due range, and the words left to search for.
import { isoDay, localDay, wallClock } from '../lib/time'
import { parseTaskText } from '../features/tasks/parse-text'
import { LEVEL, levelOf, rx, VERBS } from './offline-grammar'
import { projectInQuestion, projectNamed } from './offline-project-read'
import type { Request, Selection, SelectionPart } from './offline-request'

export type { Selection, SelectionPart } from './offline-request'

/** Which tasks a listing or a count is about: find_tasks' filter terms and due range, and their names. */

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

/** Asking what there is: a question word or a listing verb first. */
const QUESTION = /^(?:show|list|display|view|give me|tell me|what|what's|whats|which|anything|any|do i have|have i got|is there|are there|what've|zeige?|liste|was)\b/i
/** Naming a filter and nothing else reads as a listing too ("overdue", "high priority stuff", "today"). */
const BARE_FILTER = new RegExp(`^(?:(?:my|all|the)\\s+)*(?:(?:overdue|today|tomorrow|this week|next week|${LEVEL}[- ]priority|#\\S+|tagged\\s+\\S+)(?:\\s+(?:tasks|todos|items|things|stuff|ones))?|(?:completed|done|finished)\\s+(?:tasks|todos|items|things|stuff|ones))$`, 'i')

/** A question: a count, a search, or a listing with filters. */
export function readQuestion(text: string, timeZone: string, now: Date, projects: readonly string[]): Request | undefined {
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
