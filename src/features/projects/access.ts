// Reaching a project: the owner's rows only (sharing will add members here), the Inbox made when missing, and where a task may go.
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { AppError, invalid, notFound } from '../../lib/errors'
import { newId, UUID } from '../../lib/secrets'
import type { Actor } from '../auth/user'
import { INBOX_NAME } from './limits'
import { projects, type Project } from './schema'

export const mine = (userId: string) => eq(projects.userId, userId)

/** Gives the user their Inbox if they have none (sign-up; an account made by an app version from before projects). */
export async function createInbox(tx: Db, userId: string, now: Date): Promise<void> {
  await tx.insert(projects).values({ id: newId(), userId, name: INBOX_NAME, isInbox: true, createdAt: now, updatedAt: now }).onConflictDoNothing()
}

/** The user's Inbox, made first if the account has none yet. */
export async function inboxOf(tx: Db, userId: string, now: Date): Promise<Project> {
  const find = () => tx.select().from(projects).where(and(mine(userId), eq(projects.isInbox, true)))
  const [found] = await find()
  if (found) return found
  await createInbox(tx, userId, now)
  return (await find())[0]!
}

/** One of the actor's projects, locked for the transaction in `lock` mode; another user's id (or a malformed one) reads as not found. */
export async function ownedProject(db: Db, actor: Pick<Actor, 'id'>, id: string, lock?: 'share' | 'update'): Promise<Project> {
  if (!UUID.test(id)) throw notFound('project')
  const query = db.select().from(projects).where(and(eq(projects.id, id), mine(actor.id)))
  const [row] = lock ? await query.for(lock) : await query
  if (!row) throw notFound('project')
  return row
}

/**
 * The project a task is put in: the one named, which has to be the actor's and not archived (a refusal names
 * `field`), or the Inbox when none is named. The row is locked against a concurrent delete until the task is written.
 */
export async function taskProject(tx: Db, actor: Pick<Actor, 'id'>, projectId: string | undefined, now: Date, field = 'project_id'): Promise<string> {
  if (projectId === undefined) return (await inboxOf(tx, actor.id, now)).id
  const [row] = UUID.test(projectId) ? await tx.select().from(projects).where(and(eq(projects.id, projectId), mine(actor.id))).for('share') : []
  if (!row) throw invalid(field, `${field} names no project of yours`)
  if (row.archivedAt) throw new AppError('conflict', `project "${row.name}" is archived: unarchive it first, or choose another`, field)
  return row.id
}

/** `projectId` if it is still one of the user's projects, else their Inbox: where a restored task goes back to. */
export async function projectOrInbox(tx: Db, userId: string, projectId: string | null | undefined, now: Date): Promise<string> {
  const [row] = projectId ? await tx.select({ id: projects.id }).from(projects).where(and(eq(projects.id, projectId), mine(userId))) : []
  return row?.id ?? (await inboxOf(tx, userId, now)).id
}

/**
 * The actor's project a tool or the agent names: its id, or its name whatever the case (archived ones too). Unknown
 * is a 400 naming `field`, saying where the names are, so a model can correct itself.
 */
export async function projectByRef(db: Db, actor: Pick<Actor, 'id'>, ref: string, field = 'project'): Promise<Project> {
  const text = ref.trim()
  const [row] = UUID.test(text)
    ? await db.select().from(projects).where(and(eq(projects.id, text), mine(actor.id)))
    : await db.select().from(projects).where(and(mine(actor.id), sql`lower(${projects.name}) = lower(${text})`))
  if (!row) throw invalid(field, `${field}: you have no project "${text.slice(0, 60)}" (list_projects shows your projects)`)
  return row
}
