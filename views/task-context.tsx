// What the task list's parts share: the list's context and data, its URLs, and the hidden fields every form carries.
import { Html } from './html'
import type { StatusCounts, TaskPage } from '../src/features/tasks/list'
import type { ParentRef } from '../src/features/tasks/list-tree'
import type { TaskRead } from '../src/features/tasks/model'
import type { DueEdges, DueGroup, DueGroupCounts } from '../src/features/tasks/due-groups'
import type { ProjectListItem } from '../src/features/projects/model'
import type { SavedFilterView } from '../src/features/filters/model'

/** What every list rendering needs to know. */
export interface ListContext {
  csrf: string
  timezone: string
  now: Date
  /** The list's canonical query string (no leading ?), e.g. `tags=home&sort=due_date`. */
  query: string
  /** The list parameters as given (only non-empty ones). */
  params: Record<string, string>
  /** The filter names a status itself (`completed`, `open`): without a status in the URL, no status tab is the list's. */
  filterStatus?: boolean
  /** The user's projects, when the rows offer them (the edit form's select, the row's Move menu, the project mark). */
  projects?: ProjectListItem[]
}

/** Where a row stands in the list: its indent under the rows above, its level, its parent, the task an indent puts it under. */
export interface RowPlace {
  /** Steps indented under the rows above it: 0 for a task that heads the list, and on a list shown flat. */
  indent: number
  /** The task's own level: 0 top-level, 1 a subtask, 2 a sub-subtask. */
  depth: number
  parent?: ParentRef
  /** The task above it at its level (a sibling, or the previous task heading the list), which an indent makes its parent. */
  above?: string
}

/** A row of the list: a task and its place. */
export interface ListRow {
  task: TaskRead
  place: RowPlace
}

export interface ListData {
  page: TaskPage
  /** The page's rows in the order shown: each task heading the list with its subtasks under it, or the page flat. */
  rows: ListRow[]
  /** Per status, each counted up to TOTAL_CAP. */
  counts: StatusCounts
  /** The user's most used tags, for filter chips. */
  topTags: string[]
  /** The user's saved filters, shown as saved views. */
  views: SavedFilterView[]
  /** The user's projects (archived ones too), for the sidebar. */
  projects: ProjectListItem[]
  /** How many project invitations wait for the user's answer (the sidebar's notice). */
  invitations?: number
  /** The project whose list this is, when the list is one project's. */
  project?: ProjectListItem
  /** Why the list is not the one asked for (a malformed filter), said above it. */
  error?: string
  /** Sorted by due date, the list reads in groups (Overdue, Today, Tomorrow, Later, No date). */
  groups?: DueGroups
}

export interface DueGroups {
  edges: DueEdges
  /** Each group's tasks under the list's filters, not just this page's. */
  counts: DueGroupCounts
  /** Only open tasks are listed, so what is due before today is overdue (else it is just earlier). */
  openOnly: boolean
  /** The group the previous page ended in (a later page starts by continuing it). */
  after: DueGroup | null
}

/**
 * The list a query string stands for: one project's page when it names a single project (`/projects/<id>`), else
 * the list of all tasks.
 */
export function listUrl(query: string): string {
  const params = new URLSearchParams(query)
  const project = params.get('project_id')
  if (!project || project.includes(',')) return query ? `/tasks?${query}` : '/tasks'
  params.delete('project_id')
  const rest = params.toString()
  return `/projects/${encodeURIComponent(project)}${rest ? `?${rest}` : ''}`
}

/** The list parameters a list URL carries, the project of a `/projects/<id>` path among them. */
export function paramsOfListUrl(url: URL): URLSearchParams {
  const params = new URLSearchParams(url.searchParams)
  const project = /^\/projects\/([^/]+)$/.exec(url.pathname)?.[1]
  if (project) params.set('project_id', decodeURIComponent(project))
  return params
}

/** The list URL with some parameters changed (a value of '' removes one); paging restarts. */
export function withParams(params: Record<string, string>, changes: Record<string, string>): string {
  const merged: Record<string, string> = { ...params, ...changes }
  if (!changes.cursor) delete merged.cursor
  const next = new URLSearchParams()
  for (const [k, v] of Object.entries(merged)) if (v) next.set(k, v)
  return listUrl(next.toString())
}

export const hidden = (name: string, value: string) => <input type="hidden" name={name} value={value} />

/** The CSRF token and the list to come back to, carried by every form of the list. */
export function FormKeys({ ctx }: { ctx: ListContext }) {
  return (
    <>
      {hidden('_csrf', ctx.csrf)}
      {hidden('back', listUrl(ctx.query))}
    </>
  )
}


/**
 * Whether the user only reads this task: it is in a project shared with them as a viewer. Its row then offers no
 * control that would change it (docs/ui.md, "Shared projects"); without the projects known, the row is the user's.
 */
export const viewOnly = (task: Pick<TaskRead, 'project_id'>, projects: ProjectListItem[] | undefined): boolean =>
  projects?.find((p) => p.id === task.project_id)?.role === 'viewer'

/** A select's option, selected when it is the current value. */
export const option = (value: string, label: string, current: string | undefined) => (
  <option value={value} selected={value === (current ?? '')} safe>
    {label}
  </option>
)
