// REST routes for sharing projects: a project's members and invitations under /api/v1/projects/:id, and the caller's
// own invitations under /api/v1/invitations. Thin wrappers over sharing.ts; who may do what is access.ts's rule.
import { Elysia, t } from 'elysia'
import { z } from 'zod'
import { seedOf, type AppDeps } from '../../context'
import { ErrorBody } from '../../lib/api-schemas'
import { authGuard } from '../auth/guard'
import { answerInvitation, cancelInvitation, changeMemberRole, inviteMember, listMembers, myInvitations, removeMember, type SharingDeps } from './sharing'
import { InvitationViewSchema, InviteInput, MemberRoleField, MembersViewSchema, RoleInput } from './sharing-model'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody }
const None = t.Undefined()

export const sharingRoutes = (deps: AppDeps) => {
  const sharingDeps: SharingDeps = { db: deps.database.db, clock: deps.clock }
  return new Elysia({ name: 'sharing-routes', prefix: '/api/v1', seed: seedOf(deps), detail: { tags: ['Sharing'] } })
    .use(authGuard(deps))
    .get('/projects/:id/members', ({ user, params }) => listMembers(sharingDeps, user, params.id), {
      auth: true,
      response: { 200: MembersViewSchema, ...errors },
      detail: {
        summary: 'Who has access to a project: the owner, the members with their roles, and (to the owner) the invitations waiting',
        description: 'Any member may read it; a project not shared with you is a 404.',
      },
    })
    .post('/projects/:id/invitations', async ({ user, params, body, status }) => status(201, await inviteMember(sharingDeps, user, params.id, body)), {
      auth: true,
      parse: 'json',
      body: InviteInput,
      response: { 201: InvitationViewSchema, ...errors },
      detail: {
        summary: 'Invite someone by email to one of your projects, as an editor (default) or a viewer',
        description:
          'The answer is the same whether or not an account has that address. Inviting an address again changes the role it is invited with. Only the owner invites (a member gets 403); the Inbox cannot be shared (409); your own address is a 400 naming `email`; an existing member\'s is a 409 (change their role instead); at most 50 people per project, invitations included (409).',
      },
    })
    .delete('/projects/:id/invitations/:invitationId', async ({ user, params, status }) => {
      await cancelInvitation(sharingDeps, user, params.id, params.invitationId)
      return status(204, undefined)
    }, {
      auth: true,
      response: { 204: None, ...errors },
      detail: { summary: 'Withdraw an invitation to one of your projects', description: 'Only the owner (a member gets 403).' },
    })
    .patch('/projects/:id/members/:userId', async ({ user, params, body, status }) => {
      await changeMemberRole(sharingDeps, user, params.id, params.userId, body)
      return status(204, undefined)
    }, {
      auth: true,
      parse: 'json',
      body: RoleInput,
      response: { 204: None, ...errors },
      detail: {
        summary: 'Make a member of one of your projects an editor or a viewer',
        description: 'Answers 204 with no body (read the members again for the list); the new role holds from the member\'s next request. Only the owner (a member gets 403).',
      },
    })
    .delete('/projects/:id/members/:userId', async ({ user, params, status }) => {
      await removeMember(sharingDeps, user, params.id, params.userId)
      return status(204, undefined)
    }, {
      auth: true,
      response: { 204: None, ...errors },
      detail: {
        summary: 'Remove a member from a project, or leave a project shared with you (your own user id)',
        description: 'The owner removes anyone; a member may remove only themself (another member is 403). The owner cannot leave their own project (409). Access ends when this answers.',
      },
    })
    .get('/invitations', async ({ user }) => ({ items: await myInvitations(sharingDeps, user) }), {
      auth: true,
      response: { 200: z.object({ items: z.array(InvitationViewSchema) }), ...errors },
      detail: { summary: 'The invitations addressed to your email, newest first' },
    })
    .post('/invitations/:id/accept', ({ user, params }) => answerInvitation(sharingDeps, user, params.id, true), {
      auth: true,
      response: { 200: z.object({ project_id: z.string(), role: MemberRoleField }), ...errors },
      detail: {
        summary: 'Accept an invitation addressed to you: you become a member of the project with the invited role',
        description: 'An unknown invitation, or one addressed to someone else, is a 404.',
      },
    })
    .post('/invitations/:id/decline', async ({ user, params, status }) => {
      await answerInvitation(sharingDeps, user, params.id, false)
      return status(204, undefined)
    }, {
      auth: true,
      response: { 204: None, ...errors },
      detail: { summary: 'Decline an invitation addressed to you (it is deleted; the owner may invite you again)', description: 'An unknown invitation, or one addressed to someone else, is a 404.' },
    })
}
