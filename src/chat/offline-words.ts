// The offline agent's words in each language it answers in: its reply templates and how it writes dates. Reading a
// German request is offline-german.ts's.
import type { Lang, Op, UndoStep } from './offline-state'
import type { SelectionPart } from './offline-selection'

export type { Lang }

/** "Fri 27 Nov, 09:00" for an instant; "Fri 27 Nov" for a day (`YYYY-MM-DD`, an all-day due date); in German "Fr., 27. Nov.". */
export function formatWhen(when: string, timeZone: string, lang: Lang = 'en'): string {
  const locale = lang === 'de' ? 'de-DE' : 'en-GB'
  return /^\d{4}-\d{2}-\d{2}$/.test(when)
    ? new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(`${when}T12:00:00Z`))
    : new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(when))
}

/** Titles, at most ten of them, then how many more. */
export function titles(list: readonly string[], lang: Lang = 'en'): string {
  const shown = list.slice(0, 10).map((t) => `"${t}"`)
  const more = list.length - shown.length
  return more > 0 ? `${shown.join(', ')} ${lang === 'de' ? 'und' : 'and'} ${more} ${lang === 'de' ? 'weitere' : 'more'}` : shown.join(', ')
}

/** A change as asked or as done; `when` is the new due date already in words. */
interface Change {
  tense: 'ask' | 'did'
  list: readonly string[]
  op: Op
  rename?: string
  when?: string
  priority?: string
  tags?: { add: readonly string[]; remove: readonly string[] }
  /** The project moved into. */
  project?: string
}

export interface Replies {
  help: string
  cannot: string
  /** "Added …" with what it is and its extras ("high priority", "repeating", "#home"). */
  added: (task: string, bits: string[]) => string
  priority: (level: string) => string
  repeating: string
  remindThen: string
  remindAbout: (title: string) => string
  remindWhen: (phrase: string) => string
  which: (list: string) => string
  whichMore: string
  noTitle: string
  couldNotAdd: (why: string) => string
  /** "I found no open task matching …". */
  noMatch: (kind: 'open' | 'completed' | '', phrase: string) => string
  noneOfKind: (kind: 'open' | 'completed' | '') => string
  matches: (n: number) => string
  orAll: (op: Op, phrase: string) => string
  moveWhen: (what: string) => string
  gone: string
  overdue: [string, string]
  priorityList: (level: string) => [string, string]
  count: (open: string, one: boolean, done: string) => string
  week: [string, string]
  today: [string, string]
  /** "Due Fri 27 Nov" and its empty form, for a day named. */
  onDay: (day: string) => [string, string]
  open: [string, string]
  /** A listing's heading and its empty answer: "Overdue" and "Nothing is overdue.", or "Overdue, #work" for several filters. */
  selection: (parts: readonly SelectionPart[], timeZone: string) => [string, string]
  counted: (label: string, n: string, one: boolean) => string
  couldNotRemind: (why: string) => string
  found: (n: string, list: string) => string
  nothingMatches: (phrase: string) => string
  andMore: (n: string) => string
  cancelled: string
  yesOrNo: string
  change: (c: Change) => string
  nothingDone: (op: Op) => string
  couldNotChange: (list: string) => string
  stillMatch: (n: string, query: string) => string
  tooMany: (n: string, query: string, at: number) => string
  alreadyGone: (list: string, n: number) => string
  changedSince: (list: string, n: number) => string
  undone: (parts: string[]) => string
  /** One kind of step undone: `restored "a", "b"`. */
  undoPart: (step: UndoStep['op'], list: string) => string
  couldNotUndo: (list: string) => string
  nothingToUndo: string
}

const EN_DID: Record<Op, { ask: string; did: string; none: string }> = {
  delete: { ask: 'Delete', did: 'Deleted', none: 'deleted' },
  complete: { ask: 'Complete', did: 'Completed', none: 'completed' },
  reopen: { ask: 'Reopen', did: 'Reopened', none: 'reopened' },
  update: { ask: 'Change', did: 'Changed', none: 'changed' },
}
const DE_DID: Record<Op, { ask: string; did: string }> = {
  delete: { ask: 'löschen', did: 'gelöscht' },
  complete: { ask: 'erledigen', did: 'erledigt' },
  reopen: { ask: 'wieder öffnen', did: 'wieder geöffnet' },
  update: { ask: 'ändern', did: 'geändert' },
}

const LEVEL_WORD: Record<string, string> = { high: 'hohe', medium: 'mittlere', low: 'niedrige' }

