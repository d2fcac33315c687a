// The offline agent's words about completing a task with open subtasks, in each language it answers in (its other
// words are offline-words.ts's).
import type { Lang } from './offline-state'
import { titles } from './offline-words'

/** A task that could not be completed alone: its title and how many open subtasks it has (0 when not known). */
export interface Blocked {
  title: string
  open: number
}

export interface SubtaskReplies {
  /** `"Plan trip" has 3 open subtasks. Complete them too, or leave them open?` */
  ask: (blocked: readonly Blocked[]) => string
  /** The task completed with its open subtasks, named as far as they are known (`named` of `n`). */
  completedWith: (title: string, n: number, named: readonly string[]) => string
  /** The task completed alone; its `n` open subtasks stay open. */
  completedAlone: (title: string, n: number) => string
  /** How to take it back, after all that was completed (`several`: more than one task). */
  undoHint: (several: boolean) => string
  alreadyDone: (title: string) => string
  gone: (title: string) => string
  failed: (title: string, why: string) => string
}

const count = (n: number, one: string, many: string) => (n === 0 ? many : `${n} ${n === 1 ? one : many}`)

export const SUBTASK_REPLIES: Record<Lang, SubtaskReplies> = {
  en: {
    ask: (blocked) => {
      const [first] = blocked
      const has = blocked.length === 1 && first
        ? `"${first.title}" has ${count(first.open, 'open subtask', 'open subtasks')}`
        : `${titles(blocked.map((b) => b.title))} have open subtasks`
      const them = blocked.length === 1 && first?.open === 1 ? 'it' : 'them'
      return `${has}. Complete ${them} too, or leave ${them} open?`
    },
    completedWith: (title, n, named) => {
      const list = named.length ? `: ${titles(named)}${n > named.length ? ` and ${n - named.length} more` : ''}` : ''
      return n === 0 ? `Completed "${title}".` : `Completed "${title}" and its ${count(n, 'open subtask', 'open subtasks')}${list}.`
    },
    completedAlone: (title, n) => `Completed "${title}"; its ${count(n, 'open subtask stays', 'open subtasks stay')} open.`,
    undoHint: (several) => `Say "undo" to reopen ${several ? 'them' : 'it'}.`,
    alreadyDone: (title) => `"${title}" was already completed.`,
    gone: (title) => `"${title}" is gone: it was deleted since.`,
    failed: (title, why) => `I could not complete "${title}": ${why}`,
  },
  de: {
    ask: (blocked) => {
      const [first] = blocked
      const has = blocked.length === 1 && first
        ? `"${first.title}" hat ${count(first.open, 'offene Unteraufgabe', 'offene Unteraufgaben')}`
        : `${titles(blocked.map((b) => b.title), 'de')} haben offene Unteraufgaben`
      return blocked.length === 1 && first?.open === 1
        ? `${has}. Soll sie auch erledigt werden, oder bleibt sie offen?`
        : `${has}. Sollen sie auch erledigt werden, oder bleiben sie offen?`
    },
    completedWith: (title, n, named) => {
      const list = named.length ? `: ${titles(named, 'de')}${n > named.length ? ` und ${n - named.length} weitere` : ''}` : ''
      return n === 0 ? `"${title}" erledigt.` : `"${title}" und ${n === 1 ? 'seine offene Unteraufgabe' : `seine ${n} offenen Unteraufgaben`} erledigt${list}.`
    },
    completedAlone: (title, n) => `"${title}" erledigt; ${n === 1 ? 'seine offene Unteraufgabe bleibt' : `seine ${n ? `${n} ` : ''}offenen Unteraufgaben bleiben`} offen.`,
    undoHint: (several) => `Sag "rückgängig", um ${several ? 'sie' : 'es'} wieder zu öffnen.`,
    alreadyDone: (title) => `"${title}" war schon erledigt.`,
    gone: (title) => `"${title}" gibt es nicht mehr: es wurde inzwischen gelöscht.`,
    failed: (title, why) => `"${title}" konnte ich nicht erledigen: ${why}`,
  },
}
