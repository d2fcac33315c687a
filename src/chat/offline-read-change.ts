// How the offline agent reads a change to tasks a request names: tags and priority, reopening, a new title, a move
// (into a project, by a span or to a time), deleting and completing. Each reader gives nothing when the words are not
// its family's; offline-read.ts tries them in an order that settles the phrasings two families share.
import { DURATION, readDuration } from './duration'
import { LEVEL, levelOf, rx, splitAtTime, T, tagList, unquote } from './offline-grammar'
import { splitAtProject } from './offline-project-read'
import type { Request } from './offline-request'

export type { Change } from './offline-request'

/** A change to the tasks a target phrase names. */

/** Tags or priority, before the generic verbs they share ("remove the work tag from …", "mark … important"). */
export function readLabels(text: string): Request | undefined {
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
export function readReopen(text: string): Request | undefined {
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
export function readRename(text: string): Request | undefined {
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
export function readMove(text: string, timeZone: string, now: Date, projects: readonly string[]): Request | undefined {
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
export function readDeleteOrComplete(text: string): Request | undefined {
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
