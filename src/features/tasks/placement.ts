// Where a task goes: its parent and its project, and so its owner (the project's). A subtask lives in its parent's
// project, so a move of either keeps the tree in one; a move to a project of another owner makes the tree theirs.
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

/** Where a new task goes: its parent, its project, and the project's owner, whose task it is. */
export interface NewPlace {
  parentId: string | null
  projectId: string
  userId: string
}

/**
 * The place of a new task: under a parent (checked, the actor must be able to change it), the parent's project; else
 * the project named (the actor's or one they edit), or the actor's Inbox.
 */
export async function placeNew(tx: Db, actor: Actor, input: { parent_id?: string | null; project_id?: string }, now: Date): Promise<NewPlace> {
  if (!input.parent_id) {
    const project = await taskProject(tx, actor, input.project_id, now)
    return { parentId: null, projectId: project.projectId, userId: project.ownerId }
  }
  const parent = await checkParent(tx, actor, input.parent_id)
  if (input.project_id !== undefined && input.project_id !== parent.projectId) throw inParentsProject()
  return { parentId: parent.id, projectId: parent.projectId, userId: parent.userId }
}

/**
 * The columns an update changes to move `current`: a new parent (checked; its project comes with it), the top level
 * (null), or another project, which a subtask that stays under its parent cannot take on its own. Both sides are
 * checked: the actor changes `current` (the caller's check) and must be able to put tasks in the new project.
 */
export async function placeMoved(
  tx: Db,
  actor: Actor,
  current: Task,
  input: { parent_id?: string | null; project_id?: string },
  now: Date,
): Promise<{ parentId?: string | null; projectId?: string; userId?: string }> {
  const reparented = input.parent_id !== undefined && input.parent_id !== current.parentId
  const parent = reparented && input.parent_id ? await checkParent(tx, actor, input.parent_id, current) : null
  let place: { projectId: string; userId: string } | undefined
  if (parent) {
    if (input.project_id !== undefined && input.project_id !== parent.projectId) throw inParentsProject()
    place = { projectId: parent.projectId, userId: parent.userId }
  } else if (input.project_id !== undefined && input.project_id !== current.projectId) {
    if (!reparented && current.parentId) throw inParentsProject()
    const project = await taskProject(tx, actor, input.project_id, now)
    place = { projectId: project.projectId, userId: project.ownerId }
  }
  return {
    ...(reparented ? { parentId: parent?.id ?? null } : {}),
    ...(place && place.projectId !== current.projectId ? { projectId: place.projectId } : {}),
    ...(place && place.userId !== current.userId ? { userId: place.userId } : {}),
  }
}

/** Moves the subtasks of a task that moved to `root`'s project (and owner) along with it, each with its task.updated event. */
export async function moveSubtree(tx: Db, actor: Actor, root: Task, now: Date): Promise<void> {
  for (const before of (await descendants(tx, [root.id], true)).flat()) {
    if (before.projectId === root.projectId) continue
    const [after] = await tx.update(tasks).set({ projectId: root.projectId, userId: root.userId, updatedAt: now }).where(eq(tasks.id, before.id)).returning()
    await recordTaskChange(tx, now, actor, { before, after: after! })
  }
}
