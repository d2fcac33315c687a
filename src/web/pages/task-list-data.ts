// What the task list's pages read: the list a URL stands for (its page, counts, tags, due groups, saved views, projects),
// nested or flat (docs/ui.md, "Subtasks"), and the context its rows are drawn in. The routes are in tasks.ts.
import { notFound } from '../../lib/errors'
import type { AuthUser } from '../../features/auth/service'
import { listSavedFilters } from '../../features/filters/service'
import { listProjects } from '../../features/projects/service'
import { myInvitations } from '../../features/projects/sharing'
import { dueEdges, dueGroupCounts, dueGroupOf } from '../../features/tasks/due-groups'
import { filterNamesStatus } from '../../features/tasks/filter'
import { listTasks, statusCounts, topTags } from '../../features/tasks/list'
import { LIST_PARAMS, parseListQuery } from '../../features/tasks/list-query'
import { listRoots, listedSubtasks, parentsOf } from '../../features/tasks/list-tree'
import type { TaskRead, TaskView } from '../../features/tasks/model'
import { taskScope } from '../../features/tasks/owned'
import { getTask, type TaskDeps } from '../../features/tasks/service'
import type { ListContext, ListData } from '../../../views/task-context'
import { ProgressPartial, readPlace } from '../../../views/task-subtasks'
import { flatRows, nestedRows, placeOf } from '../../../views/task-tree'

/** The list parameters of a URL's query, keeping only known, non-empty ones, in a stable order. */
export function listParams(search: URLSearchParams): Record<string, string> {
  const params: Record<string, string> = {}
  for (const key of LIST_PARAMS) {
    const value = search.get(key)?.trim()
    if (value) params[key] = value
  }
  return params
}

const queryOf = (params: Record<string, string>) => new URLSearchParams(params).toString()

/** Tasks the list page shows at a time. */
const PAGE_SIZE = '50'

/**
 * The list query a page's URL stands for: open tasks unless it asks for completed ones or `status=all`, or its
 * filter names a status itself (`search: invoice & completed`, as the API reads it); 50 at a time. The URL stays
 * as short as the person left it.
 */
function pageQuery(params: Record<string, string>): Record<string, string> {
  const { status, ...rest } = params
  if (status === undefined && rest.filter !== undefined && filterNamesStatus(rest.filter)) return { limit: PAGE_SIZE, ...rest }
  return { limit: PAGE_SIZE, ...rest, status: status === 'all' ? 'pending,completed' : (status ?? 'pending') }
}

/**
 * Parameters that narrow the list to the tasks matching them: with any of them the list is shown flat, each subtask
 * naming its parent; without, subtasks show under their parents (docs/ui.md, "Subtasks").
 */
const NARROWING = ['search', 'priority', 'tags', 'due_date_from', 'due_date_to', 'filter', 'parent_id', 'top_level'] as const
export const nestedList = (params: Record<string, string>) => !NARROWING.some((key) => params[key] !== undefined)

/** The readers of the task list's pages, over `taskDeps`. */
export function taskListData(taskDeps: TaskDeps) {
  const now = () => taskDeps.clock()

  /** A list context whose rows offer the user's projects (the edit form's select, the row's Move menu). */
  async function contextWithProjects(user: AuthUser, csrf: string, params: Record<string, string>): Promise<ListContext> {
    return { ...contextFor(user, csrf, params), projects: await listProjects(taskDeps, user, { archived: true }) }
  }

  function contextFor(user: AuthUser, csrf: string, params: Record<string, string>): ListContext {
    const { cursor: _, ...withoutCursor } = params
    const filterStatus = params.filter !== undefined && filterNamesStatus(params.filter)
    return { csrf, timezone: user.timezone, now: now(), params, query: queryOf(withoutCursor), filterStatus }
  }

  async function loadList(user: AuthUser, params: Record<string, string>): Promise<ListData> {
    const query = parseListQuery(pageQuery(params), user.timezone, now())
    const edges = dueEdges(now(), user.timezone)
    // Nested, a page is of the tasks heading the list (their due-date groups too); the status tabs count every task.
    const nested = nestedList(params)
    const heads = nested ? { ...query, where: listRoots(query.statuses) } : query
    const scope = await taskScope(taskDeps.db, user.id)
    const [page, counts, tags, groupCounts, views, projects, invitations] = await Promise.all([
      listTasks(taskDeps.db, scope, heads),
      statusCounts(taskDeps.db, scope, query),
      topTags(taskDeps.db, scope, 12),
      query.sort === 'due_date' ? dueGroupCounts(taskDeps.db, scope, heads, edges) : undefined,
      listSavedFilters(taskDeps, user),
      listProjects(taskDeps, user, { archived: true }),
      myInvitations(taskDeps, user),
    ])
    // Another person's project in the URL is not there at all (a 404), like their task.
    if (query.projects?.some((id) => !projects.some((p) => p.id === id))) throw notFound('project')
    const project = query.projects?.length === 1 ? projects.find((p) => p.id === query.projects![0]) : undefined
    const groups = groupCounts && {
      edges,
      counts: groupCounts,
      openOnly: query.statuses.length === 1 && query.statuses[0] === 'pending',
      after: query.cursor ? dueGroupOf(query.cursor.k, edges) : null,
    }
    const [subtasks, parents] = await Promise.all([
      nested ? listedSubtasks(taskDeps.db, user.id, page.items.map((task) => task.id), query.statuses, user.timezone) : new Map<string, TaskRead[]>(),
      parentsOf(taskDeps.db, user.id, page.items),
    ])
    // A later page's first task goes under the previous page's last (the cursor's task) when indented.
    const rows = nested ? nestedRows(page.items, subtasks, parents, query.cursor?.id) : flatRows(page.items, parents)
    return { page, rows, counts, topTags: tags, groups, views, projects, project, invitations: invitations.length }
  }

  /** A row swapped in alone: its place as the page had it (`place`, from its form or link), its parent read again. */
  async function placeFor(user: AuthUser, task: TaskView, raw: string | undefined) {
    const { indent, above } = readPlace(raw)
    return placeOf(task, await parentsOf(taskDeps.db, user.id, [task]), indent, above)
  }

  /** The parent's progress mark, for an answer about one of its subtasks (none for a top-level task). */
  async function parentProgress(user: AuthUser, task: TaskView) {
    if (!task.parent_id) return []
    // Deleted with its parent meanwhile: there is no mark left to update.
    const parent = await getTask(taskDeps, user, task.parent_id).catch(() => undefined)
    return parent ? [ProgressPartial({ parent })] : []
  }

  /** Counts per status under the list's other filters (a bad filter in `back` counts everything). */
  async function countsFor(user: AuthUser, params: Record<string, string>) {
    let query
    try {
      query = parseListQuery(pageQuery(params), user.timezone, now())
    } catch {
      query = parseListQuery({}, user.timezone, now())
    }
    return statusCounts(taskDeps.db, await taskScope(taskDeps.db, user.id), query)
  }

  return { contextFor, contextWithProjects, loadList, placeFor, parentProgress, countsFor }
}
