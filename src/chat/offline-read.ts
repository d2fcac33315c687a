// How the offline agent reads a request: the words around a command that carry nothing go (offline-grammar.ts), a
// German request is rewritten into the English grammar (offline-german.ts), then one of the everyday intents is read,
// with the task it names and the change it asks for (offline-read-change.ts) or what a question is about
// (offline-selection.ts). Pure: it reads text at a time in a zone and touches no data, so every phrasing can be
// unit-tested (test/offline-read.test.ts).
import { parseTaskText } from '../features/tasks/parse-text'
import { DURATION, readDuration } from './duration'
import { fromGerman } from './offline-german'
import { commandWord, rx, splitAtTime, T, tidy, timeOnly } from './offline-grammar'
import { readProjectRequest, splitAtProject } from './offline-project-read'
import { readDeleteOrComplete, readLabels, readMove, readRename, readReopen } from './offline-read-change'
import { readQuestion } from './offline-selection'
import { readSharingRequest } from './offline-sharing-read'
import type { Request } from './offline-request'

export type { Change, Request, Selection, SelectionPart } from './offline-request'


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

/**
 * Reads a tidied request (its first word already corrected) into what it asks for. The readers are tried in
 * order, each for a family of intents; the order settles the phrasings two families share ("remove the work tag
 * from …" is a tag change, not a delete; "what did I get done" is a question, not a completion).
 */
export function readRequest(text: string, timeZone: string, now: Date, projects: readonly string[] = [], options: ReadOptions = {}): Request {
  if (!text || /^(?:hi|hello|hey|help|\?|what can you do|what can i (?:ask|say|do)(?: you| here)?|how does this work)\b/i.test(text)) return { kind: 'help' }
  if (rx('(?:undo|revert|take (?:that|it) back|reverse (?:that|it))(?:\\s+(?:that|it|this|last|the last change|my last change|the last one))?').test(text)) return { kind: 'undo' }
  return (
    (options.tasksOnly ? undefined : (readSharingRequest(text, projects) ?? readProjectRequest(text, projects))) ??
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


