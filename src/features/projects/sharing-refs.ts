// Sharing by the names a person or a model uses: someone by their email (a member, or an invitation waiting) and an
// invitation by its project's name. The MCP tools and the chat agent go through here; the rules stay in sharing.ts.
import { and, eq } from 'drizzle-orm'
import { AppError, invalid } from '../../lib/errors'
import { UUID } from '../../lib/secrets'
import { users } from '../auth/schema'
import type { Actor } from '../auth/user'
import { projectFor } from './access'
import { projectInvitations, projectMembers, type MemberRole } from './schema'
import { answerInvitation, cancelInvitation, changeMemberRole, inviteMember, myInvitations, removeMember, type SharingDeps } from './sharing'
import type { Invite, InvitationView } from './sharing-model'

/** What sharing with an address did: invited it, or changed the role of the member who has it. */
export interface Shared {
  shared: 'invited' | 'role_changed'
  email: string
  role: MemberRole
  invitation: InvitationView | null
}

async function memberByEmail(deps: SharingDeps, projectId: string, email: string): Promise<{ userId: string; role: MemberRole } | undefined> {
  const [row] = await deps.db
    .select({ userId: projectMembers.userId, role: projectMembers.role })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(and(eq(projectMembers.projectId, projectId), eq(users.email, email)))
  return row
}

/**
 * Shares one of the actor's projects with `email`: invites the address (inviteMember), or, when someone with it is
 * a member already and a role is given, makes them that (changeMemberRole). Only the owner does either.
 */
export async function shareWith(deps: SharingDeps, actor: Actor, projectId: string, input: Invite): Promise<Shared> {
  await projectFor(deps.db, actor, projectId, 'own')
  const member = input.role ? await memberByEmail(deps, projectId, input.email) : undefined
  if (member && input.role) {
    await changeMemberRole(deps, actor, projectId, member.userId, { role: input.role })
    return { shared: 'role_changed', email: input.email, role: input.role, invitation: null }
  }
  const invitation = await inviteMember(deps, actor, projectId, input)
  return { shared: 'invited', email: invitation.email, role: invitation.role, invitation }
}

/**
 * Ends `email`'s access to a project: removes the member with that address, or withdraws the invitation to it. The
 * actor's own address is leaving (any member may); anyone else's is the owner's to remove.
 */
export async function unshareWith(deps: SharingDeps, actor: Actor, projectId: string, email: string): Promise<{ removed: 'member' | 'invitation' }> {
  const { project } = await projectFor(deps.db, actor, projectId, 'read')
  const [self] = await deps.db.select({ email: users.email }).from(users).where(eq(users.id, actor.id))
  if (self?.email !== email) await projectFor(deps.db, actor, projectId, 'own', undefined, 'email')
  const member = await memberByEmail(deps, project.id, email)
  if (member) {
    await removeMember(deps, actor, project.id, member.userId)
    return { removed: 'member' }
  }
  if (email === self?.email) throw new AppError('conflict', `you own project "${project.name}": it cannot be unshared from you (delete it instead)`, 'email')
  const [invitation] = await deps.db
    .select({ id: projectInvitations.id })
    .from(projectInvitations)
    .where(and(eq(projectInvitations.projectId, project.id), eq(projectInvitations.email, email)))
  if (!invitation) throw invalid('email', `${email} is neither a member of project "${project.name}" nor invited to it (list_project_members shows who is)`)
  await cancelInvitation(deps, actor, project.id, invitation.id)
  return { removed: 'invitation' }
}

/**
 * One of the invitations addressed to the actor, by its id or its project's name (whatever the case). Unknown, or a
 * name two invitations share, is a 400 naming `field` that says what to do.
 */
export async function invitationByRef(deps: SharingDeps, actor: Actor, ref: string, field = 'invitation'): Promise<InvitationView> {
  const text = ref.trim()
  const mine = await myInvitations(deps, actor)
  const found = UUID.test(text) ? mine.filter((i) => i.id === text) : mine.filter((i) => i.project_name.toLowerCase() === text.toLowerCase())
  if (found.length > 1) throw invalid(field, `${found.length} invitations are to projects named "${text.slice(0, 60)}": give the invitation's id (list_invitations shows them)`)
  if (!found[0]) throw invalid(field, `${field}: you have no invitation "${text.slice(0, 60)}" (list_invitations shows yours)`)
  return found[0]
}

/** Accepts or declines an invitation addressed to the actor, named by its id or its project's name. */
export async function answerInvitationByRef(deps: SharingDeps, actor: Actor, ref: string, accept: boolean): Promise<{ accepted: boolean; project_id: string; project_name: string; role: MemberRole }> {
  const invitation = await invitationByRef(deps, actor, ref)
  const { project_id, role } = await answerInvitation(deps, actor, invitation.id, accept)
  return { accepted: accept, project_id, project_name: invitation.project_name, role }
}
