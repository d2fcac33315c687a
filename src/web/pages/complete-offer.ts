// Completing a task with open subtasks from a page: the offer to complete them too or leave them open
// (views/complete-offer.tsx), which the complete controls lead to when the service asks for that choice.
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { AppError } from '../../lib/errors'
import { redirect, safeLocalPath } from '../../lib/htmx'
import { completionOffer, type TaskDeps } from '../../features/tasks/service'
import { BULK_MAX } from '../../features/tasks/trash'
import { ChildrenChoiceField, type ChildrenChoice } from '../../features/tasks/model'
import { parseField } from '../../lib/validation'
import { CompleteOfferPage, completeOfferUrl } from '../../../views/complete-offer'
import { first, type Form } from '../forms'
import { respond } from '../respond'
import { webSession } from '../session'

/** The choice a form sent for a task's open subtasks (read as the REST API reads it); anything else is a 400 naming the field. */
export function childrenChoice(form: Form): ChildrenChoice | undefined {
  const value = first(form.children)
  return value === undefined || value === '' ? undefined : parseField(ChildrenChoiceField, value, 'children')
}

/**
 * Runs a completion from a page; when the service refuses it for want of a choice about open subtasks, the page
 * goes to the offer instead (htmx follows it as a redirect), which completes `ids` with the choice and comes back to `back`.
 */
export async function orOffer(request: Request, ids: readonly string[], back: string, complete: () => Promise<Response>): Promise<Response> {
  try {
    return await complete()
  } catch (failure) {
    if (failure instanceof AppError && failure.code === 'conflict' && failure.field === 'children') return redirect(request, completeOfferUrl(ids, back))
    throw failure
  }
}

export const completeOfferPages = (deps: AppDeps) => {
  const taskDeps: TaskDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }
  return new Elysia({ name: 'complete-offer-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    .get(
      '/tasks/complete',
      async ({ request, user, csrf, query }) => {
        const ids = new URL(request.url).searchParams.getAll('ids').slice(0, BULK_MAX)
        const back = safeLocalPath(query.back, '/tasks')
        const { tasks, open } = await completionOffer(taskDeps, user, ids)
        // Nothing left to choose (completed meanwhile, their subtasks too, or no task of the person's): back to the list.
        if (tasks.length === 0 || open.length === 0) return redirect(request, back)
        return respond(request, (nonce) => ({ html: CompleteOfferPage({ tasks, open, back, csrf, nonce, email: user.email }) }))
      },
      { page: true },
    )
}
