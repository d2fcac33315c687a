// Task changes as events: which type a change is, what changed, and the outbox row written with it.
import type { Db } from '../../db/client'
import { recordEvent } from '../../events/outbox'
import { peopleOf } from '../projects/access'
import { newId } from '../../lib/secrets'
import { toTaskView, type TaskView } from './model'
import type { Task } from './schema'

/** The fields a person sees change, in the order they are listed. */
const VISIBLE: Array<keyof TaskView> = ['title', 'description', 'status', 'priority', 'due_date', 'all_day', 'recurrence', 'recurrence_from', 'tags', 'project_id', 'completed_at', 'parent_id']

export function changedFields(before: TaskView, after: TaskView): string[] {
  return VISIBLE.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
}

export interface TaskEventData {
  event_id: string
  /** The task's owner (the owner of its project). */
  user_id: string
  /** Who made the change: the owner, a member of a shared project, or null when the app did (a repeating task's next instance). */
  actor_id: string | null
  task_id: string
  occurred_at: string
  /** The task after the change (for a deletion, as it was). */
  task: TaskView
  /** The task before the change (updates, completions, deletions). */
  before?: TaskView
  changes?: string[]
  /** Why the task appeared: a recurring series' next instance, or an undone delete. */
  cause?: 'recurrence' | 'restore'
}

/** Who makes a change: a person (`id`), or the app (`id` null); `timezone` names an all-day task's day. */
export interface ChangeAuthor {
  id: string | null
  timezone: string
}

/**
 * Records the event for a change of `before` into `after` (either may be absent: a creation, a deletion)
 * in the change's transaction, by `by`. A change that changes nothing records nothing. Everyone who sees the task,
 * before the change or after it (the owner, the members of its project or of the one it left), hears of it live.
 */
export async function recordTaskChange(
  tx: Db,
  now: Date,
  by: ChangeAuthor,
  change: { before?: Task; after?: Task; cause?: TaskEventData['cause'] },
): Promise<void> {
  const before = change.before ? toTaskView(change.before, by.timezone) : undefined
  const after = change.after ? toTaskView(change.after, by.timezone) : undefined
  const subject = (after ?? before)!
  const projects = [...new Set([after?.project_id, before?.project_id].filter((id): id is string => Boolean(id)))]
  const audience = peopleOf((change.after ?? change.before)!.userId, projects)
  const base = {
    event_id: newId(),
    user_id: (change.after ?? change.before)!.userId,
    actor_id: by.id,
    task_id: subject.id,
    occurred_at: now.toISOString(),
  }
  if (!before) return recordEvent(tx, 'task.created', { ...base, task: after!, ...(change.cause ? { cause: change.cause } : {}) }, audience)
  if (!after) return recordEvent(tx, 'task.deleted', { ...base, task: before, before }, audience)
  const changes = changedFields(before, after)
  if (changes.length === 0) return
  const type = before.status === 'pending' && after.status === 'completed' ? 'task.completed' : 'task.updated'
  return recordEvent(tx, type, { ...base, task: after, before, changes }, audience)
}