/** One filter of a listing in words. */
function partWords(p: SelectionPart, timeZone: string, lang: Lang): string {
  const de = lang === 'de'
  switch (p.kind) {
    case 'overdue':
      return de ? 'überfällig' : 'overdue'
    case 'today':
      return de ? 'heute fällig' : 'due today'
    case 'week':
      return de ? 'diese Woche fällig' : 'due this week'
    case 'completed':
      return de ? 'erledigt' : 'completed'
    case 'undated':
      return de ? 'ohne Datum' : 'with no date'
    case 'priority':
      return de ? `${LEVEL_WORD[p.level]} Priorität` : `${p.level} priority`
    case 'tag':
      return `#${p.tag}`
    case 'day':
      return `${de ? 'fällig' : 'due'} ${formatWhen(p.day, timeZone, lang)}`
    case 'range':
      return `${de ? 'fällig' : 'due'} ${formatWhen(p.from, timeZone, lang)} – ${formatWhen(p.to, timeZone, lang)}`
    case 'project':
      return `in ${p.name}`
  }
}

/** A listing's heading and empty answer: one filter in its own words ("Overdue", "Nothing is overdue."), several listed. */
function selectionHeading(words: Replies, parts: readonly SelectionPart[], timeZone: string, lang: Lang, none: (label: string) => string): [string, string] {
  const only = parts.length === 1 ? parts[0]! : undefined
  if (only?.kind === 'overdue') return words.overdue
  if (only?.kind === 'today') return words.today
  if (only?.kind === 'week') return words.week
  if (only?.kind === 'day') return words.onDay(formatWhen(only.day, timeZone, lang))
  if (only?.kind === 'priority') return words.priorityList(only.level)
  const label = parts.map((p) => partWords(p, timeZone, lang)).join(', ')
  return [label.charAt(0).toUpperCase() + label.slice(1), none(label)]
}

