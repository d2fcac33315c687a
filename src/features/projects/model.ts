// The project contract, once: what creating and changing one takes and how one reads; REST, OpenAPI, MCP and the service derive from it.
import { z } from 'zod'
import { invalid } from '../../lib/errors'
import { strictFields } from '../../lib/validation'
import { userText } from '../tasks/model'
import { PROJECT_COLORS, PROJECT_NAME_MAX } from './limits'
import type { Project } from './schema'

export { PROJECT_COLORS, PROJECT_NAME_MAX }

export const ProjectName = userText('name', PROJECT_NAME_MAX, 1).describe(`1 to ${PROJECT_NAME_MAX} characters, unique (whatever the case) among your projects`)
export const ProjectColorField = z
  .enum(PROJECT_COLORS, { error: `color must be one of ${PROJECT_COLORS.join(', ')}` })
  .describe(`One of ${PROJECT_COLORS.join(', ')}; default grey`)

export const CreateProjectInput = strictFields({ name: ProjectName, color: ProjectColorField.optional() }, 'project')
export type CreateProject = z.output<typeof CreateProjectInput>

export const UpdateProjectInput = strictFields(
  {
    name: ProjectName.optional(),
    color: ProjectColorField.optional(),
    archived: z.boolean({ error: 'archived must be true or false' }).optional().describe('true archives the project (its tasks stay, hidden from the default list), false brings it back'),
  },
  'project',
)
export type UpdateProject = z.output<typeof UpdateProjectInput>

/** What deleting a non-empty project does with its tasks: moves them to the Inbox, or deletes them (restorable like any deleted task). */
export const DELETE_CHOICES = ['move', 'delete'] as const
export type DeleteChoice = (typeof DELETE_CHOICES)[number]

export const ProjectViewSchema = z.object({
  id: z.string().describe('Project id (UUID)'),
  name: z.string(),
  color: z.enum(PROJECT_COLORS),
  is_inbox: z.boolean().describe('The account\'s Inbox: tasks added without a project go there; it cannot be renamed, archived or deleted'),
  archived: z.boolean(),
  archived_at: z.string().nullable(),
  position: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
})
export type ProjectView = z.output<typeof ProjectViewSchema>

/** One project as its reader sees it: with their role in it. */
export const ProjectReadSchema = ProjectViewSchema.extend({
  role: z.enum(['owner', 'editor', 'viewer']).describe('Yours: owner, or editor/viewer of a project shared with you'),
})

/** A project in a list, with its counts for a sidebar, and whose it is. */
export const ProjectListItemSchema = ProjectViewSchema.extend({
  role: z.enum(['owner', 'editor', 'viewer']).describe('Yours: owner, or editor/viewer of a project shared with you'),
  owner_email: z.string().describe('The owner\'s email (yours for your own projects)'),
  open_count: z.number().int().describe('Open (pending) tasks in the project'),
  overdue_count: z.number().int().describe('Open tasks whose due date has passed'),
})
export type ProjectListItem = z.output<typeof ProjectListItemSchema>

export const toProjectView = (row: Project): ProjectView => ({
  id: row.id,
  name: row.name,
  color: row.color as ProjectView['color'],
  is_inbox: row.isInbox,
  archived: row.archivedAt !== null,
  archived_at: row.archivedAt?.toISOString() ?? null,
  position: row.position,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
})

/** The `tasks` choice of a delete, as a query string carries it; anything else is a 400 naming `tasks`. */
export function parseDeleteChoice(raw: string | undefined): DeleteChoice | undefined {
  if (raw === undefined || raw.trim() === '') return undefined
  const choice = raw.trim().toLowerCase()
  if (!(DELETE_CHOICES as readonly string[]).includes(choice)) throw invalid('tasks', `tasks must be ${DELETE_CHOICES.join(' or ')} (got "${raw.slice(0, 40)}")`)
  return choice as DeleteChoice
}

/** A yes/no query parameter (true/false, 1/0); anything else is a 400 naming it. */
export function parseFlag(raw: string | undefined, field: string): boolean {
  if (raw === undefined || raw.trim() === '') return false
  const value = raw.trim().toLowerCase()
  if (value === 'true' || value === '1') return true
  if (value === 'false' || value === '0') return false
  throw invalid(field, `${field} must be true or false`)
}
