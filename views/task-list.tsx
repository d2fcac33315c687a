// The list region of the task workspace: status counts, bulk actions, the rows (in due-date groups when sorted by due date) and paging.
import { Html } from './html'
import { TOTAL_CAP } from '../src/db/capped-count'
import { dueGroupOf, type DueGroup } from '../src/features/tasks/due-groups'
import { totalLabel } from './format'
import { Partial } from './layout'
import { SaveView } from './saved-views'
import { TaskItem } from './task-row'
import { FormKeys, listUrl, withParams, type DueGroups, type ListContext, type ListData, type ListRow } from './task-context'

type Counts = ListData['counts']

function Counts({ ctx, counts }: { ctx: ListContext; counts: Counts }) {
  // Open tasks are the list's default: no status in the URL.
  const link = (status: string, label: string, n: number, exact: boolean) => {
    const href = withParams(ctx.params, { status })
    const current = ctx.params.status !== undefined ? ctx.params.status === status : status === '' && !ctx.filterStatus
    return (
      <a href={href} hx-get={href} hx-target="#workspace" hx-swap="outerHTML" hx-push-url="true" aria-current={current ? 'true' : undefined}>
        <span safe>{label}</span> <span class="count" safe>{totalLabel(n, exact)}</span>
      </a>
    )
  }
  // Past the cap on either side, All is just as capped: "1,000+".
  const exact = counts.pending.total_is_exact && counts.completed.total_is_exact
  const all = { total: exact ? counts.pending.total + counts.completed.total : TOTAL_CAP, total_is_exact: exact }
  return (
    <nav id="counts" class="counts" aria-label="Status">
      {link('', 'Open', counts.pending.total, counts.pending.total_is_exact)}
      {link('completed', 'Completed', counts.completed.total, counts.completed.total_is_exact)}
      {link('all', 'All', all.total, all.total_is_exact)}
    </nav>
  )
}

/** The counts, swapped on their own when a change moves a task between statuses. */
export const CountsPartial = (props: { ctx: ListContext; counts: Counts }) => (
  <Partial target="#counts" swap="outerHTML">
    <Counts {...props} />
  </Partial>
)

function Pager({ ctx, next }: { ctx: ListContext; next: string | null }) {
  if (!next) return <div id="pager"></div>
  const href = withParams(ctx.params, { cursor: next })
  return (
    <div id="pager" class="pager">
      <a href={href} hx-get={href} hx-target="#pager" hx-swap="outerHTML" class="button">
        Load more
      </a>
    </div>
  )
}

/** The next page of items appended to the list (in its groups, when it has them), and the pager replaced. */
export function MoreItems({ ctx, data }: { ctx: ListContext; data: ListData }) {
  return (
    <>
      <Pager ctx={ctx} next={data.page.next_cursor} />
      <Partial target="#task-items" swap="beforeend">
        {data.groups ? (
          <GroupSections ctx={ctx} rows={data.rows} groups={data.groups} />
        ) : (
          data.rows.map((row) => <TaskItem task={row.task} place={row.place} ctx={ctx} />)
        )}
      </Partial>
    </>
  )
}

const GROUP_LABEL: Record<DueGroup, string> = { overdue: 'Overdue', today: 'Today', tomorrow: 'Tomorrow', later: 'Later', none: 'No date' }

/**
 * A page's tasks in their due-date groups, each under a heading with the group's count. A group that began on an
 * earlier page says "continued"; Overdue folds away with the button its heading holds (docs/ui.md, "Order on the page").
 */
