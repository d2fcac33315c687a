// The offline agent's words about projects, in each language it answers in (its other words are offline-words.ts's).
import type { Lang } from './offline-state'

export interface ProjectReplies {
  list: (items: ReadonlyArray<{ name: string; open: number; archived: boolean }>) => string
  created: (name: string) => string
  renamed: (from: string, to: string) => string
  archived: (name: string) => string
  unarchived: (name: string) => string
  /** Asking before a delete: what becomes of its `n` tasks. */
  askDelete: (name: string, n: number, tasks: 'move' | 'delete') => string
  deleted: (name: string, n: number, tasks: 'move' | 'delete') => string
  /** A project the words named that the user lacks; `offer` is what a "yes" would do after making it. */
  missing: (name: string, yours: readonly string[], offer?: string) => string
  offerAdd: (task: string) => string
  offerMove: (what: string) => string
  /** "milk" added to a project: the task described, then where. */
  addedTo: (task: string, project: string) => string
  failed: (why: string) => string
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ')

export const PROJECT_REPLIES: Record<Lang, ProjectReplies> = {
  en: {
    list: (items) => `Your projects: ${items.map((p) => `${p.name} (${p.open} open${p.archived ? ', archived' : ''})`).join(', ')}.`,
    created: (name) => `Created the project "${name}".`,
    renamed: (from, to) => `Renamed the project "${from}" to "${to}".`,
    archived: (name) => `Archived the project "${name}": its tasks stay in it, out of sight until you unarchive it.`,
    unarchived: (name) => `Brought back the project "${name}".`,
    askDelete: (name, n, tasks) =>
      n === 0
        ? `Delete the project "${name}"? It has no tasks. Say yes or no.`
        : tasks === 'move'
          ? `Delete the project "${name}"? Its ${n === 1 ? 'task' : `${n} tasks`} will move to the Inbox (to delete ${n === 1 ? 'it' : 'them'} too, say "delete project ${name} and its tasks"). Say yes or no.`
          : `Delete the project "${name}" and its ${n === 1 ? 'task' : `${n} tasks`}? Deleted tasks can be restored from the trash for 30 days. Say yes or no.`,
    deleted: (name, n, tasks) =>
      `Deleted the project "${name}"${n === 0 ? '' : tasks === 'move' ? `; its ${n === 1 ? 'task' : `${n} tasks`} moved to the Inbox` : ` and its ${n === 1 ? 'task' : `${n} tasks`}`}.`,
    missing: (name, yours, offer) => `You have no project "${name}". ${offer ?? `Your projects: ${quoted(yours)}.`}`,
    offerAdd: (task) => `Say yes to create it and add "${task}" there, or say where else it goes.`,
    offerMove: (what) => `Say yes to create it and move "${what}" there.`,
    addedTo: (task, project) => `${task} to ${project}`,
    failed: (why) => `I could not do that: ${why}`,
  },
  de: {
    list: (items) => `Deine Projekte: ${items.map((p) => `${p.name} (${p.open} offen${p.archived ? ', archiviert' : ''})`).join(', ')}.`,
    created: (name) => `Projekt "${name}" angelegt.`,
    renamed: (from, to) => `Projekt "${from}" in "${to}" umbenannt.`,
    archived: (name) => `Projekt "${name}" archiviert: seine Aufgaben bleiben darin, ausgeblendet, bis du es zurückholst.`,
    unarchived: (name) => `Projekt "${name}" ist wieder da.`,
    askDelete: (name, n, tasks) =>
      n === 0
        ? `Projekt "${name}" löschen? Es hat keine Aufgaben. Sag ja oder nein.`
        : tasks === 'move'
          ? `Projekt "${name}" löschen? ${n === 1 ? 'Seine Aufgabe kommt' : `Seine ${n} Aufgaben kommen`} in den Eingang. Sag ja oder nein.`
          : `Projekt "${name}" mit ${n === 1 ? 'seiner Aufgabe' : `seinen ${n} Aufgaben`} löschen? Gelöschte Aufgaben lassen sich 30 Tage lang wiederherstellen. Sag ja oder nein.`,
    deleted: (name, n, tasks) =>
      `Projekt "${name}" gelöscht${n === 0 ? '' : tasks === 'move' ? `; ${n === 1 ? 'seine Aufgabe ist' : `seine ${n} Aufgaben sind`} jetzt im Eingang` : `, mit ${n === 1 ? 'seiner Aufgabe' : `seinen ${n} Aufgaben`}`}.`,
    missing: (name, yours, offer) => `Du hast kein Projekt "${name}". ${offer ?? `Deine Projekte: ${quoted(yours)}.`}`,
    offerAdd: (task) => `Sag ja, dann lege ich es an und füge "${task}" dort hinzu.`,
    offerMove: (what) => `Sag ja, dann lege ich es an und verschiebe "${what}" dorthin.`,
    addedTo: (task, project) => `${task} in ${project}`,
    failed: (why) => `Das ging nicht: ${why}`,
  },
}
