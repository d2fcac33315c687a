// Subtasks in a task's row: its subtasks' progress ("2/5"), the parent it hangs under, and the Subtasks menu (indent,
// outdent, add a subtask). docs/ui.md, "Subtasks".
import { Html } from './html'
import { SUBTASK_LEVELS, TITLE_MAX, type TaskRead } from '../src/features/tasks/model'
import { Partial } from './layout'
import { FormKeys, type ListContext, type RowPlace } from './task-context'

/** The place a row carries through its forms and links, so a row swapped in alone keeps its indent and its indent target. */
export const placeParam = (place: Pick<RowPlace, 'indent' | 'above'>) => `${place.indent}:${place.above ?? ''}`

/** Reads a row's `placeParam` back: an indent of 0 to 2 and a task id; anything else is a row on its own. */
export function readPlace(raw: string | undefined): { indent: number; above?: string } {
  const match = /^([0-2]):([0-9a-f-]{36})?$/.exec(raw ?? '')
  return match ? { indent: Number(match[1]), above: match[2] } : { indent: 0 }
}

/** A parent's progress: "2/5" for the eye, "2 of 5 subtasks done" for a screen reader. Swapped alone when a subtask changes. */
export function ProgressMark({ task }: { task: TaskRead }) {
  const { total, done } = task.subtasks
  if (total === 0) return <span id={`progress-${task.id}`} hidden></span>
  const said = `${done} of ${total} ${total === 1 ? 'subtask' : 'subtasks'} done`
  return (
    <span id={`progress-${task.id}`} class={`progress${done === total ? ' all-done' : ''}`} title={said}>
      <span aria-hidden="true" safe>{`${done}/${total}`}</span>
      <span class="visually-hidden" safe>{said}</span>
    </span>
  )
}

/** The parent's progress mark, swapped in beside another answer (a subtask completed, reopened or deleted). */
export const ProgressPartial = ({ parent }: { parent: TaskRead }) => (
  <Partial target={`#progress-${parent.id}`} swap="outerHTML">
    <ProgressMark task={parent} />
  </Partial>
)

/**
 * Which task a subtask hangs under: shown ("in Move house") when its row stands on its own (a search, a filter, a
 * parent not listed); under its parent's row, said to a screen reader only, as the indent says it to the eye.
 */
export function ParentHint({ place }: { place: RowPlace }) {
  if (!place.parent) return ''
  if (place.indent > 0) return <span class="visually-hidden" safe>{`Subtask of "${place.parent.title}"`}</span>
  return (
    <span class="parent-hint">
      in <span class="parent-title" safe>{place.parent.title}</span>
    </span>
  )
}

/**
 * The row's Subtasks menu: Indent (under the task above at its level), Outdent (one level up) and a small add box for
 * a subtask. Ctrl+] and Ctrl+[ submit the indent and outdent forms from anywhere in the row; where a move is not
 * possible its button is hidden, and the keyboard's request gets the server's reason.
 */
export function SubtaskMenu({ task, place, ctx }: { task: TaskRead; place: RowPlace; ctx: ListContext }) {
  const key = task.id.slice(-12)
  return (
    <details class="row-menu subtask-menu">
      <summary>
        Subtasks<span class="visually-hidden" safe>{` of "${task.title}"`}</span>
      </summary>
      <div class="menu-panel">
        <form method="post" action={`/tasks/${task.id}/indent`} hx-post={`/tasks/${task.id}/indent`} hx-swap="none" class="inline" data-indent>
          <FormKeys ctx={ctx} />
          <input type="hidden" name="parent_id" value={place.above ?? ''} />
          <button type="submit" class="ghost" hidden={place.above ? undefined : true} aria-keyshortcuts="Control+]">
            Indent<span class="visually-hidden" safe>{` "${task.title}" under the task above`}</span>
          </button>
        </form>
        <form method="post" action={`/tasks/${task.id}/outdent`} hx-post={`/tasks/${task.id}/outdent`} hx-swap="none" class="inline" data-outdent>
          <FormKeys ctx={ctx} />
          <button type="submit" class="ghost" hidden={task.parent_id ? undefined : true} aria-keyshortcuts="Control+[">
            Outdent<span class="visually-hidden" safe>{` "${task.title}" one level up`}</span>
          </button>
        </form>
        {place.depth < SUBTASK_LEVELS - 1 ? (
          <form method="post" action="/tasks" hx-post="/tasks" hx-swap="none" class="add-subtask">
            <FormKeys ctx={ctx} />
            <input type="hidden" name="parent_id" value={task.id} />
            <label for={`sub-${key}`}>Add subtask</label>
            <div class="line">
              <input id={`sub-${key}`} name="title" required maxlength={TITLE_MAX} autocomplete="off" placeholder="e.g. book a van friday" />
              <button type="submit">Add</button>
            </div>
          </form>
        ) : (
          ''
        )}
        <p class="hint keys">In a row, Ctrl+] indents and Ctrl+[ outdents.</p>
      </div>
    </details>
  )
}
