// Sharing a project: the owner invites people by email as editors or viewers, changes their role or removes them; the
// invited accept or decline; a member may leave. Who may then do what is access.ts's rule (docs/architecture.md, "Access").
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { AppError, invalid, notFound } from '../../lib/errors'
import { newId, UUID } from '../../lib/secrets'
import { announceChange } from '../../events/live-notice'
import { users } from '../auth/schema'
import { cancelLostReminders } from '../reminders/follow'
import type { Actor } from '../auth/user'
import { projectFor } from './access'
import { PROJECT_MEMBERS_MAX } from './limits'
import type { Invite, InvitationView, MembersView, RoleChange } from './sharing-model'
import { projectInvitations, projectMembers, projects, type MemberRole, type Project } from './schema'

export interface SharingDeps {
  db: Db
  clock: () => Date
}

async function emailOf(db: Db, userId: string): Promise<string> {
  const [row] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId))
  if (!row) throw notFound('user')
  return row.email
}

const invitationColumns = {
  id: projectInvitations.id,
  projectId: projectInvitations.projectId,
  projectName: projects.name,
  email: projectInvitations.email,
  role: projectInvitations.role,
  invitedBy: users.email,
  createdAt: projectInvitations.createdAt,
}


const toInvitationView = (row: { id: string; projectId: string; projectName: string; email: string; role: MemberRole; invitedBy: string; createdAt: Date }): InvitationView => ({
  id: row.id,
  project_id: row.projectId,
  project_name: row.projectName,
  email: row.email,
  role: row.role,
  invited_by: row.invitedBy,
  created_at: row.createdAt.toISOString(),
})

/** Invitations matching `where`, each with its project's name and the inviter's email, in `order`. */
const selectInvitations = (db: Db, where: SQL, order: SQL[]) =>
  db
    .select(invitationColumns)
    .from(projectInvitations)
    .innerJoin(projects, eq(projects.id, projectInvitations.projectId))
    .innerJoin(users, eq(users.id, projectInvitations.invitedBy))
    .where(where)
    .orderBy(...order)

/** The people with access to a project the actor can see: the owner, the members, and (to the owner) the invitations waiting. */
export async function listMembers(deps: SharingDeps, actor: Actor, projectId: string): Promise<MembersView> {
  const { project, role } = await projectFor(deps.db, actor, projectId, 'read')
  const [owner] = await deps.db.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, project.userId))
  const members = await deps.db
    .select({ userId: projectMembers.userId, email: users.email, role: projectMembers.role, createdAt: projectMembers.createdAt })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(eq(projectMembers.projectId, project.id))
    .orderBy(asc(projectMembers.createdAt), asc(users.email))
  const invitations =
    role === 'owner' ? await selectInvitations(deps.db, eq(projectInvitations.projectId, project.id), [asc(projectInvitations.createdAt), asc(projectInvitations.id)]) : []
  return {
    project_id: project.id,
    your_role: role,
    members: [
      { user_id: owner!.id, email: owner!.email, role: 'owner' as const, joined_at: null },
      ...members.map((m) => ({ user_id: m.userId, email: m.email, role: m.role, joined_at: m.createdAt.toISOString() })),
    ],
    invitations: invitations.map(toInvitationView),
  }
}

function shareable(project: Project): void {
  if (project.isInbox) throw new AppError('conflict', 'the Inbox cannot be shared: share another project, or move the tasks into one', 'project_id')
}

/**
 * Invites `email` to one of the actor's projects (editor by default). Inviting an address again changes the role
 * it is invited with. The answer is the same whether an account has the address, so inviting tells nothing about
 * who has signed up; an existing member's address is a 409 (their role is changed on the member instead).
 */
export async function inviteMember(deps: SharingDeps, actor: Actor, projectId: string, input: Invite): Promise<InvitationView> {
  return deps.db.transaction(async (tx) => {
    const { project } = await projectFor(tx, actor, projectId, 'own', 'update')
    shareable(project)
    const ownEmail = await emailOf(tx, actor.id)
    if (input.email === ownEmail) throw invalid('email', 'you own this project: invite someone else')
    const [member] = await tx
      .select({ role: projectMembers.role })
      .from(projectMembers)
      .innerJoin(users, eq(users.id, projectMembers.userId))
      .where(and(eq(projectMembers.projectId, project.id), eq(users.email, input.email)))
    if (member) throw new AppError('conflict', `${input.email} is already a member (${member.role}): change their role instead`, 'email')
    const [taken] = await tx
      .select({ n: sql<number>`(select count(*) from ${projectMembers} where ${projectMembers.projectId} = ${project.id}) + (select count(*) from ${projectInvitations} where ${projectInvitations.projectId} = ${project.id} and ${projectInvitations.email} <> ${input.email})`.mapWith(Number) })
      .from(sql`(select 1) as one`)
    if ((taken?.n ?? 0) >= PROJECT_MEMBERS_MAX) {
      throw new AppError('quota_exceeded', `A project may be shared with at most ${PROJECT_MEMBERS_MAX} people, invitations waiting included; remove someone first`, 'email')
    }
    const now = deps.clock()
    const role = input.role ?? 'editor'
    const [row] = await tx
      .insert(projectInvitations)
      .values({ id: newId(), projectId: project.id, email: input.email, role, invitedBy: actor.id, createdAt: now })
      .onConflictDoUpdate({ target: [projectInvitations.projectId, projectInvitations.email], set: { role, invitedBy: actor.id } })
      .returning()
    return toInvitationView({ ...row!, projectName: project.name, invitedBy: ownEmail })
  })
}

