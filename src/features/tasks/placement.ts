// Where a task goes: its parent and its project. A subtask lives in its parent's project, so a move of either keeps the tree in one.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { invalid } from '../../lib/errors'
import type { Actor } from '../auth/user'
import { taskProject } from '../projects/access'
import { recordTaskChange } from './events'
import { tasks, type Task } from './schema'
import { checkParent, descendants } from './subtasks'

const inParentsProject = () =>
  invalid('project_id', "a subtask lives in its parent's project: move the parent, or make the task top-level (parent_id null) to move it alone")

/** The parent and project of a new task: under a parent (checked), the parent's project; else the project named, or the Inbox. */
export async function placeNew(tx: Db, actor: Actor, input: { parent_id?: string | null; project_id?: string }, now: Date): Promise<{ parentId: string | null; projectId: string }> {
  if (!input.parent_id) return { parentId: null, projectId: await taskProject(tx, actor, input.project_id, now) }
  const parent = await checkParent(tx, actor, input.parent_id)
  if (input.project_id !== undefined && input.project_id !== parent.projectId) throw inParentsProject()
  return { parentId: parent.id, projectId: parent.projectId }
}

/**
 * The columns an update changes to move `current`: a new parent (checked; its project comes with it), the top level
 * (null), or another project, which a subtask that stays under its parent cannot take on its own.
 */
export async function placeMoved(
  tx: Db,
  actor: Actor,
  current: Task,
  input: { parent_id?: string | null; project_id?: string },
  now: Date,
): Promise<{ parentId?: string | null; projectId?: string }> {
  const reparented = input.parent_id !== undefined && input.parent_id !== current.parentId
  const parent = reparented && input.parent_id ? await checkParent(tx, actor, input.parent_id, current) : null
  let projectId: string | undefined
  if (parent) {
    if (input.project_id !== undefined && input.project_id !== parent.projectId) throw inParentsProject()
    projectId = parent.projectId
  } else if (input.project_id !== undefined && input.project_id !== current.projectId) {
    if (!reparented && current.parentId) throw inParentsProject()
    projectId = await taskProject(tx, actor, input.project_id, now)
  }
  return {
    ...(reparented ? { parentId: parent?.id ?? null } : {}),
    ...(projectId !== undefined && projectId !== current.projectId ? { projectId } : {}),
  }
}

/** Moves the subtasks of a task that moved to `projectId` along with it, each with its task.updated event. */
export async function moveSubtree(tx: Db, actor: Actor, root: Task, projectId: string, now: Date): Promise<void> {
  for (const before of (await descendants(tx, actor.id, [root.id], true)).flat()) {
    if (before.projectId === projectId) continue
    const [after] = await tx.update(tasks).set({ projectId, updatedAt: now }).where(eq(tasks.id, before.id)).returning()
    await recordTaskChange(tx, now, actor.timezone, { before, after: after! })
  }
}
