// Importing in the browser: GET /settings/import shows the form, POST /settings/import (multipart) imports the file
// and shows the report; a refused file is shown on the form, naming its field, with the refusal's status.
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { AppError } from '../../lib/errors'
import { importTasks } from '../../features/import/service'
import { readUpload } from '../../features/import/upload'
import type { TaskDeps } from '../../features/tasks/service'
import { respond } from '../respond'
import { webSession } from '../session'
import { ImportPage, type ImportPageProps } from '../../../views/import'

/** The refusals a person can act on at the form: a field at fault, a file too large, no room for its tasks. */
const onTheForm = (failure: unknown): failure is AppError =>
  failure instanceof AppError && (failure.code === 'validation_failed' || failure.code === 'payload_too_large' || failure.code === 'quota_exceeded' || failure.code === 'conflict')

export const importPages = (deps: AppDeps) => {
  const taskDeps: TaskDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }
  const page = (request: Request, props: Omit<ImportPageProps, 'nonce'>, status = 200) => respond(request, (nonce) => ({ html: ImportPage({ nonce, ...props }), status }))

  return new Elysia({ name: 'import-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    .get('/settings/import', ({ request, user, csrf }) => page(request, { csrf, email: user.email }), { page: true })
    .post(
      '/settings/import',
      async ({ request, user, csrf, body }) => {
        try {
          const { format, text, project } = await readUpload(body, {})
          return await page(request, { csrf, email: user.email, report: await importTasks(taskDeps, user, format, text, project) })
        } catch (failure) {
          if (!onTheForm(failure)) throw failure
          return page(request, { csrf, email: user.email, error: { field: failure.field, message: failure.message } }, failure.status)
        }
      },
      { page: true },
    )
}
