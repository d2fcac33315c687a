// The task list as a tree (the web list's nesting): a page of the tasks that head it, their subtasks under them, and
// the parents of tasks listed without theirs.
import { and, asc, inArray, isNull, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { SUBTASK_LEVELS, toTaskView, type TaskRead, type TaskStatus, type TaskView } from './model'
import { visibleTo } from './owned'
import { tasks } from './schema'
import { withProgress } from './subtasks'

/** A task's parent as a row names it: for the "in …" hint and the level an outdent goes to. */
export interface ParentRef {
  id: string
  title: string
  parent_id: string | null
}

/**
 * The tasks that head a nested list of `statuses`: those without a parent, and those whose parent is not listed (an
 * open subtask of a completed task, on the list of open tasks), which then stand on their own. Every other listed
 * task shows under its parent. A condition for the list query's `where`.
 */
export function listRoots(statuses: readonly TaskStatus[]): SQL {
  if (statuses.length === 0 || statuses.length === 2) return isNull(tasks.parentId)
  const listed = sql.join(statuses.map((status) => sql`${status}`), sql`, `)
  return sql`(${tasks.parentId} is null or not exists (select 1 from ${tasks} listed_parent where listed_parent.id = ${tasks.parentId} and listed_parent.status in (${listed})))`
}

/**
 * The subtasks of `rootIds` in `statuses`, level by level below them, each with its own subtasks' progress, by
 * parent id; siblings in the order they were added. The depth limit bounds the walk.
 */
export async function listedSubtasks(db: Db, userId: string, rootIds: readonly string[], statuses: readonly TaskStatus[], timeZone: string): Promise<Map<string, TaskRead[]>> {
  const byParent = new Map<string, TaskRead[]>()
  let ids = [...rootIds]
  for (let level = 1; level < SUBTASK_LEVELS && ids.length > 0; level++) {
    const rows = await db
      .select()
      .from(tasks)
      .where(and(visibleTo(userId), inArray(tasks.parentId, ids), statuses.length ? inArray(tasks.status, [...statuses]) : undefined))
      .orderBy(asc(tasks.createdAt), asc(tasks.id))
    if (rows.length === 0) break
    const read = await withProgress(db, rows.map((row) => toTaskView(row, timeZone)))
    for (const task of read) {
      const siblings = byParent.get(task.parent_id!) ?? []
      siblings.push(task)
      byParent.set(task.parent_id!, siblings)
    }
    ids = read.map((task) => task.id)
  }
  return byParent
}

/** The parents of `views` that have one (among the tasks the user sees), by id, in one query. */
export async function parentsOf(db: Db, userId: string, views: readonly TaskView[]): Promise<Map<string, ParentRef>> {
  const ids = [...new Set(views.map((view) => view.parent_id).filter((id): id is string => id !== null))]
  if (ids.length === 0) return new Map()
  const rows = await db
    .select({ id: tasks.id, title: tasks.title, parent_id: tasks.parentId })
    .from(tasks)
    .where(and(visibleTo(userId), inArray(tasks.id, ids)))
  return new Map(rows.map((row) => [row.id, row]))
}