/** Withdraws an invitation to one of the actor's projects. */
export async function cancelInvitation(deps: SharingDeps, actor: Actor, projectId: string, invitationId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const { project } = await projectFor(tx, actor, projectId, 'own')
    const gone = UUID.test(invitationId)
      ? await tx
          .delete(projectInvitations)
          .where(and(eq(projectInvitations.id, invitationId), eq(projectInvitations.projectId, project.id)))
          .returning({ id: projectInvitations.id })
      : []
    if (gone.length === 0) throw notFound('invitation')
  })
}

/** The invitations addressed to the actor's email, newest first. */
export async function myInvitations(deps: SharingDeps, actor: Actor): Promise<InvitationView[]> {
  const email = await emailOf(deps.db, actor.id)
  const rows = await selectInvitations(deps.db, eq(projectInvitations.email, email), [desc(projectInvitations.createdAt), asc(projectInvitations.id)])
  return rows.map(toInvitationView)
}

/**
 * Accepts or declines an invitation addressed to the actor: accepting makes them a member with the invited role.
 * Someone else's invitation reads as not found. Answers the project's id.
 */
export async function answerInvitation(deps: SharingDeps, actor: Actor, invitationId: string, accept: boolean): Promise<{ project_id: string; role: MemberRole }> {
  return deps.db.transaction(async (tx) => {
    const email = await emailOf(tx, actor.id)
    const [invitation] = UUID.test(invitationId)
      ? await tx
          .delete(projectInvitations)
          .where(and(eq(projectInvitations.id, invitationId), eq(projectInvitations.email, email)))
          .returning()
      : []
    if (!invitation) throw notFound('invitation')
    if (accept) {
      // The owner of the project at this moment: an invitation outlives nothing (it goes with the project).
      const [project] = await tx.select().from(projects).where(eq(projects.id, invitation.projectId)).for('share')
      if (!project) throw notFound('invitation')
      if (project.userId === actor.id) throw new AppError('conflict', 'you own this project', 'id')
      await tx
        .insert(projectMembers)
        .values({ projectId: project.id, userId: actor.id, role: invitation.role, invitedBy: invitation.invitedBy, createdAt: deps.clock() })
        .onConflictDoUpdate({ target: [projectMembers.projectId, projectMembers.userId], set: { role: invitation.role } })
    }
    return { project_id: invitation.projectId, role: invitation.role }
  })
}

async function memberRow(tx: Db, projectId: string, userId: string) {
  const [row] = UUID.test(userId)
    ? await tx.select().from(projectMembers).where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId))).for('update')
    : []
  if (!row) throw notFound('member')
  return row
}

/** Makes a member of one of the actor's projects an editor or a viewer; it holds from their next request. */
export async function changeMemberRole(deps: SharingDeps, actor: Actor, projectId: string, userId: string, input: RoleChange): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const { project } = await projectFor(tx, actor, projectId, 'own')
    const member = await memberRow(tx, project.id, userId)
    await tx.update(projectMembers).set({ role: input.role }).where(and(eq(projectMembers.projectId, member.projectId), eq(projectMembers.userId, member.userId)))
  })
}

/**
 * Ends a member's access: the owner removes them, or they leave. The row is locked first, so a write of theirs
 * that is under way finishes before, and none starts after: access ends when this commits. Their pending reminders
 * on the project's tasks are cancelled with it.
 */
export async function removeMember(deps: SharingDeps, actor: Actor, projectId: string, userId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const { project, role } = await projectFor(tx, actor, projectId, 'read')
    if (userId === project.userId) throw new AppError('conflict', 'the owner cannot leave their project: delete it, or remove the members', 'user_id')
    if (role !== 'owner' && userId !== actor.id) throw new AppError('forbidden', `only the owner of project "${project.name}" can remove other members`, 'user_id')
    const member = await memberRow(tx, project.id, userId)
    await tx.delete(projectMembers).where(and(eq(projectMembers.projectId, member.projectId), eq(projectMembers.userId, member.userId)))
    // Their reminders on the project's tasks go with their access; their open pages drop the project's tasks.
    await cancelLostReminders(tx, member.userId, project.id, deps.clock())
    await announceChange(tx, member.userId, 'tasks')
  })
}
