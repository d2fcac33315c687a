// Projects in the browser: the sidebar fragment (a live part), adding a project, and the page that lists them all.
// A project's own list is the task list's (pages/tasks.ts, /projects/:id).
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { AppError, notFound } from '../../lib/errors'
import { redirect, safeLocalPath } from '../../lib/htmx'
import { parseWith } from '../../lib/validation'
import type { AuthUser } from '../../features/auth/service'
import { listSavedFilters } from '../../features/filters/service'
import { CreateProjectInput } from '../../features/projects/model'
import { createProject, listProjects, type ProjectDeps } from '../../features/projects/service'
import { AddProject, ProjectNav, projectUrl } from '../../../views/projects'
import { ProjectsPage } from '../../../views/project-pages'
import { first, type Form, type FormError } from '../forms'
import { respond } from '../respond'
import { webSession } from '../session'

/** What a project form says wrong in place: a bad name, one already used, a full quota. */
export const SHOWN: ReadonlySet<string> = new Set(['validation_failed', 'conflict', 'quota_exceeded'])

/** An AppError a form shows, as the form's error; anything else propagates. */
export function shownError(failure: unknown): FormError {
  if (!(failure instanceof AppError) || !SHOWN.has(failure.code)) throw failure
  return { field: failure.field, message: failure.message }
}

export const projectPages = (deps: AppDeps) => {
  const projectDeps: ProjectDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }

  const manage = async (user: AuthUser, csrf: string, nonce: string, add?: { name?: string; error: FormError }) =>
    ProjectsPage({ projects: await listProjects(projectDeps, user, { archived: true }), csrf, nonce, email: user.email, add })

  return new Elysia({ name: 'project-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    .get('/projects', ({ request, user, csrf }) => respond(request, async (nonce) => ({ html: await manage(user, csrf, nonce) })), { page: true })
    .get(
      '/projects/nav',
      // The sidebar alone, for a live refresh: the project shown and the list's filter mark their links.
      async ({ request, user, csrf, query }) => {
        const [projects, views] = await Promise.all([listProjects(projectDeps, user, { archived: true }), listSavedFilters(projectDeps, user)])
        const current = query.current?.trim() || undefined
        if (current && !projects.some((p) => p.id === current)) throw notFound('project')
        const back = safeLocalPath(query.back, '/tasks')
        return respond(request, () => ({ html: ProjectNav({ projects, current, views, filter: query.filter || undefined, csrf, back }) }))
      },
      { page: true },
    )
    .post(
      '/projects',
      async ({ request, user, csrf, body }) => {
        const form = body as Form
        const name = first(form.name)
        // The form's ids, so two add boxes on one page stay apart; only letters, as an id takes them.
        const prefix = /^[a-z]{1,8}$/.test(first(form.prefix) ?? '') ? first(form.prefix)! : 'np'
        try {
          const project = await createProject(projectDeps, user, parseWith(CreateProjectInput, { name: name ?? '' }))
          return redirect(request, projectUrl(project.id))
        } catch (failure) {
          const error = shownError(failure)
          return respond(request, {
            htmx: () => ({ html: AddProject({ csrf, name, error, prefix }), status: 422 }),
            plain: async (nonce) => ({ html: await manage(user, csrf, nonce, { name, error }), status: 422 }),
          })
        }
      },
      { page: true },
    )
}
