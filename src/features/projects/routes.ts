// REST routes for projects under /api/v1/projects: thin wrappers that parse, call one service, and shape the answer.
import { Elysia, t } from 'elysia'
import { z } from 'zod'
import { seedOf, type AppDeps } from '../../context'
import { ErrorBody } from '../../lib/api-schemas'
import { authGuard } from '../auth/guard'
import { CreateProjectInput, parseDeleteChoice, parseFlag, ProjectListItemSchema, ProjectReadSchema, ProjectViewSchema as Project, UpdateProjectInput } from './model'
import { createProject, deleteProject, getProject, listProjects, updateProject, type ProjectDeps } from './service'

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody }

export const projectRoutes = (deps: AppDeps) => {
  const projectDeps: ProjectDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }
  return new Elysia({ name: 'project-routes', prefix: '/api/v1/projects', seed: seedOf(deps), detail: { tags: ['Projects'] } })
    .use(authGuard(deps))
    .get('', async ({ user, query }) => ({ items: await listProjects(projectDeps, user, { archived: parseFlag(query.archived, 'archived') }) }), {
      auth: true,
      query: t.Object({ archived: t.Optional(t.String({ description: 'true to list archived projects too (default false)' })) }, { additionalProperties: false }),
      response: { 200: z.object({ items: z.array(ProjectListItemSchema) }), ...errors },
      detail: {
        summary: 'Your projects, the Inbox first, with their open and overdue counts',
        description: 'Show one project\'s tasks with `GET /api/v1/tasks?project_id=<id>`. Overdue means open and due before today began in your time zone.',
      },
    })
    .post('', async ({ user, body, status }) => status(201, await createProject(projectDeps, user, body)), {
      auth: true,
      parse: 'json',
      body: CreateProjectInput,
      response: { 201: Project, ...errors },
      detail: { summary: 'Make a project at the end of your list', description: 'A name already used (whatever its case) is a 409 naming `name`; at most PROJECTS_PER_USER (default 300) projects per account.' },
    })
    .get('/:id', ({ user, params }) => getProject(projectDeps, user, params.id), {
      auth: true,
      response: { 200: ProjectReadSchema, ...errors },
      detail: { summary: 'Get one project: yours, or one shared with you (with your role in it)' },
    })
    .patch('/:id', ({ user, params, body }) => updateProject(projectDeps, user, params.id, body), {
      auth: true,
      parse: 'json',
      body: UpdateProjectInput,
      response: { 200: Project, ...errors },
      detail: { summary: 'Rename, recolour, archive or unarchive a project', description: 'Only the fields sent change. The Inbox can be recoloured but not renamed or archived (409).' },
    })
    .delete('/:id', async ({ user, params, query, status }) => {
      await deleteProject(projectDeps, user, params.id, parseDeleteChoice(query.tasks))
      return status(204, undefined)
    }, {
      auth: true,
      query: t.Object({ tasks: t.Optional(t.String({ description: 'What happens to the project\'s tasks: move (to the Inbox) or delete (each restorable from the trash like a deleted task). Required when the project has tasks' })) }, { additionalProperties: false }),
      response: { 204: t.Undefined(), ...errors },
      detail: { summary: 'Delete a project', description: 'A project with tasks and no `tasks` choice is a 409 naming `tasks`; the Inbox cannot be deleted (409).' },
    })
}
