// Saved views in the browser: saving the list's filter under a name, and deleting one; the list itself shows them (views/saved-views.tsx).
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { AppError } from '../../lib/errors'
import { redirect, safeLocalPath } from '../../lib/htmx'
import { parseWith } from '../../lib/validation'
import { CreateSavedFilterInput } from '../../features/filters/model'
import { createSavedFilter, deleteSavedFilter, type SavedFilterDeps } from '../../features/filters/service'
import { SaveView, viewUrl } from '../../../views/saved-views'
import { first, type Form } from '../forms'
import { respond } from '../respond'
import { webSession } from '../session'

/** What the form said wrong: a bad query, a name already used, a full quota. */
const SHOWN: ReadonlySet<string> = new Set(['validation_failed', 'conflict', 'quota_exceeded'])

export const savedViewPages = (deps: AppDeps) => {
  const filterDeps: SavedFilterDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }
  return new Elysia({ name: 'saved-view-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    .post(
      '/tasks/views',
      async ({ request, user, csrf, body }) => {
        const form = body as Form
        const query = first(form.query) ?? ''
        try {
          const saved = await createSavedFilter(filterDeps, user, parseWith(CreateSavedFilterInput, { name: first(form.name), query }))
          return redirect(request, viewUrl(saved.query))
        } catch (failure) {
          if (!(failure instanceof AppError) || !SHOWN.has(failure.code)) throw failure
          const error = { field: failure.field, message: failure.message }
          // Without htmx the error page says what was wrong; with it, the form says it in place.
          return respond(request, {
            htmx: () => ({ html: SaveView({ query, csrf, name: first(form.name), error }), status: 422 }),
            plain: () => {
              throw failure
            },
          })
        }
      },
      { page: true },
    )
    .post(
      '/tasks/views/:id/delete',
      async ({ request, user, params, body }) => {
        await deleteSavedFilter(filterDeps, user, params.id)
        return redirect(request, safeLocalPath(first((body as Form).back), '/tasks'))
      },
      { page: true },
    )
}
