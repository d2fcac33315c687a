// Undoing an assistant's change, whichever agent made it: each successful write tool call has an inverse, worked
// out from the call, its result and the task as it was just before. The steps are kept on the assistant's message
// (offline-state.ts) and carried out by undoLast (offline-act.ts), from the chat ("undo") or the page's toast.
import type { ProjectView } from '../features/projects/model'
import type { Task } from './offline-find'
import type { UndoStep } from './offline-state'
import type { ToolCallRecord } from './schema'

/** The tools whose inverse needs the task as it was before the call. */
export const NEEDS_BEFORE = new Set(['update_task', 'complete_task', 'reopen_task', 'delete_task'])

/** The fields of `task` that `fields` will overwrite, as they are now (an all-day due date as its day, so it comes back all-day; a project by its id). */
export function previous(task: Task, fields: Record<string, unknown>): Record<string, unknown> {
  const row = task as unknown as Record<string, unknown>
  // A move (update_task's project) is undone by moving it back to its project, named by id.
  const before: Record<string, unknown> = { ...row, due_date: task.due_day ?? task.due_date, project: row.project_id }
  return Object.fromEntries(Object.keys(fields).map((k) => [k, before[k] ?? null]))
}

/** The steps that reverse one tool call (none for a failed or read-only one); `project` is update_project's project as it was. */
export function inverseOf(record: ToolCallRecord, before?: Task, project?: ProjectView): UndoStep[] {
  if (!record.ok) return []
  const result = record.result as Record<string, unknown>
  const args = record.arguments
  const one = (t: Record<string, unknown>) => ({ id: String(t.id), title: String(t.title ?? '') })
  switch (record.name) {
    case 'add_task':
      return [{ op: 'delete', ...one(result) }]
    case 'add_tasks':
      return ((result.tasks as Array<Record<string, unknown>>) ?? []).map((t) => ({ op: 'delete', ...one(t) }))
    case 'restore_task':
      return [{ op: 'delete', ...one(result) }]
    case 'delete_task':
      return before ? [{ op: 'restore', id: before.id, title: before.title }] : []
    case 'complete_task': {
      if (!before || before.status === 'completed') return []
      // The open subtasks it completed with the task (children "complete") are reopened with it.
      const subtasks = ((result.completed_subtasks as string[] | undefined) ?? []).map((id) => ({ op: 'reopen' as const, id, title: '' }))
      return [{ op: 'reopen', id: before.id, title: before.title }, ...subtasks]
    }
    case 'reopen_task':
      return before?.status === 'completed' ? [{ op: 'complete', id: before.id, title: before.title }] : []
    case 'complete_tasks':
      // Only pending tasks are completed (an already completed one is reported as failed).
      return ((result.completed as string[]) ?? []).map((id) => ({ op: 'reopen', id, title: '' }))
    case 'update_task': {
      if (!before) return []
      const { task_id: _, idempotency_key: __, ...fields } = args
      return [{ op: 'update', id: before.id, title: before.title, fields: previous(before, fields) }]
    }
    case 'add_project':
      return [{ op: 'delete_project', id: String(result.id), title: String(result.name ?? '') }]
    case 'update_project': {
      if (!project) return []
      const was: Record<string, unknown> = { name: project.name, color: project.color, archived: project.archived }
      const fields = Object.fromEntries(['name', 'color', 'archived'].filter((k) => k in args).map((k) => [k, was[k]]))
      return [{ op: 'update_project', id: project.id, title: String(result.name ?? project.name), fields }]
    }
    case 'set_reminder':
      return [{ op: 'cancel_reminder', id: String(result.id), title: '' }]
    default:
      return []
  }
}
