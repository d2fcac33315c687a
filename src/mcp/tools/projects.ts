// Project tools: list (with open and overdue counts), add, update (rename, recolour, archive), delete (with the tasks' fate).
import { z } from 'zod'
import { projectByRef } from '../../features/projects/access'
import { CreateProjectInput, DELETE_CHOICES, ProjectColorField, ProjectListItemSchema, ProjectName, ProjectViewSchema } from '../../features/projects/model'
import { createProject, deleteProject, listProjects, updateProject } from '../../features/projects/service'
import { defineTool, READ_ONLY, WRITES, type ToolContext } from '../tool'

const projectRef = z.string().describe('The project: its id (from list_projects) or its name, whatever the case')

export const listProjectsTool = defineTool({
  name: 'list_projects',
  title: 'List projects',
  description:
    "Lists the user's projects, the Inbox first (where tasks added without a project go), then the projects others share with them; each with the user's role (owner, editor, viewer: a viewer may only read its tasks), owner_email, open_count (open tasks) and overdue_count (open tasks due before today). Archived projects are left out unless archived is true.",
  input: { archived: z.boolean().optional().describe('true to list archived projects too; default false') },
  output: { items: z.array(ProjectListItemSchema) },
  annotations: READ_ONLY,
  run: async (ctx, { archived }) => ({ items: await listProjects(ctx, ctx.user, { archived }) }),
})

export const addProjectTool = defineTool({
  name: 'add_project',
  title: 'Add a project',
  description: 'Makes a project (a list of tasks). The name must be new among the user\'s projects, whatever its case. Returns the project with its id; put tasks in it with add_task\'s project.',
  input: CreateProjectInput.shape,
  output: ProjectViewSchema.shape,
  annotations: WRITES,
  run: (ctx, args) => createProject(ctx, ctx.user, args),
})

export const updateProjectTool = defineTool({
  name: 'update_project',
  title: 'Rename, recolour or archive a project',
  description:
    'Changes only the fields given: name, color, archived (true hides the project and refuses new tasks in it; false brings it back). The Inbox can be recoloured but not renamed or archived.',
  input: {
    project: projectRef,
    name: ProjectName.optional().describe('A new name, unique among the user\'s projects'),
    color: ProjectColorField.optional(),
    archived: z.boolean().optional().describe('true archives, false unarchives'),
  },
  output: ProjectViewSchema.shape,
  annotations: { ...WRITES, idempotentHint: true },
  run: async (ctx, { project, ...changes }) => updateProject(ctx, ctx.user, (await projectByRef(ctx.db, ctx.user, project)).id, changes),
})

export const deleteProjectTool = defineTool({
  name: 'delete_project',
  title: 'Delete a project',
  description:
    'Deletes a project. If it has tasks, tasks must say what becomes of them: move (into the Inbox) or delete (each can be restored with restore_task for 30 days); without it such a delete is refused. Ask the user before deleting a project with tasks. The Inbox cannot be deleted. Returns how many tasks were moved or deleted.',
  input: {
    project: projectRef,
    tasks: z.enum(DELETE_CHOICES).optional().describe('move or delete: required when the project has tasks'),
  },
  output: { deleted: z.string().describe('The deleted project\'s id'), tasks: z.number().int().describe('Tasks moved or deleted with it') },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  run: async (ctx, { project, tasks }) => {
    const { id } = await projectByRef(ctx.db, ctx.user, project)
    return { deleted: id, ...(await deleteProject(ctx, ctx.user, id, tasks)) }
  },
})

/** The `project` a task tool takes (an id or a name), described for the tool it is on. */
export const projectArg = (what: string) => ({ project: projectRef.optional().describe(`${what}: its id or its name, whatever the case (list_projects shows them)`) })

/** A task tool's arguments with `project` (an id or a name) turned into the project_id the task services take. */
export async function withProjectId<T extends { project?: string }>(ctx: ToolContext, args: T): Promise<Omit<T, 'project'> & { project_id?: string }> {
  const { project, ...rest } = args
  return project === undefined ? rest : { ...rest, project_id: (await projectByRef(ctx.db, ctx.user, project)).id }
}
