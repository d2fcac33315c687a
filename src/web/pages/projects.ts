// Projects in the browser: the sidebar fragment (a live part), adding a project, and the page that lists them all.
// A project's own list is the task list's (pages/tasks.ts, /projects/:id).
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { AppError, notFound } from '../../lib/errors'
import { redirect, safeLocalPath } from '../../lib/htmx'
import { parseWith } from '../../lib/validation'
import type { AuthUser } from '../../features/auth/service'
import { listSavedFilters } from '../../features/filters/service'
import { CreateProjectInput, parseDeleteChoice, UpdateProjectInput } from '../../features/projects/model'
import { createProject, deleteProject, listProjects, updateProject, type ProjectDeps } from '../../features/projects/service'
import { myInvitations } from '../../features/projects/sharing'
import { AddProject, ProjectNav, projectUrl } from '../../../views/projects'
import { ProjectsPage } from '../../../views/project-pages'
import { first, withFormErrors, type Form, type FormError } from '../forms'
import { respond } from '../respond'
import { webSession } from '../session'
import { projectSettings, shownError } from './project-settings'
import { sharingPages } from './sharing'

export const projectPages = (deps: AppDeps) => {
  const projectDeps: ProjectDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }

  const manage = async (user: AuthUser, csrf: string, nonce: string, add?: { name?: string; error: FormError }) =>
    ProjectsPage({ projects: await listProjects(projectDeps, user, { archived: true }), csrf, nonce, email: user.email, add })

  const { projectOf, settings } = projectSettings(projectDeps)

  return new Elysia({ name: 'project-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    // Sharing's forms live on the settings page; composed here, so the app's chain stays as deep as the type checker allows.
    .use(sharingPages(deps))
    .get('/projects', ({ request, user, csrf }) => respond(request, async (nonce) => ({ html: await manage(user, csrf, nonce) })), { page: true })
    .get(
      '/projects/nav',
      // The sidebar alone, for a live refresh: the project shown and the list's filter mark their links.
      async ({ request, user, csrf, query }) => {
        const [projects, views, invitations] = await Promise.all([listProjects(projectDeps, user, { archived: true }), listSavedFilters(projectDeps, user), myInvitations(projectDeps, user)])
        const current = query.current?.trim() || undefined
        if (current && !projects.some((p) => p.id === current)) throw notFound('project')
        const back = safeLocalPath(query.back, '/tasks')
        return respond(request, () => ({ html: ProjectNav({ projects, current, views, filter: query.filter || undefined, csrf, back, invitations: invitations.length }) }))
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
    .get('/projects/:id/settings', ({ request, user, csrf, params }) => settings(request, user, csrf, params.id), { page: true })
    .post(
      '/projects/:id',
      // Rename and recolour: only the fields the form sent change (the Inbox's form sends no name).
      async ({ request, user, csrf, params, body }) => {
        const form = body as Form
        await projectOf(user, params.id)
        const fields = { ...(form.name !== undefined ? { name: first(form.name) } : {}), ...(form.color !== undefined ? { color: first(form.color) } : {}) }
        try {
          await updateProject(projectDeps, user, params.id, parseWith(UpdateProjectInput, fields))
          return redirect(request, projectUrl(params.id))
        } catch (failure) {
          return settings(request, user, csrf, params.id, { ...fields, error: shownError(failure), form: 'edit' })
        }
      },
      { page: true },
    )
    .post(
      '/projects/:id/archive',
      async ({ request, user, params, body }) => {
        await projectOf(user, params.id)
        await updateProject(projectDeps, user, params.id, { archived: first((body as Form).archived) === 'true' })
        return redirect(request, projectUrl(params.id))
      },
      { page: true },
    )
    .post(
      '/projects/:id/delete',
      // Deleting asks what happens to the tasks: without an answer nothing is deleted and the page says why.
      async ({ request, user, csrf, params, body }) => {
        await projectOf(user, params.id)
        return withFormErrors(
          async () => {
            const choice = parseDeleteChoice(first((body as Form).tasks))
            if (!choice) throw new AppError('validation_failed', 'choose what happens to its tasks: move them to the Inbox, or delete them', 'tasks')
            await deleteProject(projectDeps, user, params.id, choice)
            return redirect(request, '/tasks')
          },
          (error) => settings(request, user, csrf, params.id, { error, form: 'delete' }),
        )
      },
      { page: true },
    )
}
