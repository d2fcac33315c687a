// Projects in the browser: the sidebar (wide screens) and the switcher (narrow ones) beside the task list, with the
// saved views; each project's colour is a dot with its name in words for screen readers.
import { Html } from './html'
import type { ProjectListItem } from '../src/features/projects/model'
import { PROJECT_NAME_MAX } from '../src/features/projects/limits'
import type { SavedFilterView } from '../src/features/filters/model'
import type { FormError } from '../src/web/forms'
import { SavedViews } from './saved-views'
import { InvitationsNotice } from './project-sharing'

/** A project's own page. */
export const projectUrl = (id: string) => `/projects/${id}`

/** The colour of a project: a dot for the eye, its name for a screen reader. */
export function ProjectDot({ color }: { color: string }) {
  return (
    <>
      <span class={`dot dot-${color}`} aria-hidden="true"></span>
      <span class="visually-hidden" safe>{`(${color})`}</span>
    </>
  )
}

/** What the navigation beside a list knows: the projects (archived ones too), the one shown, the saved views. */
export interface ProjectNavData {
  projects: ProjectListItem[]
  /** The project whose list is shown, if any (else the list of all tasks). */
  current?: string
  views: SavedFilterView[]
  /** The list's filter, to mark its saved view. */
  filter?: string
  csrf: string
  /** Where a form of the navigation comes back to. */
  back: string
  /** How many project invitations wait for the person's answer. */
  invitations?: number
}

const openLabel = (n: number) => `${n} open`

function ProjectLink({ project, current }: { project: ProjectListItem; current?: string }) {
  const here = project.id === current
  return (
    <a href={projectUrl(project.id)} class="project-link" aria-current={here ? 'page' : undefined}>
      <ProjectDot color={project.color} />
      <span class="project-name" safe>{project.name}</span>
      {project.role === 'owner' ? '' : <span class="role-hint">{project.role}</span>}
      <span class="count" title={openLabel(project.open_count)}>
        <span safe>{String(project.open_count)}</span>
        <span class="visually-hidden"> open</span>
      </span>
    </a>
  )
}

/** A list of project links (the open projects, or the archived ones under their fold). */
function ProjectList({ projects, current }: { projects: ProjectListItem[]; current?: string }) {
  return (
    <ul class="project-list">
      {projects.map((project) => (
        <li>
          <ProjectLink project={project} current={current} />
        </li>
      ))}
    </ul>
  )
}

/** Adding a project: a name is all it asks (colour and the rest are on its page). */
export function AddProject({ csrf, name, error, prefix = 'np' }: { csrf: string; name?: string; error?: FormError; prefix?: string }) {
  return (
    <form id={`${prefix}-form`} class="add-project" method="post" action="/projects" hx-post="/projects" hx-target="this" hx-swap="outerHTML">
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="prefix" value={prefix} />
      <label for={`${prefix}-name`} class="visually-hidden">New project name</label>
      <div class="line">
        <input id={`${prefix}-name`} name="name" value={name ?? ''} required maxlength={PROJECT_NAME_MAX} placeholder="New project" autocomplete="off" aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${prefix}-error` : undefined} />
        <button type="submit">Add project</button>
      </div>
      {error ? (
        <p id={`${prefix}-error`} class="form-error" role="alert" safe>
          {error.message}
        </p>
      ) : (
        ''
      )}
    </form>
  )
}

/**
 * The projects beside a list: on a wide screen a sidebar (Inbox first, then the projects with their open counts, the
 * archived ones folded away, a box to add one, the saved views); on a narrow one a menu that opens to the same
 * links, so the list itself stays on the first screen. A live part: another tab's change updates the counts, and
 * so does this page's own (`counts-changed`).
 */
export function ProjectNav({ projects, current, views, filter, csrf, back, invitations }: ProjectNavData) {
  const active = projects.filter((p) => !p.archived && p.role === 'owner')
  const shared = projects.filter((p) => !p.archived && p.role !== 'owner')
  const archived = projects.filter((p) => p.archived)
  const shown = projects.find((p) => p.id === current)
  const sharedHeading = 'Shared with me'
  const liveUrl = `/projects/nav?${new URLSearchParams({ ...(current ? { current } : {}), ...(filter ? { filter } : {}), back })}`
  return (
    <aside
      id="project-nav"
      class="project-nav"
      aria-label="Projects and views"
      data-live="tasks"
      data-live-url={liveUrl}
      hx-get={liveUrl}
      hx-trigger="tasks-changed from:body, counts-changed from:body"
      hx-target="this"
      hx-swap="outerMorph"
    >
      <InvitationsNotice count={invitations} place="switcher-notice" />
      <details class="switcher">
        <summary>
          <span class="visually-hidden">Project: </span>
          {shown ? <ProjectDot color={shown.color} /> : ''}
          {shown ? <span safe>{shown.name}</span> : <span>All tasks</span>}
          <span class="chevron" aria-hidden="true">▾</span>
        </summary>
        <ul class="switcher-list">
          <li>
            <a href="/tasks" aria-current={!current && !filter ? 'page' : undefined}>All tasks</a>
          </li>
          {active.map((project) => (
            <li>
              <ProjectLink project={project} current={current} />
            </li>
          ))}
          {shared.length ? (
            <li class="switcher-heading">
              {sharedHeading}
            </li>
          ) : (
            ''
          )}
          {shared.map((project) => (
            <li>
              <ProjectLink project={project} current={current} />
            </li>
          ))}
          <li>
            <a href="/projects">Manage projects</a>
          </li>
        </ul>
      </details>
      <div class="sidebar">
        <nav aria-label="Projects">
          <h2 class="sidebar-title">Projects</h2>
          <ProjectList projects={active} current={current} />
          {shared.length ? (
            <>
              <h2 class="sidebar-title">{sharedHeading}</h2>
              <ProjectList projects={shared} current={current} />
            </>
          ) : (
            ''
          )}
          {archived.length ? (
            <details class="archived">
              <summary>Archived ({archived.length})</summary>
              <ProjectList projects={archived} current={current} />
            </details>
          ) : (
            ''
          )}
        </nav>
        <InvitationsNotice count={invitations} place="sidebar-notice" />
        <AddProject csrf={csrf} />
      </div>
      <SavedViews views={views} filter={filter} csrf={csrf} back={back} />
    </aside>
  )
}
