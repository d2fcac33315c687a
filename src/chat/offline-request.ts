// What the offline agent reads a message as: the kinds of request, the change one asks for and what a question
// selects. Types only, so the readers (offline-read.ts and the files it draws on) share them without importing each other.
import type { TaskPriority } from '../features/tasks/model'
import type { Duration } from './duration'
import type { ProjectRequest } from './offline-project-read'
import type { SharingRequest } from './offline-sharing-read'

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
  | SharingRequest
  | { kind: 'unknown' }
