// The offline agent's reading primitives, shared by its readers: the command words and their typos, the words around
// a request that carry nothing ("ok", "can you", "pls"), priority words, and a time or tags within a phrase.
import type { TaskPriority } from '../features/tasks/model'
import { parseTaskText } from '../features/tasks/parse-text'
import { correctWord, editDistance } from './match'

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

/** Words for a priority: "urgent" and "important" are high, "not urgent" is low. */
export const LEVEL = '(?:(?:very |really |super )?(?:high(?:est)?|top|urgent|important|critical)|medium|normal|mid|low(?:est)?|not (?:urgent|important)|unimportant|p[123])'
export const levelOf = (word: string): TaskPriority => {
  const w = word.toLowerCase()
  if (/^(?:medium|normal|mid|p2)$/.test(w)) return 'medium'
  if (/^(?:low|lowest|p3)$|not |unimportant/.test(w)) return 'low'
  return 'high'
}

/** A regular expression for a whole request, case-insensitive and Unicode-aware. */
export const rx = (source: string) => new RegExp(`^${source}$`, 'iu')
/** The task a request names, as short as the rest allows. */
export const T = '(.+?)'

/** A time a phrase names and nothing else ("friday at 3pm", "tomorrow"), as the parser reads it. */
export function timeOnly(phrase: string, timeZone: string, now: Date): string | undefined {
  const when = parseTaskText(phrase, timeZone, now)
  if (when.title || when.recurrence) return undefined
  return when.due_date ?? when.due_day ?? undefined
}

/**
 * The task and the time in "<task> <joiner> <time>", trying each joiner from the left, so a title may hold one
 * ("move call mum at home to friday": "at home to friday" is no time, "friday" is).
 */
export function splitAtTime(text: string, joiner: RegExp, timeZone: string, now: Date): { target: string; due: string } | undefined {
  for (const m of text.matchAll(joiner)) {
    const target = text.slice(0, m.index).trim()
    const due = target ? timeOnly(text.slice(m.index + m[0].length), timeZone, now) : undefined
    if (due) return { target, due }
  }
  return undefined
}

/** Tag words in "work", "#home #weekend", "family and weekend", "work, errands". */
export const tagList = (text: string) => text.split(/\s*(?:,|\band\b|\bund\b|\s)\s*/i).map((t) => t.replace(/^#/, '').toLowerCase()).filter((t) => /^[\p{L}\p{N}_-]+$/u.test(t) && !['the', 'tag', 'tags', 'a'].includes(t))

/** A title as said, without the quotes around it. */
export const unquote = (s: string) => s.trim().replace(/^["'“”‘’](.*)["'“”‘’]$/, '$1').trim()
