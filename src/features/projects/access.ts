// Reaching a project: its owner, and the members it is shared with as editors or viewers. Every read and write of a
// project or of a task goes through here (docs/architecture.md, "Access"), so the rules live once.
import { and, eq, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { AppError, invalid, notFound } from '../../lib/errors'
import { newId, UUID } from '../../lib/secrets'
import type { Actor } from '../auth/user'
import { INBOX_NAME } from './limits'
import { projectMembers, projects, type MemberRole, type Project } from './schema'

/** What a person is to a project. */
export type Role = 'owner' | MemberRole
/** What an action needs: reading (any role), changing tasks (owner or editor), or managing the project (owner). */
export type Need = 'read' | 'write' | 'own'

const ALLOWED: Record<Need, readonly Role[]> = { read: ['owner', 'editor', 'viewer'], write: ['owner', 'editor'], own: ['owner'] }

export const mine = (userId: string) => eq(projects.userId, userId)

/** A refusal to someone who can see the project but may not do this in it. */
export function notAllowed(role: Role, need: Need, name: string, field?: string): AppError {
  const what = need === 'own' ? 'only its owner can manage it' : 'you can view its tasks but not change them'
  return new AppError('forbidden', `project "${name}" is shared with you as ${role === 'viewer' ? 'a viewer' : 'an editor'}: ${what}`, field)
}

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

/** The shared projects a user is a member of, with their role: read in the caller's transaction, so a removal that committed is seen. */
export async function membershipsOf(db: Db, userId: string): Promise<Array<{ projectId: string; role: MemberRole }>> {
  return db.select({ projectId: projectMembers.projectId, role: projectMembers.role }).from(projectMembers).where(eq(projectMembers.userId, userId))
}

/**
 * A project and the actor's role in it, when the role allows `need`. A project the actor cannot see (another user's
 * that is not shared with them, or a malformed id) reads as not found; one they can see but not act on is a 403.
 * `lock` locks the project row; a member's row is locked too (for share), so removing them waits for this
 * transaction, and a removal that committed first is seen: access ends at once.
 */
export async function projectFor(db: Db, actor: Pick<Actor, 'id'>, id: string, need: Need, lock?: 'share' | 'update', field?: string): Promise<{ project: Project; role: Role }> {
  if (!UUID.test(id)) throw notFound('project')
  const query = db.select().from(projects).where(eq(projects.id, id))
  const [project] = lock ? await query.for(lock) : await query
  if (!project) throw notFound('project')
  const role = await roleIn(db, actor.id, project)
  if (!role) throw notFound('project')
  if (!ALLOWED[need].includes(role)) throw notAllowed(role, need, project.name, field)
  return { project, role }
}

/** The actor's role in a project, or null: the owner's by the row, a member's by their membership (locked for share). */
export async function roleIn(db: Db, userId: string, project: Pick<Project, 'id' | 'userId'>): Promise<Role | null> {
  if (project.userId === userId) return 'owner'
  const [member] = await db
    .select({ role: projectMembers.role })
    .from(projectMembers)
    .where(and(eq(projectMembers.projectId, project.id), eq(projectMembers.userId, userId)))
    .for('share')
  return member?.role ?? null
}

/**
 * The actor's role in a project where they mean to change a task: null when they cannot see it (the caller answers
 * not found); a viewer is refused with a 403 naming `field`.
 */
export async function writerIn(db: Db, userId: string, project: Pick<Project, 'id' | 'userId'>, field: string): Promise<Role | null> {
  const role = await roleIn(db, userId, project)
  if (role !== 'viewer') return role
  const [row] = await db.select({ name: projects.name }).from(projects).where(eq(projects.id, project.id))
  throw notAllowed(role, 'write', row?.name ?? '', field)
}

/** One of the actor's own projects (managing it: settings, sharing, delete). A member's is a 403, anyone else's a 404. */
export async function ownedProject(db: Db, actor: Pick<Actor, 'id'>, id: string, lock?: 'share' | 'update'): Promise<Project> {
  return (await projectFor(db, actor, id, 'own', lock)).project
}

/** Where a task is put: the project's id and its owner, whose task it becomes (and whose quota it counts on). */
export interface Placement {
  projectId: string
  ownerId: string
}

/**
 * The project a task is put in: the one named, which the actor must own or edit and which is not archived (a
 * refusal names `field`), or the actor's Inbox when none is named. The row is locked against a concurrent delete
 * until the task is written.
 */
export async function taskProject(tx: Db, actor: Pick<Actor, 'id'>, projectId: string | undefined, now: Date, field = 'project_id'): Promise<Placement> {
  if (projectId === undefined) return { projectId: (await inboxOf(tx, actor.id, now)).id, ownerId: actor.id }
  const [row] = UUID.test(projectId) ? await tx.select().from(projects).where(eq(projects.id, projectId)).for('share') : []
  const role = row ? await roleIn(tx, actor.id, row) : null
  if (!row || !role) throw invalid(field, `${field} names no project of yours`)
  if (!ALLOWED.write.includes(role)) throw notAllowed(role, 'write', row.name, field)
  if (row.archivedAt) throw new AppError('conflict', `project "${row.name}" is archived: unarchive it first, or choose another`, field)
  return { projectId: row.id, ownerId: row.userId }
}

/** `projectId` if the actor may still put tasks in it, else their Inbox: where a restored task goes back to. */
export async function projectOrInbox(tx: Db, actor: Pick<Actor, 'id'>, projectId: string | null | undefined, now: Date): Promise<Placement> {
  const [row] = projectId && UUID.test(projectId) ? await tx.select().from(projects).where(eq(projects.id, projectId)).for('share') : []
  const role = row ? await roleIn(tx, actor.id, row) : null
  if (row && role && ALLOWED.write.includes(role)) return { projectId: row.id, ownerId: row.userId }
  return { projectId: (await inboxOf(tx, actor.id, now)).id, ownerId: actor.id }
}

/** The ids of the projects shared with a user (as a subquery), or only those shared with them in one role. */
export const memberOf = (userId: string, only?: MemberRole): SQL =>
  sql`(select ${projectMembers.projectId} from ${projectMembers} where ${projectMembers.userId} = ${userId}${only ? sql` and ${projectMembers.role} = ${only}` : sql``})`

/** Everyone who sees the tasks of `projectIds` (their owners and members), and `userId`, as a subquery of user ids. */
export const peopleOf = (userId: string, projectIds: string[]): SQL =>
  projectIds.length === 0
    ? sql`select ${userId}::uuid`
    : sql`select ${userId}::uuid union select ${projects.userId} from ${projects} where ${projects.id} in ${projectIds} union select ${projectMembers.userId} from ${projectMembers} where ${projectMembers.projectId} in ${projectIds}`

/** Projects the user can see: their own and those shared with them. */
export const visibleProjects = (userId: string): SQL => or(mine(userId), sql`${projects.id} in ${memberOf(userId)}`)!

/**
 * A project a tool or the agent names, that the actor can see: its id, or its name whatever the case (archived
 * ones too; their own before one shared with them). Unknown is a 400 naming `field`, saying where the names are, so
 * a model can correct itself.
 */
export async function projectByRef(db: Db, actor: Pick<Actor, 'id'>, ref: string, field = 'project'): Promise<Project> {
  const text = ref.trim()
  const [row] = UUID.test(text)
    ? await db.select().from(projects).where(and(eq(projects.id, text), visibleProjects(actor.id)))
    : await db
        .select()
        .from(projects)
        .where(and(visibleProjects(actor.id), sql`lower(${projects.name}) = lower(${text})`))
        .orderBy(sql`${projects.userId} = ${actor.id} desc`, projects.id)
        .limit(1)
  if (!row) throw invalid(field, `${field}: you have no project "${text.slice(0, 60)}" (list_projects shows your projects)`)
  return row
}
