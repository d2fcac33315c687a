// Sharing tools: share a project by email, list who has access, unshare, leave, and list and answer the invitations
// addressed to the user. Who may do what is the services' rule (docs/architecture.md, "Access").
import { z } from 'zod'
import { NewEmail } from '../../features/auth/model'
import { projectByRef } from '../../features/projects/access'
import { answerInvitationByRef, shareWith, unshareWith } from '../../features/projects/sharing-refs'
import { listMembers, myInvitations, removeMember } from '../../features/projects/sharing'
import { InvitationViewSchema, MemberRoleField, MembersViewSchema } from '../../features/projects/sharing-model'
import { defineTool, READ_ONLY, WRITES } from '../tool'

const projectRef = z.string().describe('The project: its id (from list_projects) or its name, whatever the case')
const email = NewEmail.describe('The person\'s email address')

export const shareProjectTool = defineTool({
  name: 'share_project',
  title: 'Share a project',
  description:
    "Invites someone by email to one of the user's own projects, as an editor (default: reads and changes its tasks) or a viewer (only reads them). They see the invitation once signed in with that address and accept or decline it; whether they have an account yet is never told. Sharing again with an invited address changes the invited role; with a member's address and a role, it changes that member's role. The Inbox cannot be shared; only the project's owner can share it.",
  input: { project: projectRef, email, role: MemberRoleField.optional().describe('editor (default) or viewer') },
  output: {
    shared: z.enum(['invited', 'role_changed']).describe('invited: an invitation waits for their answer; role_changed: they were a member already and now have role'),
    project_id: z.string(),
    email: z.string(),
    role: MemberRoleField,
    invitation_id: z.string().nullable().describe('The invitation\'s id when one was made or changed'),
  },
  annotations: { ...WRITES, idempotentHint: true },
  run: async (ctx, { project, ...invite }) => {
    const { id } = await projectByRef(ctx.db, ctx.user, project)
    const { invitation, ...done } = await shareWith(ctx, ctx.user, id, invite)
    return { ...done, project_id: id, invitation_id: invitation?.id ?? null }
  },
})

export const listProjectMembersTool = defineTool({
  name: 'list_project_members',
  title: 'List who has access to a project',
  description:
    "Lists who has access to a project the user owns or is a member of: the owner, then the members with their role (editor or viewer), and your_role, the user's. To its owner it also lists the invitations waiting for an answer.",
  input: { project: projectRef },
  output: MembersViewSchema.shape,
  annotations: READ_ONLY,
  run: async (ctx, { project }) => listMembers(ctx, ctx.user, (await projectByRef(ctx.db, ctx.user, project)).id),
})

export const unshareProjectTool = defineTool({
  name: 'unshare_project',
  title: 'Unshare a project',
  description:
    "Ends someone's access to one of the user's own projects, by email: removes the member with that address (at once; the tasks stay in the project), or withdraws the invitation to it. Only the owner unshares; to leave a project shared with the user, use leave_project.",
  input: { project: projectRef, email },
  output: {
    removed: z.enum(['member', 'invitation']).describe('member: they had access and have none now; invitation: the invitation was withdrawn'),
    project_id: z.string(),
    email: z.string(),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  run: async (ctx, { project, email: address }) => {
    const { id } = await projectByRef(ctx.db, ctx.user, project)
    return { ...(await unshareWith(ctx, ctx.user, id, address)), project_id: id, email: address }
  },
})

export const leaveProjectTool = defineTool({
  name: 'leave_project',
  title: 'Leave a shared project',
  description:
    "Leaves a project someone else shared with the user: they lose access to it and its tasks at once (the tasks stay with the owner; only the owner can invite them back). The owner of a project cannot leave it.",
  input: { project: projectRef },
  output: { left: z.string().describe('The project\'s id'), project_name: z.string() },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  run: async (ctx, { project }) => {
    const row = await projectByRef(ctx.db, ctx.user, project)
    await removeMember(ctx, ctx.user, row.id, ctx.user.id)
    return { left: row.id, project_name: row.name }
  },
})

export const listInvitationsTool = defineTool({
  name: 'list_invitations',
  title: 'List invitations',
  description: "Lists the invitations to other people's projects addressed to the user's email, newest first, each with the project's name, the role offered and who invited. Answer one with answer_invitation.",
  input: {},
  output: { items: z.array(InvitationViewSchema) },
  annotations: READ_ONLY,
  run: async (ctx) => ({ items: await myInvitations(ctx, ctx.user) }),
})

export const answerInvitationTool = defineTool({
  name: 'answer_invitation',
  title: 'Accept or decline an invitation',
  description:
    "Accepts (accept true: the user becomes a member of the project with the offered role, and sees its tasks) or declines (accept false: the invitation is deleted) an invitation addressed to the user. Ask the user before accepting or declining on their behalf.",
  input: {
    invitation: z.string().describe('The invitation\'s id (from list_invitations), or its project\'s name, whatever the case'),
    accept: z.boolean().describe('true accepts, false declines'),
  },
  output: {
    accepted: z.boolean(),
    project_id: z.string(),
    project_name: z.string(),
    role: MemberRoleField.describe('The role offered: the user\'s now if accepted'),
  },
  annotations: WRITES,
  run: (ctx, { invitation, accept }) => answerInvitationByRef(ctx, ctx.user, invitation, accept),
})