function GroupSections({ ctx, rows, groups }: { ctx: ListContext; rows: ListRow[]; groups: DueGroups }) {
  const runs: Array<{ group: DueGroup; rows: ListRow[] }> = []
  for (const row of rows) {
    const last = runs.at(-1)
    // A subtask stays under its parent, whatever its own due date: the group is its parent's.
    const group = last && row.place.indent > 0 ? last.group : dueGroupOf(row.task.due_date, groups.edges)
    if (last?.group === group) last.rows.push(row)
    else runs.push({ group, rows: [row] })
  }
  return (
    <>
      {runs.map(({ group, rows }, i) => {
        const key = `${group}-${rows[0]!.task.id.slice(0, 8)}`
        const count = groups.counts[group]
        const label = group === 'overdue' && !groups.openOnly ? 'Earlier' : GROUP_LABEL[group]
        const title = (
          <>
            <span safe>{label}</span>
            {i === 0 && groups.after === group ? <span class="continued"> (continued)</span> : ''}{' '}
            <span class="count">
              <span safe>{totalLabel(count.total, count.total_is_exact)}</span>
              <span class="visually-hidden">{count.total === 1 && count.total_is_exact ? ' task' : ' tasks'}</span>
            </span>
          </>
        )
        return (
          <section class="task-group" data-group={group} aria-labelledby={`group-${key}`}>
            <h2 id={`group-${key}`} class="group-head">
              {group === 'overdue' ? (
                <button type="button" class="fold" aria-expanded="true" aria-controls={`group-list-${key}`} data-fold={group}>
                  <span class="chevron" aria-hidden="true"></span>
                  {title}
                </button>
              ) : (
                title
              )}
            </h2>
            <ul class="tasks" id={`group-list-${key}`}>
              {rows.map((row) => (
                <TaskItem task={row.task} place={row.place} ctx={ctx} />
              ))}
            </ul>
          </section>
        )
      })}
    </>
  )
}

function EmptyState({ ctx, data }: { ctx: ListContext; data: ListData }) {
  const filtered = Object.keys(ctx.params).some((k) => k !== 'sort' && k !== 'order' && k !== 'project_id')
  if (filtered && data.counts.pending.total + data.counts.completed.total + data.page.total > 0) {
    const clear = withParams({}, { project_id: ctx.params.project_id ?? '' })
    return (
      <div id="empty-state" class="empty">
        <p>No tasks match these filters.</p>
        <a href={clear} hx-get={clear} hx-target="#workspace" hx-swap="outerHTML" hx-push-url="true" class="button">
          Clear filters
        </a>
      </div>
    )
  }
  return (
    <div id="empty-state" class="empty">
      <p>{filtered ? 'No tasks match these filters.' : data.project ? data.project.role === 'viewer' ? 'No tasks in this project yet.' : 'No tasks in this project yet. Add one above: press n to start typing.' : 'Nothing to do yet. Add your first task above: press n to start typing.'}</p>
    </div>
  )
}

/** The list region: counts, bulk actions, items, pager. Reloads itself when tasks change here or elsewhere (`data-live`). */
export function TaskList({ ctx, data }: { ctx: ListContext; data: ListData }) {
  return (
    <section id="task-list" aria-label="Tasks" hx-get={listUrl(ctx.query)} hx-trigger="tasks-changed from:body" hx-target="this" hx-swap="outerHTML" data-live="tasks">
      <div class="list-head">
        <Counts ctx={ctx} counts={data.counts} />
        {/* A viewer's project has nothing to select: its rows change nothing. */}
        {data.project?.role === 'viewer' ? (
          ''
        ) : (
          <form id="bulk" method="post" action="/tasks/bulk" hx-post="/tasks/bulk" hx-swap="none" class="bulk">
            <FormKeys ctx={ctx} />
            <label class="select-all">
              <input type="checkbox" data-select-all /> <span>Select all</span>
            </label>
            <button type="submit" name="action" value="complete" class="ghost">Complete selected</button>
            <button type="submit" name="action" value="delete" class="ghost danger">Delete selected</button>
          </form>
        )}
      </div>
      {data.error ? (
        <p class="form-error" role="alert" safe>
          {data.error}
        </p>
      ) : (
        ''
      )}
      {ctx.params.filter && !data.views.some((view) => view.query === ctx.params.filter) ? <SaveView query={ctx.params.filter} csrf={ctx.csrf} /> : ''}
      {data.groups ? (
        <div id="task-items" class="task-groups">
          <GroupSections ctx={ctx} rows={data.rows} groups={data.groups} />
        </div>
      ) : (
        <ul id="task-items" class="tasks">
          {data.rows.map((row) => (
            <TaskItem task={row.task} place={row.place} ctx={ctx} />
          ))}
        </ul>
      )}
      {data.page.items.length === 0 ? <EmptyState ctx={ctx} data={data} /> : ''}
      <Pager ctx={ctx} next={data.page.next_cursor} />
    </section>
  )
}
