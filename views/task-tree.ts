// The rows of a task list page: nested (each task that heads the list, its subtasks under it) or flat, each with its place.
import type { ParentRef } from '../src/features/tasks/list-tree'
import type { TaskRead, TaskView } from '../src/features/tasks/model'
import type { ListRow, RowPlace } from './task-context'

/** A task's own level, from its parent (which names its own parent): subtasks nest three levels at most. */
const depthOf = (task: TaskView, parents: ReadonlyMap<string, ParentRef>) => (!task.parent_id ? 0 : parents.get(task.parent_id)?.parent_id ? 2 : 1)

/** The place of a task shown on its own (flat, or swapped in alone), `indent` and `above` as its row had them. */
export function placeOf(task: TaskView, parents: ReadonlyMap<string, ParentRef>, indent = 0, above?: string): RowPlace {
  const parent = task.parent_id ? parents.get(task.parent_id) : undefined
  return { indent, depth: depthOf(task, parents), parent, above }
}

/** A page shown flat (a search or a filter): every task on its own, with its parent named. */
export const flatRows = (items: readonly TaskRead[], parents: ReadonlyMap<string, ParentRef>): ListRow[] =>
  items.map((task) => ({ task, place: placeOf(task, parents) }))

/**
 * A page of the tasks heading the list, each followed by its subtasks (and theirs), indented by level. A row's `above`
 * is the row before it at its level: the previous sibling, or the previous task heading the list (`before`, the last
 * of the page before, for the first).
 */
export function nestedRows(roots: readonly TaskRead[], subtasks: ReadonlyMap<string, readonly TaskRead[]>, parents: ReadonlyMap<string, ParentRef>, before?: string): ListRow[] {
  const rows: ListRow[] = []
  const walk = (task: TaskRead, place: RowPlace) => {
    rows.push({ task, place })
    let above: string | undefined
    for (const child of subtasks.get(task.id) ?? []) {
      walk(child, { indent: place.indent + 1, depth: place.depth + 1, parent: { id: task.id, title: task.title, parent_id: task.parent_id }, above })
      above = child.id
    }
  }
  let above = before
  for (const root of roots) {
    walk(root, placeOf(root, parents, 0, above))
    above = root.id
  }
  return rows
}
