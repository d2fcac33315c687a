// The planner pages' project selector: a GET form (no script needed) whose choice is the page's `project` parameter,
// and the hidden field that keeps that parameter on the page's own forms.
import { Html } from './html'

export interface PickerProject {
  id: string
  name: string
}

/** `path` with `?project=` (or `&project=`) when a project is chosen. */
export const withProject = (path: string, project?: string) => (project ? `${path}${path.includes('?') ? '&' : '?'}project=${encodeURIComponent(project)}` : path)

/** Keeps the page's project on a form it posts (an add box adds into it; a move shows the same project again). */
export const ProjectField = ({ project }: { project?: string }) => (project ? <input type="hidden" name="project" value={project} /> : '')

/**
 * "All projects" and the person's open projects (the chosen one too when it is archived), on one line so the page's
 * first task stays where it was; `keep` carries the page's other parameters (the month, the period).
 */
export function ProjectPicker({ action, projects, current, keep = {} }: { action: string; projects: PickerProject[]; current?: string; keep?: Record<string, string> }) {
  return (
    <form method="get" action={action} class="project-picker">
      {Object.entries(keep).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <label for="project-picker">Project</label>
      <select id="project-picker" name="project">
        <option value="">All projects</option>
        {projects.map((p) => (
          <option value={p.id} selected={p.id === current} safe>
            {p.name}
          </option>
        ))}
      </select>
      <button type="submit" class="ghost">Show</button>
    </form>
  )
}
