// Projects: a user's lists of tasks. Every account has one Inbox, which stays; the others are made, renamed, coloured,
// archived and deleted here, by their owner; the projects shared with a user are listed with theirs (sharing.ts).
import { and, asc, desc, eq, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { uniqueOr } from '../../lib/db-errors'
import { AppError, invalid } from '../../lib/errors'
import { reserveQuota, type QuotaDeps } from '../../lib/quotas'
import { newId } from '../../lib/secrets'
import { dayBounds, localDay } from '../../lib/time'
import type { Actor } from '../auth/user'
import { tasks } from '../tasks/schema'
import { deleteProjectTasks, moveProjectTasks } from '../tasks/project-tasks'
import { inboxOf, memberOf, mine, ownedProject, projectFor, type Role } from './access'
import { toProjectView, type CreateProject, type DeleteChoice, type ProjectListItem, type ProjectView, type UpdateProject } from './model'
import { projectMembers, projects } from './schema'
import { users } from '../auth/schema'

export interface ProjectDeps extends QuotaDeps {
  db: Db
  clock: () => Date
}

const nameTaken = (name: string) => new AppError('conflict', `you already have a project named "${name}"`, 'name')

/**
 * Open tasks of a project, and those of them overdue (due before today began in the actor's zone): counted from the
 * project's open-tasks index alone. Spelled out with qualified names, since a select from one table leaves its own
 * columns unqualified and `id` would then name the task's.
 */
const counts = (startOfToday: Date) => {
  const open = sql`from tasks as counted where counted.project_id = "projects"."id" and counted.status = 'pending'`
  return {
    open: sql<number>`(select count(*) ${open})`.mapWith(Number),
    overdue: sql<number>`(select count(*) ${open} and counted.due_date < ${startOfToday.toISOString()}::timestamptz)`.mapWith(Number),
  }
}

/**
 * The statement behind listProjects (EXPLAIN checks its counts read the project's open-tasks index): the actor's
 * projects, then those shared with them, each with the actor's role and the owner's email.
 */
export function projectListQuery(db: Db, actor: Actor, now: Date, archived = false) {
  const startOfToday = dayBounds(localDay(now, actor.timezone), actor.timezone).start
  const shared = sql`${projects.id} in ${memberOf(actor.id)}`
  return db
    .select({ project: projects, role: roleOf(actor.id), owner: users.email, ...counts(startOfToday) })
    .from(projects)
    .innerJoin(users, eq(users.id, projects.userId))
    .where(and(or(mine(actor.id), shared), archived ? undefined : sql`${projects.archivedAt} is null`))
    .orderBy(sql`${projects.userId} = ${actor.id} desc`, desc(projects.isInbox), asc(projects.position), asc(projects.id))
}

/** The actor's role in the project a row is: owner, or their membership's. */
const roleOf = (userId: string) =>
  sql<Role>`case when ${projects.userId} = ${userId} then 'owner' else (select ${projectMembers.role}::text from ${projectMembers} where ${projectMembers.projectId} = ${projects.id} and ${projectMembers.userId} = ${userId}) end`

/**
 * The actor's projects, the Inbox first and then in their order, then the projects shared with them; each with its
 * open and overdue counts, the actor's role and the owner. Archived ones only when asked.
 */
export async function listProjects(deps: Pick<ProjectDeps, 'db' | 'clock'>, actor: Actor, options: { archived?: boolean } = {}): Promise<ProjectListItem[]> {
  const rows = await projectListQuery(deps.db, actor, deps.clock(), options.archived)
  return rows.map((row) => ({ ...toProjectView(row.project), role: row.role, owner_email: row.owner, open_count: row.open, overdue_count: row.overdue }))
}

/** A project the actor can see (their own, or one shared with them), with their role in it. */
export async function getProject(deps: Pick<ProjectDeps, 'db'>, actor: Actor, id: string): Promise<ProjectView & { role: Role }> {
  const { project, role } = await projectFor(deps.db, actor, id, 'read')
  return { ...toProjectView(project), role }
}

/** Makes a project at the end of the actor's list; a name already used (whatever its case) is a 409, and so is a full quota. */
export async function createProject(deps: ProjectDeps, actor: Actor, input: CreateProject): Promise<ProjectView> {
  return uniqueOr(() => nameTaken(input.name), () =>
    deps.db.transaction(async (tx) => {
      const now = deps.clock()
      await reserveQuota(tx, 'projects', actor.id, deps.quotas.projects, sql`select 1 from ${projects} where ${mine(actor.id)}`)
      await inboxOf(tx, actor.id, now)
      const [last] = await tx.select({ n: sql<number>`coalesce(max(${projects.position}), 0)`.mapWith(Number) }).from(projects).where(mine(actor.id))
      const [row] = await tx
        .insert(projects)
        .values({ id: newId(), userId: actor.id, name: input.name, color: input.color ?? 'grey', position: (last?.n ?? 0) + 1, createdAt: now, updatedAt: now })
        .returning()
      return toProjectView(row!)
    }),
  )
}

/** Renames, recolours, archives or unarchives one of the actor's projects (only the fields sent change). The Inbox keeps its name and stays. */
export async function updateProject(deps: ProjectDeps, actor: Actor, id: string, input: UpdateProject): Promise<ProjectView> {
  if (input.name === undefined && input.color === undefined && input.archived === undefined) {
    throw invalid('body', 'nothing to update: send at least one of name, color, archived')
  }
  const name = input.name
  return uniqueOr(name === undefined ? undefined : () => nameTaken(name), () =>
    deps.db.transaction(async (tx) => {
      const current = await ownedProject(tx, actor, id, 'update')
      if (current.isInbox && name !== undefined && name !== current.name) throw new AppError('conflict', 'the Inbox cannot be renamed', 'name')
      if (current.isInbox && input.archived) throw new AppError('conflict', 'the Inbox cannot be archived', 'archived')
      const now = deps.clock()
      const archivedAt = input.archived === undefined ? current.archivedAt : input.archived ? (current.archivedAt ?? now) : null
      const [row] = await tx
        .update(projects)
        .set({ ...(name !== undefined ? { name } : {}), ...(input.color !== undefined ? { color: input.color } : {}), archivedAt, updatedAt: now })
        .where(eq(projects.id, current.id))
        .returning()
      return toProjectView(row!)
    }),
  )
}

/**
 * Deletes one of the actor's projects. Its tasks go with `choice`: `move` puts them in the Inbox, `delete` deletes
 * them (each with its event, restorable from the trash like any deleted task). A project with tasks and no choice is
 * refused (409 naming `tasks`), and so is the Inbox. Returns how many tasks were moved or deleted.
 */
export async function deleteProject(deps: ProjectDeps, actor: Actor, id: string, choice?: DeleteChoice): Promise<{ tasks: number }> {
  return deps.db.transaction(async (tx) => {
    const current = await ownedProject(tx, actor, id, 'update')
    if (current.isInbox) throw new AppError('conflict', 'the Inbox cannot be deleted', 'id')
    const now = deps.clock()
    const [held] = await tx.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(tasks).where(eq(tasks.projectId, current.id))
    const n = held?.n ?? 0
    if (n > 0 && choice === undefined) {
      throw new AppError('conflict', `project "${current.name}" has ${n} task${n === 1 ? '' : 's'}: choose tasks=move (to the Inbox) or tasks=delete`, 'tasks')
    }
    if (n > 0 && choice === 'move') await moveProjectTasks(tx, actor, current.id, (await inboxOf(tx, actor.id, now)).id, now)
    if (n > 0 && choice === 'delete') await deleteProjectTasks(tx, actor, current.id, now)
    await tx.delete(projects).where(eq(projects.id, current.id))
    return { tasks: n }
  })
}

/** How many tasks (open and completed) one of the actor's projects holds: what deleting it would move or delete. */
export async function projectTaskCount(deps: Pick<ProjectDeps, 'db'>, actor: Actor, id: string): Promise<number> {
  const project = await ownedProject(deps.db, actor, id)
  const [held] = await deps.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(tasks).where(eq(tasks.projectId, project.id))
  return held?.n ?? 0
}
