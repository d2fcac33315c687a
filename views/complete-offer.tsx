// Completing tasks that have open subtasks: the page that offers to complete those too, or to leave them open.
import { Html } from './html'
import { Layout } from './layout'

/** The offer's own URL, for the tasks being completed and the list the person came from. */
export const completeOfferUrl = (ids: readonly string[], back: string) => {
  const query = new URLSearchParams(ids.map((id) => ['ids', id]))
  query.set('back', back)
  return `/tasks/complete?${query}`
}

/** How many of the open subtasks the page names; the rest are counted. */
const NAMED = 10

export function CompleteOfferPage(props: {
  tasks: ReadonlyArray<{ id: string; title: string }>
  open: ReadonlyArray<{ title: string }>
  back: string
  csrf: string
  nonce: string
  email: string
}) {
  const { tasks, open, back, csrf } = props
  const n = open.length
  const them = n === 1 ? 'it' : 'them'
  const what = tasks.length === 1 ? `"${tasks[0]!.title}"` : `${tasks.length} tasks`
  return (
    <Layout title={`Complete ${what}`} nonce={props.nonce} csrf={csrf} email={props.email} active="tasks">
      <h1 safe>{`Complete ${what}?`}</h1>
      <section class="card" aria-labelledby="open-subtasks">
        <h2 id="open-subtasks" safe>{`${tasks.length === 1 ? 'It has' : 'They have'} ${n} open subtask${n === 1 ? '' : 's'}`}</h2>
        <ul>
          {open.slice(0, NAMED).map((t) => (
            <li safe>{t.title}</li>
          ))}
          {n > NAMED ? <li safe>{`and ${n - NAMED} more`}</li> : ''}
        </ul>
        <form method="post" action="/tasks/bulk" class="offer-choice">
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="back" value={back} />
          <input type="hidden" name="action" value="complete" />
          {tasks.map((t) => (
            <input type="hidden" name="ids" value={t.id} />
          ))}
          <button type="submit" name="children" value="complete" autofocus safe>{`Complete ${them} too`}</button>
          <button type="submit" name="children" value="keep" class="ghost" safe>{`Leave ${them} open`}</button>
          <a href={back} class="button ghost">Cancel</a>
        </form>
      </section>
    </Layout>
  )
}
