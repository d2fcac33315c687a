// Pages about projects themselves: the list of them all (with the archived ones folded away) and a box to add one,
// and one project's settings (name, colour, sharing, archive, delete; a member sees who has access and may leave).
import { Html } from './html'
import { Layout } from './layout'
import { PROJECT_COLORS, PROJECT_NAME_MAX, type ProjectListItem } from '../src/features/projects/model'
import type { FormError } from '../src/web/forms'
import type { MembersView } from '../src/features/projects/sharing-model'
import { AddProject, ProjectDot, projectUrl } from './projects'
import { MemberCard, SharingCard, type InviteShown } from './project-sharing'

function ProjectRow({ project }: { project: ProjectListItem }) {
  return (
    <li class="project-row">
      <a href={projectUrl(project.id)} class="project-link">
        <ProjectDot color={project.color} />
        <span class="project-name" safe>{project.name}</span>
      </a>
      <span class="hint" safe>{`${project.open_count} open${project.overdue_count ? `, ${project.overdue_count} overdue` : ''}${project.role === 'owner' ? '' : `, ${project.role} (shared by ${project.owner_email})`}`}</span>
    </li>
  )
}

/** Every project of the person's, the Inbox first; archived ones under a fold. */
export function ProjectsPage({ projects, csrf, nonce, email, add }: { projects: ProjectListItem[]; csrf: string; nonce: string; email: string; add?: { name?: string; error: FormError } }) {
  const active = projects.filter((p) => !p.archived && p.role === 'owner')
  const shared = projects.filter((p) => !p.archived && p.role !== 'owner')
  const archived = projects.filter((p) => p.archived)
  return (
    <Layout title="Projects" nonce={nonce} csrf={csrf} email={email} active="tasks">
      <h1>Projects</h1>
      <section class="card" aria-labelledby="projects-add">
        <h2 id="projects-add">Add a project</h2>
        <AddProject csrf={csrf} name={add?.name} error={add?.error} prefix="pp" />
      </section>
      <section class="card" aria-labelledby="projects-all">
        <h2 id="projects-all">Your projects</h2>
        <ul class="project-rows">
          {active.map((project) => (
            <ProjectRow project={project} />
          ))}
        </ul>
        {archived.length ? (
          <details class="archived">
            <summary>Archived ({archived.length})</summary>
            <ul class="project-rows">
              {archived.map((project) => (
                <ProjectRow project={project} />
              ))}
            </ul>
          </details>
        ) : (
          ''
        )}
      </section>
      {shared.length ? (
        <section class="card" aria-labelledby="projects-shared">
          <h2 id="projects-shared">Shared with me</h2>
          <ul class="project-rows">
            {shared.map((project) => (
              <ProjectRow project={project} />
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
    </Layout>
  )
}

const COLOR_WORD: Record<string, string> = { grey: 'Grey', red: 'Red', orange: 'Orange', yellow: 'Yellow', green: 'Green', teal: 'Teal', blue: 'Blue', purple: 'Purple', pink: 'Pink' }

/** What the settings page shows again after a refusal: the values sent and the message, by form. */
export interface SettingsShown {
  name?: string
  color?: string
  error?: FormError
  /** Which form the error belongs to. */
  form?: 'edit' | 'delete'
  /** The Sharing card's invite, refused. */
  invite?: InviteShown
}

/** A project's settings as its reader may see them: the project, who has access, and the reader's id. */
export interface SettingsData {
  project: ProjectListItem
  members: MembersView
  you: string
}

/**
 * One project's settings: its name and colour (the palette, each colour named in words), sharing, archiving, and
 * deleting, which asks what happens to its tasks and is refused without an answer. The Inbox keeps its name, stays,
 * and is not shared. A member (editor or viewer) sees only who has access and may leave: the rest is the owner's.
 */
export function ProjectSettingsPage({ data, csrf, nonce, email, shown = {} }: { data: SettingsData; csrf: string; nonce: string; email: string; shown?: SettingsShown }) {
  const { project, members } = data
  if (project.role !== 'owner') return <MemberSettingsPage data={data} csrf={csrf} nonce={nonce} email={email} />
  const color = shown.color ?? project.color
  const editError = shown.form === 'edit' ? shown.error : undefined
  const deleteError = shown.form === 'delete' ? shown.error : undefined
  return (
    <Layout title={`Edit ${project.name}`} nonce={nonce} csrf={csrf} email={email} active="tasks">
      <p class="back-link">
        <a href={projectUrl(project.id)}>
          Back to <span safe>{project.name}</span>
        </a>
      </p>
      <h1 safe>{`Edit project: ${project.name}`}</h1>
      <section class="card" aria-labelledby="ps-edit">
        <h2 id="ps-edit">Name and colour</h2>
        <form method="post" action={`/projects/${project.id}`} class="stack">
          <input type="hidden" name="_csrf" value={csrf} />
          <label for="ps-name">Name</label>
          {project.is_inbox ? (
            <>
              <input id="ps-name" value={project.name} disabled aria-describedby="ps-name-hint" />
              <small id="ps-name-hint" class="hint">The Inbox keeps its name.</small>
            </>
          ) : (
            <input id="ps-name" name="name" value={shown.name ?? project.name} required maxlength={PROJECT_NAME_MAX} autocomplete="off" aria-invalid={editError?.field === 'name' ? 'true' : undefined} aria-describedby={editError ? 'ps-edit-error' : undefined} />
          )}
          <fieldset class="colors">
            <legend>Colour</legend>
            {PROJECT_COLORS.map((c) => (
              <label class="color-choice">
                <input type="radio" name="color" value={c} checked={c === color} />
                <span class={`dot dot-${c}`} aria-hidden="true"></span>
                <span safe>{COLOR_WORD[c]}</span>
              </label>
            ))}
          </fieldset>
          <FormProblem error={editError} id="ps-edit-error" />
          <div class="line end">
            <button type="submit" class="primary">Save</button>
          </div>
        </form>
      </section>
      {project.is_inbox ? '' : <SharingCard project={project} members={members} csrf={csrf} shown={shown.invite} />}
      {project.is_inbox ? '' : <ArchiveCard project={project} csrf={csrf} />}
      {project.is_inbox ? '' : <DeleteCard project={project} csrf={csrf} error={deleteError} />}
    </Layout>
  )
}

/** A shared project's page for a member: who has access, and Leave. */
function MemberSettingsPage({ data, csrf, nonce, email }: { data: SettingsData; csrf: string; nonce: string; email: string }) {
  const { project, members, you } = data
  return (
    <Layout title={project.name} nonce={nonce} csrf={csrf} email={email} active="tasks">
      <p class="back-link">
        <a href={projectUrl(project.id)}>
          Back to <span safe>{project.name}</span>
        </a>
      </p>
      <h1 safe>{`Project: ${project.name}`}</h1>
      <MemberCard project={project} members={members} csrf={csrf} you={you} />
    </Layout>
  )
}

function FormProblem({ error, id }: { error?: FormError; id: string }) {
  return error ? (
    <p id={id} class="form-error" role="alert" safe>
      {error.message}
    </p>
  ) : (
    ''
  )
}

function ArchiveCard({ project, csrf }: { project: ProjectListItem; csrf: string }) {
  return (
    <section class="card" aria-labelledby="ps-archive">
      <h2 id="ps-archive">{project.archived ? 'Archived' : 'Archive'}</h2>
      <p class="hint">
        {project.archived
          ? 'Its tasks are kept and listed on its page; it waits under Archived in the sidebar. Unarchive it to add tasks again.'
          : 'Its tasks are kept; the project moves under Archived in the sidebar, and nothing new can be added to it.'}
      </p>
      <form method="post" action={`/projects/${project.id}/archive`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="archived" value={project.archived ? 'false' : 'true'} />
        <button type="submit">{project.archived ? 'Unarchive project' : 'Archive project'}</button>
      </form>
    </section>
  )
}

function DeleteCard({ project, csrf, error }: { project: ProjectListItem; csrf: string; error?: FormError }) {
  return (
    <section class="card" aria-labelledby="ps-delete">
      <h2 id="ps-delete">Delete</h2>
      <form method="post" action={`/projects/${project.id}/delete`} class="stack">
        <input type="hidden" name="_csrf" value={csrf} />
        <fieldset class="choices" aria-describedby={error ? 'ps-delete-error' : undefined}>
          <legend safe>{`What happens to its tasks (${project.open_count} open)?`}</legend>
          <label class="choice">
            <input type="radio" name="tasks" value="move" required /> Move them to the Inbox
          </label>
          <label class="choice">
            <input type="radio" name="tasks" value="delete" required /> Delete them too (each can be restored from Activity for a while)
          </label>
        </fieldset>
        <FormProblem error={error} id="ps-delete-error" />
        <div class="line end">
          <button type="submit" class="danger">Delete project</button>
        </div>
      </form>
    </section>
  )
}
