// Saved views beside the task list: each saved filter as a link that opens the list filtered, and the form that saves one (docs/filters.md).
import { Html } from './html'
import { FILTER_NAME_MAX, type SavedFilterView } from '../src/features/filters/model'
import type { FormError } from '../src/web/forms'

/** The task list filtered by `query`. */
export const viewUrl = (query: string) => `/tasks?${new URLSearchParams({ filter: query })}`

/** The saved views, in the user's order; the one whose query is the list's filter is marked current. Each opens as a page, so the sidebar beside the list marks it too. */
export function SavedViews({ views, filter, csrf, back }: { views: SavedFilterView[]; filter: string | undefined; csrf: string; back: string }) {
  if (views.length === 0) return ''
  return (
    <nav id="saved-views" class="saved-views" aria-label="Saved views">
      <span class="saved-views-title">Views</span>
      <ul>
        {views.map((view) => {
          const href = viewUrl(view.query)
          return (
            <li>
              <a href={href} class={`chip${view.query === filter ? ' active' : ''}`} aria-current={view.query === filter ? 'page' : undefined} title={view.query}>
                <span safe>{view.name}</span>
              </a>
              <form method="post" action={`/tasks/views/${view.id}/delete`} class="inline">
                <input type="hidden" name="_csrf" value={csrf} />
                <input type="hidden" name="back" value={back} />
                <button type="submit" class="link remove-view">
                  <span aria-hidden="true">×</span>
                  <span class="visually-hidden" safe>Delete the view {view.name}</span>
                </button>
              </form>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}

/** Saving the list's current filter as a view: a name is all it asks. */
export function SaveView({ query, csrf, name, error }: { query: string; csrf: string; name?: string; error?: FormError }) {
  return (
    <form id="save-view" class="save-view" method="post" action="/tasks/views" hx-post="/tasks/views" hx-target="this" hx-swap="outerHTML">
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="query" value={query} />
      <label for="view-name">Save this filter as a view</label>
      <input id="view-name" name="name" value={name ?? ''} required maxlength={FILTER_NAME_MAX} placeholder="Name" autocomplete="off" aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'view-error' : undefined} />
      <button type="submit">Save view</button>
      {error ? (
        <p id="view-error" class="form-error" role="alert" safe>
          {error.message}
        </p>
      ) : (
        ''
      )}
    </form>
  )
}
