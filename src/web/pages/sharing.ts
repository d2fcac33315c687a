// Sharing a project in the browser: the owner's forms on its settings page (invite, change a role, remove, withdraw),
// a member's Leave, and the invited person's Accept and Decline. Each calls one sharing service function.
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { redirect } from '../../lib/htmx'
import { parseWith } from '../../lib/validation'
import type { ProjectDeps } from '../../features/projects/service'
import { answerInvitation, cancelInvitation, changeMemberRole, inviteMember, removeMember } from '../../features/projects/sharing'
import { InviteInput, RoleInput } from '../../features/projects/sharing-model'
import { first, type Form } from '../forms'
import { webSession } from '../session'
import { projectSettings, shownError } from './project-settings'

const settingsUrl = (id: string) => `/projects/${id}/settings`

export const sharingPages = (deps: AppDeps) => {
  const projectDeps: ProjectDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }
  const { settings } = projectSettings(projectDeps)

  return new Elysia({ name: 'sharing-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    .post(
      '/projects/:id/members',
      // An invitation refused (the Inbox, one's own address, a member already, too many people) is said on the card.
      async ({ request, user, csrf, params, body }) => {
        const form = body as Form
        const email = first(form.email)
        const role = first(form.role)
        try {
          await inviteMember(projectDeps, user, params.id, parseWith(InviteInput, { email: email ?? '', ...(role ? { role } : {}) }))
          return redirect(request, settingsUrl(params.id))
        } catch (failure) {
          return settings(request, user, csrf, params.id, { invite: { email, role, error: shownError(failure) } })
        }
      },
      { page: true },
    )
    .post(
      '/projects/:id/members/:userId/role',
      async ({ request, user, params, body }) => {
        await changeMemberRole(projectDeps, user, params.id, params.userId, parseWith(RoleInput, { role: first((body as Form).role) }))
        return redirect(request, settingsUrl(params.id))
      },
      { page: true },
    )
    .post(
      '/projects/:id/members/:userId/remove',
      async ({ request, user, params }) => {
        await removeMember(projectDeps, user, params.id, params.userId)
        return redirect(request, settingsUrl(params.id))
      },
      { page: true },
    )
    .post(
      '/projects/:id/invitations/:invitationId/withdraw',
      async ({ request, user, params }) => {
        await cancelInvitation(projectDeps, user, params.id, params.invitationId)
        return redirect(request, settingsUrl(params.id))
      },
      { page: true },
    )
    .post(
      '/projects/:id/leave',
      // A member leaves: the project is gone from their lists at once.
      async ({ request, user, params }) => {
        await removeMember(projectDeps, user, params.id, user.id)
        return redirect(request, '/tasks')
      },
      { page: true },
    )
    .post(
      '/invitations/:id/accept',
      async ({ request, user, params }) => {
        const { project_id } = await answerInvitation(projectDeps, user, params.id, true)
        return redirect(request, `/projects/${project_id}`)
      },
      { page: true },
    )
    .post(
      '/invitations/:id/decline',
      async ({ request, user, params }) => {
        await answerInvitation(projectDeps, user, params.id, false)
        return redirect(request, '/settings')
      },
      { page: true },
    )
}
