// The task workspace page: the projects beside it, quick add, search and filters, and the list; each part is a swap target.
import { Html } from './html'
import { SEARCH_MAX } from '../src/features/tasks/list-query'
import { FILTER_MAX } from '../src/features/tasks/filter'
import { Layout } from './layout'
import { ProjectNav } from './projects'
import { QuickAdd, type TaskFormValues } from './task-forms'
import { TaskList } from './task-list'
import { hidden, listUrl, option, withParams, type ListContext, type ListData } from './task-context'

/** The tag chips: the active filters (each removes itself) and the most used tags (each adds itself). */
function TagFilters({ params, active, top }: { params: Record<string, string>; active: string[]; top: string[] }) {
  const others = top.filter((tag) => !active.includes(tag))
  if (active.length + others.length === 0) return ''
  // A group, so its name is allowed and read (an aria-label on a plain div is prohibited, and ignored).
  return (
    <div class="chips" role="group" aria-label="Filter by tag">
      {active.map((tag) => {
        const href = withParams(params, { tags: active.filter((t) => t !== tag).join(',') })
        return (
          <a class="chip active" href={href} hx-get={href} hx-target="#workspace" hx-swap="outerHTML" hx-push-url="true">
            <span safe>#{tag}</span> <span aria-hidden="true">×</span>
            <span class="visually-hidden">(remove this filter)</span>
          </a>
        )
      })}
      {others.map((tag) => {
        const href = withParams(params, { tags: [...active, tag].join(',') })
        return (
          <a class="chip" href={href} hx-get={href} hx-target="#workspace" hx-swap="outerHTML" hx-push-url="true" safe>
            #{tag}
          </a>
        )
      })}
    </div>
  )
}

function Filters({ ctx, data }: { ctx: ListContext; data: ListData }) {
  const p = ctx.params
  const activeTags = (p.tags ?? '').split(',').filter(Boolean)
  return (
    <form
      id="filters"
      class="filters"
      role="search"
      method="get"
      action="/tasks"
      hx-get="/tasks"
      hx-target="#task-list"
      hx-swap="outerHTML"
      hx-push-url="true"
      hx-trigger="input changed delay:300ms from:#search, change, submit"
    >
      <div class="line search-line">
        <label for="search" class="visually-hidden">Search tasks</label>
        <input id="search" type="search" name="search" value={p.search ?? ''} placeholder="Search tasks…" autocomplete="off" maxlength={SEARCH_MAX} />
        <label for="f-sort" class="visually-hidden">Sort by</label>
        <select id="f-sort" name="sort" class="fit">
          {option('', 'Newest first', p.sort)}
          {option('due_date', 'Due date', p.sort)}
          {option('priority', 'Priority', p.sort)}
          {option('title', 'Title', p.sort)}
        </select>
        <label for="f-order" class="visually-hidden">Order</label>
        <select id="f-order" name="order" class="fit">
          {option('', 'Natural order', p.order)}
          {option('asc', 'Ascending', p.order)}
          {option('desc', 'Descending', p.order)}
        </select>
      </div>
      <details open={p.priority || p.due_date_from || p.due_date_to || p.filter ? true : undefined}>
        <summary>Filters</summary>
        <div class="filter-query">
          <label for="f-filter">Filter</label>
          <input id="f-filter" type="text" name="filter" value={p.filter ?? ''} placeholder="today & p1, overdue | #work" autocomplete="off" spellcheck="false" maxlength={FILTER_MAX} aria-describedby="f-filter-help" />
          <p id="f-filter-help" class="hint">&amp; and, | or, ! not: today, overdue, p1, #tag, due before: +7d</p>
        </div>
        <div class="row">
          <div>
            <label for="f-priority">Priority</label>
            <select id="f-priority" name="priority">
              {option('', 'Any', p.priority)}
              {option('high', 'High', p.priority)}
              {option('medium', 'Medium', p.priority)}
              {option('low', 'Low', p.priority)}
            </select>
          </div>
          <div>
            <label for="f-from">Due from</label>
            <input id="f-from" type="date" name="due_date_from" value={p.due_date_from ?? ''} />
          </div>
          <div>
            <label for="f-to">Due to</label>
            <input id="f-to" type="date" name="due_date_to" value={p.due_date_to ?? ''} />
          </div>
        </div>
      </details>
      {p.status ? hidden('status', p.status) : ''}
      {p.tags ? hidden('tags', p.tags) : ''}
      {p.project_id ? hidden('project_id', p.project_id) : ''}
      <TagFilters params={p} active={activeTags} top={data.topTags} />
      <noscript>
        <button type="submit">Apply filters</button>
      </noscript>
    </form>
  )
}

/** Filters and list together: swapped whole when a link changes the filters themselves (a tag chip, a status). */
export function Workspace({ ctx, data }: { ctx: ListContext; data: ListData }) {
  return (
    <div id="workspace">
      <Filters ctx={ctx} data={data} />
      <TaskList ctx={ctx} data={data} />
    </div>
  )
}

export function WorkspacePage({
  ctx,
  data,
  nonce,
  email,
  quickAdd,
  error,
}: {
  ctx: ListContext
  data: ListData
  nonce: string
  email: string
  quickAdd?: { values: TaskFormValues; error: { field?: string; message: string } }
  error?: string
}) {
  const title = data.project?.name ?? 'Tasks'
  const archived = data.project?.archived
  const viewer = data.project?.role === 'viewer'
  const owner = !data.project || data.project.role === 'owner'
  return (
    <Layout title={title} nonce={nonce} csrf={ctx.csrf} email={email} active="tasks">
      <div class="board">
        <ProjectNav projects={data.projects} current={data.project?.id} views={data.views} filter={ctx.params.filter} csrf={ctx.csrf} back={listUrl(ctx.query)} invitations={data.invitations} />
        <div class="board-main">
          <div class="board-head">
            {data.project ? (
              <h1 class="board-title" safe>
                {data.project.name}
              </h1>
            ) : (
              <h1 class="board-title">All tasks</h1>
            )}
            {data.project ? (
              <a href={`/projects/${data.project.id}/settings`} class="button ghost">
                {owner ? 'Edit project' : 'Who has access'}<span class="visually-hidden" safe>{owner ? ` ${data.project.name}` : ` to ${data.project.name}`}</span>
              </a>
            ) : (
              ''
            )}
          </div>
          {error ? (
            <p class="form-error" role="alert" safe>
              {error}
            </p>
          ) : (
            ''
          )}
          {viewer ? (
            <p class="notice" safe>{`You can view this project's tasks; only its owner (${data.project!.owner_email}) and its editors change them.`}</p>
          ) : archived && !owner ? (
            <p class="notice">This project is archived: its owner can unarchive it to add tasks to it.</p>
          ) : archived ? (
            <p class="notice">
              This project is archived: <a href={`/projects/${data.project!.id}/settings`}>unarchive it</a> to add tasks to it.
            </p>
          ) : (
            <QuickAdd ctx={ctx} values={quickAdd?.values} error={quickAdd?.error} />
          )}
          <Workspace ctx={ctx} data={data} />
        </div>
      </div>
    </Layout>
  )
}
