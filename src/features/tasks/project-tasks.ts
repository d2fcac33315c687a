// A project's tasks as a whole, when the project goes: moved to another project or deleted, each with its event.
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client'
import type { Actor } from '../auth/user'
import { recordTaskChange } from './events'
import { tasks } from './schema'
import { removeWithSubtrees } from './trash'

/** The project's tasks, locked for the transaction. */
const lockedIn = (tx: Db, projectId: string) => tx.select().from(tasks).where(eq(tasks.projectId, projectId)).for('update')

/** Moves every task of `from` into `to` (both the actor's, checked by the caller); each move is a task.updated event. */
export async function moveProjectTasks(tx: Db, actor: Actor, from: string, to: string, now: Date): Promise<void> {
  for (const before of await lockedIn(tx, from)) {
    const [after] = await tx.update(tasks).set({ projectId: to, updatedAt: now }).where(eq(tasks.id, before.id)).returning()
    await recordTaskChange(tx, now, actor, { before, after: after! })
  }
}

/** Deletes every task of the project like a task delete: each with its event, and restorable from the trash. */
export async function deleteProjectTasks(tx: Db, actor: Actor, projectId: string, now: Date): Promise<void> {
  await removeWithSubtrees(tx, actor, await lockedIn(tx, projectId), now)
}
