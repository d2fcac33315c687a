// A task's project in its row and forms: the mark in the meta line, the edit form's select, and the row's Move menu.
import { Html } from './html'
import type { ProjectListItem } from '../src/features/projects/model'
import type { TaskView } from '../src/features/tasks/model'
import { ProjectDot, projectUrl } from './projects'

/** The projects a task can go to: the open ones the user may write to, and the one it is in even when archived. */
const choices = (projects: ProjectListItem[], current: string | undefined) => projects.filter((p) => (!p.archived && p.role !== 'viewer') || p.id === current)

/** Where the task lives, on a list of all tasks: its project's dot and name, linking to the project. */
export function ProjectMark({ task, projects }: { task: TaskView; projects: ProjectListItem[] }) {
  const project = projects.find((p) => p.id === task.project_id)
  if (!project || project.is_inbox) return ''
  return (
    <a class="project-mark" href={projectUrl(project.id)}>
      <ProjectDot color={project.color} />
      <span safe>{project.name}</span>
    </a>
  )
}

/** The edit form's Project select. */
export function ProjectSelect({ id, projects, current, invalid }: { id: string; projects: ProjectListItem[]; current?: string; invalid?: boolean }) {
  return (
    <>
      <label for={id}>Project</label>
      <select id={id} name="project_id" aria-invalid={invalid ? 'true' : undefined}>
        {choices(projects, current).map((p) => (
          <option value={p.id} selected={p.id === current} safe>
            {p.name}
          </option>
        ))}
      </select>
    </>
  )
}

/** The row's Move menu: a `<details>` named after the task, holding a project select and its button. */
export function MoveMenu({ task, projects, csrf, back }: { task: TaskView; projects: ProjectListItem[]; csrf: string; back: string }) {
  const others = choices(projects, task.project_id).filter((p) => p.id !== task.project_id)
  if (others.length === 0) return ''
  const id = `move-${task.id.slice(-12)}`
  return (
    <details class="row-menu move-menu">
      <summary>
        Move<span class="visually-hidden" safe>{` "${task.title}" to another project`}</span>
      </summary>
      <form method="post" action={`/tasks/${task.id}/move`} hx-post={`/tasks/${task.id}/move`} hx-swap="none" class="move">
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="back" value={back} />
        <label for={id} class="visually-hidden">Move to project</label>
        <select id={id} name="project_id">
          {others.map((p) => (
            <option value={p.id} safe>
              {p.name}
            </option>
          ))}
        </select>
        <button type="submit">Move</button>
      </form>
    </details>
  )
}
