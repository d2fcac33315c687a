// One project's settings page, as its reader may see it (the owner's forms, or a member's list of who has access):
// rendered by the project pages and again by the sharing pages when a form there is refused.
import type { AuthUser } from '../../features/auth/service'
import { AppError, notFound } from '../../lib/errors'
import { listProjects, type ProjectDeps } from '../../features/projects/service'
import { listMembers } from '../../features/projects/sharing'
import { ProjectSettingsPage, type SettingsShown } from '../../../views/project-pages'
import type { FormError } from '../forms'
import { respond } from '../respond'

/** What a project form says wrong in place: a bad name, one already used, a full quota, an invitation refused. */
const SHOWN: ReadonlySet<string> = new Set(['validation_failed', 'conflict', 'quota_exceeded'])

/** An AppError a form shows, as the form's error; anything else propagates. */
export function shownError(failure: unknown): FormError {
  if (!(failure instanceof AppError) || !SHOWN.has(failure.code)) throw failure
  return { field: failure.field, message: failure.message }
}

/** The settings page's two reads: a project the user sees (with its counts and their role), and the page itself. */
export function projectSettings(projectDeps: ProjectDeps) {
  /** One of the user's projects (their own or one shared with them) with its counts; another person's is not there. */
  const projectOf = async (user: AuthUser, id: string) => {
    const found = (await listProjects(projectDeps, user, { archived: true })).find((p) => p.id === id)
    if (!found) throw notFound('project')
    return found
  }

  /** The page, with what a refused form sent shown again (a 422 then). */
  const settings = async (request: Request, user: AuthUser, csrf: string, id: string, shown?: SettingsShown) => {
    const project = await projectOf(user, id)
    const members = await listMembers(projectDeps, user, project.id)
    const data = { project, members, you: user.id }
    return respond(request, (nonce) => ({ html: ProjectSettingsPage({ data, csrf, nonce, email: user.email, shown }), status: shown?.error || shown?.invite ? 422 : 200 }))
  }

  return { projectOf, settings }
}