export const REPLIES: Record<Lang, Replies> = {
  en: {
    help:
      'I can add tasks ("add call mum tomorrow 5pm !high #family", "buy eggs", "remind me to pay rent every month on dec 1", "every other Monday water plants"), ' +
      'list them ("list", "what is due today", "what do I have this week", "show overdue", "show my high priority tasks", "how many tasks do I have"), ' +
      'search ("find dentist"), complete ("mark groceries done"), reopen ("reopen groceries"), rename ("rename dentist to dentist at 3"), ' +
      'reschedule ("move dentist to friday", "push taxes back a week"), set priority and tags ("finish report is urgent", "tag taxes with work"), ' +
      'delete ("delete old notes", "cancel the dentist", "delete all completed tasks": I ask first), ' +
      'set reminders ("remind me about dentist in 2 hours", "remind me 30 minutes before the dentist") and undo my last change ("undo"). Ich verstehe auch Deutsch ("hilfe").',
    cannot: "Sorry, I can't do that without a language model.",
    added: (task, bits) => `Added ${task}${bits.length ? `, ${bits.join(', ')}` : ''}.`,
    priority: (level) => `${level} priority`,
    repeating: 'repeating',
    remindThen: " I'll remind you then.",
    remindAbout: (title) => `I'll remind you about "${title}" then.`,
    remindWhen: (phrase) => `When should I remind you? Try "remind me about ${phrase} in 2 hours".`,
    which: (list) => `Which one? ${list}`,
    whichMore: 'Say it with more words.',
    noTitle: 'What is the task? Try "add buy milk tomorrow".',
    couldNotAdd: (why) => `I could not add that: ${why}`,
    noMatch: (kind, phrase) => `I found no ${kind ? `${kind} ` : ''}task matching "${phrase}".`,
    noneOfKind: (kind) => `You have no ${kind} tasks.`,
    matches: (n) => `That matches ${n} tasks. `,
    orAll: (op, phrase) => ` (or say "${op} all ${phrase}")`,
    moveWhen: (what) => `When to? Try "move ${what} to friday" or "postpone ${what} to tomorrow 9am".`,
    gone: 'That task is gone now.',
    overdue: ['Overdue', 'Nothing is overdue.'],
    priorityList: (level) => [`Your open ${level} priority tasks`, `You have no open ${level} priority tasks.`],
    count: (open, one, done) => `You have ${open} open ${one ? 'task' : 'tasks'} and ${done} completed.`,
    week: ['This week', 'Nothing is due this week.'],
    today: ['Due today', 'Nothing is due today.'],
    onDay: (day) => [`Due ${day}`, `Nothing is due ${day}.`],
    open: ['Your open tasks', 'You have no open tasks.'],
    selection(parts, timeZone) {
      return selectionHeading(this, parts, timeZone, 'en', (label) => `No tasks: ${label}.`)
    },
    counted: (label, n, one) => `${label}: ${n} ${one ? 'task' : 'tasks'}.`,
    couldNotRemind: (why) => `I could not set that reminder: ${why}`,
    found: (n, list) => `Found ${n}: ${list}.`,
    nothingMatches: (phrase) => `Nothing matches "${phrase}".`,
    andMore: (n) => ` (and ${n} more)`,
    cancelled: 'OK, I cancelled that: nothing was changed.',
    yesOrNo: 'Say yes or no.',
    change: ({ tense, list, op, rename, when, priority, tags, project }) => {
      const what = list.length === 1 ? `"${list[0]}"` : `these ${list.length} tasks: ${titles(list)}`
      if (project !== undefined) return `${tense === 'ask' ? 'Move' : 'Moved'} ${what} to ${project}`
      if (rename !== undefined) return `${tense === 'ask' ? 'Rename' : 'Renamed'} ${what} to "${rename}"`
      if (when !== undefined) return `${tense === 'ask' ? 'Move' : 'Moved'} ${what} to ${when}`
      if (priority !== undefined) return `Set ${what} to ${priority} priority`
      if (tags?.add.length) return `${tense === 'ask' ? 'Tag' : 'Tagged'} ${what} ${tags.add.map((t) => `#${t}`).join(' ')}`
      if (tags?.remove.length) return `${tense === 'ask' ? 'Remove' : 'Removed'} ${tags.remove.map((t) => `#${t}`).join(' ')} from ${what}`
      return `${EN_DID[op][tense]} ${what}`
    },
    nothingDone: (op) => `Nothing was ${EN_DID[op].none}.`,
    couldNotChange: (list) => `I could not change ${list}.`,
    stillMatch: (n, query) => `${n} more still match${query ? ` "${query}"` : ''}.`,
    tooMany: (n, query, at) => `${n} tasks match${query ? ` "${query}"` : ''}; I can change ${at} at a time. `,
    alreadyGone: (list, n) => `${list} ${n === 1 ? 'was' : 'were'} already gone.`,
    changedSince: (list, n) => `${list} changed since I asked, so I left ${n === 1 ? 'it' : 'them'} alone.`,
    undone: (parts) => `Undone: ${parts.join('; ')}.`,
    undoPart: (step, list) => (step === 'cancel_reminder' ? `cancelled ${list.split(', ').length === 1 ? 'a reminder' : 'reminders'}` : `${{ restore: 'restored', delete: 'removed', reopen: 'reopened', complete: 'completed again', update: 'put back', delete_project: 'removed the project', update_project: 'put back the project' }[step]} ${list}`),
    couldNotUndo: (list) => `I could not undo ${list}.`,
    nothingToUndo: 'Nothing to undo.',
  },
  de: {
    help:
      'Ich kann Aufgaben anlegen ("füge Brot kaufen morgen hinzu", "neue Aufgabe Zahnarzt Freitag 10 Uhr", "Erinnere mich morgen um 10 Uhr an den Zahnarzt"), ' +
      'zeigen ("zeige meine Aufgaben", "was steht heute an", "was steht diese Woche an", "überfällige Aufgaben", "wie viele Aufgaben habe ich"), ' +
      'suchen ("suche Zahnarzt"), erledigen ("Zahnarzt erledigt", "erledige Zahnarzt"), wieder öffnen ("öffne Zahnarzt wieder"), ' +
      'umbenennen ("benenne Zahnarzt in Zahnarzt um 3 um"), verschieben ("verschiebe Zahnarzt auf Freitag", "Müll rausbringen eine Woche später"), ' +
      'Priorität setzen ("Steuer ist dringend"), löschen ("lösche Zahnarzt": ich frage vorher), erinnern ("erinnere mich an den Zahnarzt in 2 Stunden") ' +
      'und meine letzte Änderung zurücknehmen ("rückgängig").',
    cannot: 'Das kann ich ohne Sprachmodell leider nicht.',
    added: (task, bits) => `Hinzugefügt: ${task}${bits.length ? `, ${bits.join(', ')}` : ''}.`,
    priority: (level) => `${LEVEL_WORD[level] ?? level} Priorität`,
    repeating: 'wiederholt sich',
    remindThen: ' Ich erinnere dich dann.',
    remindAbout: (title) => `Ich erinnere dich dann an "${title}".`,
    remindWhen: (phrase) => `Wann soll ich dich erinnern? Zum Beispiel "remind me about ${phrase} in 2 hours".`,
    which: (list) => `Welche? ${list}`,
    whichMore: 'Sag es mit mehr Worten.',
    noTitle: 'Welche Aufgabe? Zum Beispiel "füge Brot kaufen morgen hinzu".',
    couldNotAdd: (why) => `Das konnte ich nicht anlegen: ${why}`,
    noMatch: (kind, phrase) => `Ich habe keine ${kind === 'open' ? 'offene ' : kind === 'completed' ? 'erledigte ' : ''}Aufgabe zu "${phrase}" gefunden.`,
    noneOfKind: (kind) => `Du hast keine ${kind === 'open' ? 'offenen' : kind === 'completed' ? 'erledigten' : ''} Aufgaben.`,
    matches: (n) => `Das passt auf ${n} Aufgaben. `,
    orAll: (op, phrase) => ` (oder sag "${op === 'delete' ? 'lösche' : 'erledige'} alle ${phrase}")`,
    moveWhen: (what) => `Wohin? Zum Beispiel "verschiebe ${what} auf Freitag" oder "verschiebe ${what} auf morgen 9 Uhr".`,
    gone: 'Diese Aufgabe gibt es nicht mehr.',
    overdue: ['Überfällig', 'Nichts ist überfällig.'],
    priorityList: (level) => {
      const word = { high: 'hoher', medium: 'mittlerer', low: 'niedriger' }[level] ?? level
      return [`Deine offenen Aufgaben mit ${word} Priorität`, `Du hast keine offenen Aufgaben mit ${word} Priorität.`]
    },
    count: (open, one, done) => `Du hast ${open} ${one ? 'offene Aufgabe' : 'offene Aufgaben'} und ${done} erledigte.`,
    week: ['Diese Woche', 'Diese Woche ist nichts fällig.'],
    today: ['Heute fällig', 'Heute ist nichts fällig.'],
    onDay: (day) => [`Fällig am ${day}`, `Am ${day} ist nichts fällig.`],
    open: ['Deine offenen Aufgaben', 'Du hast keine offenen Aufgaben.'],
    selection(parts, timeZone) {
      return selectionHeading(this, parts, timeZone, 'de', (label) => `Keine Aufgaben: ${label}.`)
    },
    counted: (label, n, one) => `${label}: ${n} ${one ? 'Aufgabe' : 'Aufgaben'}.`,
    couldNotRemind: (why) => `Diese Erinnerung konnte ich nicht setzen: ${why}`,
    found: (n, list) => `${n} gefunden: ${list}.`,
    nothingMatches: (phrase) => `Nichts passt zu "${phrase}".`,
    andMore: (n) => ` (und ${n} weitere)`,
    cancelled: 'OK, abgebrochen: nichts wurde geändert.',
    yesOrNo: 'Sag ja oder nein.',
    change: ({ tense, list, op, rename, when, priority, tags, project }) => {
      const what = list.length === 1 ? `"${list[0]}"` : `Diese ${list.length} Aufgaben (${titles(list, 'de')})`
      if (project !== undefined) return `${what} nach ${project} ${tense === 'ask' ? 'verschieben' : 'verschoben'}`
      if (rename !== undefined) return `${what} in "${rename}" ${tense === 'ask' ? 'umbenennen' : 'umbenannt'}`
      if (when !== undefined) return `${what} auf ${when} ${tense === 'ask' ? 'verschieben' : 'verschoben'}`
      if (priority !== undefined) return `${what} auf ${LEVEL_WORD[priority] ?? priority} Priorität ${tense === 'ask' ? 'setzen' : 'gesetzt'}`
      if (tags?.add.length) return `${what} mit ${tags.add.map((t) => `#${t}`).join(' ')} ${tense === 'ask' ? 'markieren' : 'markiert'}`
      if (tags?.remove.length) return `${tags.remove.map((t) => `#${t}`).join(' ')} von ${what} ${tense === 'ask' ? 'entfernen' : 'entfernt'}`
      return `${what} ${DE_DID[op][tense]}`
    },
    nothingDone: (op) => `Nichts wurde ${DE_DID[op].did}.`,
    couldNotChange: (list) => `Nicht ändern konnte ich ${list}.`,
    stillMatch: (n, query) => `${n} weitere passen noch${query ? ` zu "${query}"` : ''}.`,
    tooMany: (n, query, at) => `${n} Aufgaben passen${query ? ` zu "${query}"` : ''}; ich ändere höchstens ${at} auf einmal. `,
    alreadyGone: (list, n) => `${list} ${n === 1 ? 'war' : 'waren'} schon weg.`,
    changedSince: (list, n) => `${list} ${n === 1 ? 'hat' : 'haben'} sich seit meiner Frage geändert, darum habe ich sie nicht angerührt.`,
    undone: (parts) => `Rückgängig gemacht: ${parts.join('; ')}.`,
    undoPart: (step, list) => (step === 'cancel_reminder' ? 'Erinnerung entfernt' : `${list} ${{ restore: 'wiederhergestellt', delete: 'entfernt', reopen: 'wieder geöffnet', complete: 'wieder erledigt', update: 'zurückgesetzt', delete_project: '(Projekt) entfernt', update_project: '(Projekt) zurückgesetzt' }[step]}`),
    couldNotUndo: (list) => `Nicht rückgängig machen konnte ich ${list}.`,
    nothingToUndo: 'Es gibt nichts rückgängig zu machen.',
  },
}
