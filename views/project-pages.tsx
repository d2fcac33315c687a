// Pages about projects themselves: the list of them all (with the archived ones folded away) and a box to add one.
import { Html } from './html'
import { Layout } from './layout'
import type { ProjectListItem } from '../src/features/projects/model'
import type { FormError } from '../src/web/forms'
import { AddProject, ProjectDot, projectUrl } from './projects'

function ProjectRow({ project }: { project: ProjectListItem }) {
  return (
    <li class="project-row">
      <a href={projectUrl(project.id)} class="project-link">
        <ProjectDot color={project.color} />
        <span class="project-name" safe>{project.name}</span>
      </a>
      <span class="hint" safe>{`${project.open_count} open${project.overdue_count ? `, ${project.overdue_count} overdue` : ''}`}</span>
    </li>
  )
}

/** Every project of the person's, the Inbox first; archived ones under a fold. */
export function ProjectsPage({ projects, csrf, nonce, email, add }: { projects: ProjectListItem[]; csrf: string; nonce: string; email: string; add?: { name?: string; error: FormError } }) {
  const active = projects.filter((p) => !p.archived)
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
    </Layout>
  )
}
