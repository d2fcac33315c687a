// What the offline agent remembers between messages: an action waiting for "yes", a "which one?" waiting for an
// answer, whether to complete open subtasks too, and how to undo its last change. Kept on the assistant message (a
// record among its tool calls), so any replica can continue the conversation; never shown as a tool call.
import type { ToolCallRecord } from './schema'

/** The languages the offline agent answers in (offline-words.ts holds the words). */
export type Lang = 'en' | 'de'

/** A change the agent can make to tasks. */
export type Op = 'delete' | 'complete' | 'reopen' | 'update'

/** An action chosen and described to the user, waiting for their "yes": exactly these tasks, as they were then. */
export interface PendingAction {
  op: Op
  ids: string[]
  titles: string[]
  /** Each task's updated_at when asked: a task changed since is reported, not acted on blindly. */
  stamps: string[]
  /** For update: the fields to set. */
  fields?: Record<string, unknown>
  /** How many tasks matched in all (may be more than `ids`), and what was asked for. */
  total: number
  totalExact: boolean
  query: string
}

/** Several tasks matched equally: the agent asked which one, and will do `op` to the one picked. */
export interface PendingChoice {
  op: Op
  fields?: Record<string, unknown>
  candidates: Array<{ id: string; title: string }>
}

/** One step back: what reverses one change. */
export interface UndoStep {
  op: 'delete' | 'complete' | 'reopen' | 'restore' | 'update' | 'cancel_reminder' | 'delete_project' | 'update_project'
  /** The task's id; for cancel_reminder, the reminder's; for a project step, the project's. */
  id: string
  title: string
  /** For update and update_project: the fields as they were. */
  fields?: Record<string, unknown>
}

/**
 * A question about a project waiting for "yes": deleting one (its tasks moved to the Inbox or deleted with it), or
 * making one the user named but lacks, then adding a task to it or moving tasks into it.
 */
export interface PendingProject {
  action: 'delete' | 'create'
  name: string
  /** For delete: the project, and what becomes of its `count` tasks. */
  id?: string
  tasks?: 'move' | 'delete'
  count?: number
  /** For create: the task to add there (as said), or the words naming the tasks to move there. */
  add?: string
  move?: string
}

/**
 * Completing tasks that have open subtasks: the agent asked whether to complete those too or leave them open. Each
 * task's id and title, and how many open subtasks it had when asked (0 when not known).
 */
export interface PendingSubtasks {
  ids: string[]
  titles: string[]
  open: number[]
}

/** Leaving a project shared with the user, waiting for "yes". */
export interface PendingSharing {
  action: 'leave'
  project: string
}

export interface AgentState {
  pending?: PendingAction
  project?: PendingProject
  sharing?: PendingSharing
  subtasks?: PendingSubtasks
  choice?: PendingChoice
  /** The changes this message made, and how to reverse them. */
  undo?: UndoStep[]
  /** This message undid the change before it: there is nothing more to undo. */
  undone?: true
  /** The language the agent spoke in this message, when not English: a bare "ja" or "rückgängig" answers in it. */
  lang?: Lang
}

/** The name of the record that carries the state among a message's tool calls. */
export const STATE_RECORD = 'offline_agent_state'

export const stateRecord = (state: AgentState): ToolCallRecord => ({ name: STATE_RECORD, arguments: state as Record<string, unknown>, ok: true, result: {} })

/** The state a stored message carries, if any. */
export function stateOf(calls: readonly ToolCallRecord[]): AgentState | undefined {
  return calls.find((c) => c.name === STATE_RECORD)?.arguments as AgentState | undefined
}

/** A message's tool calls as shown: without the agent's own state. */
export const visibleCalls = (calls: readonly ToolCallRecord[]): ToolCallRecord[] => calls.filter((c) => c.name !== STATE_RECORD)

/** What the agent answers a message with: its reply, the tools it called, and what the next message may continue. */
export interface AgentTurn {
  reply: string
  toolCalls: ToolCallRecord[]
  /** What the next message may continue (a question asked, a change to undo). */
  state?: AgentState
}
