// GET /calendar/<secret>.ics: the user's tasks as a calendar a calendar app can subscribe to; /calendar/<secret>/<project id>.ics, one project's.
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { feedFor } from './service'

const ICS_HEADERS = { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, max-age=300', 'content-disposition': 'inline; filename="todo-chatbot.ics"' }

/** The name before `.ics`, or '' when the file is not one. */
const stem = (file: string) => (file.endsWith('.ics') ? file.slice(0, -4) : '')

export const calendarRoutes = (deps: AppDeps) => {
  /** The feed's answer: an unknown or revoked secret and another user's project look the same. */
  const answer = (body: string | null, status: (code: 404, body: unknown) => unknown) =>
    body === null ? status(404, { error: { code: 'not_found', message: 'No such calendar' } }) : new Response(body, { headers: ICS_HEADERS })
  return new Elysia({ name: 'calendar-routes', seed: seedOf(deps), detail: { tags: ['Calendar'] } })
    .get(
      '/calendar/:file',
      async ({ params, status }) => {
        const token = stem(params.file)
        return answer(token ? await feedFor(deps.database.db, token, deps.clock()) : null, status)
      },
      { detail: { summary: 'Your tasks with due dates as an iCalendar feed (the secret comes from Settings)', security: [] } },
    )
    .get(
      // The first segment is named as in the route above (the router needs one name per position): here it is the secret.
      '/calendar/:file/:project',
      async ({ params, status }) => {
        const project = stem(params.project)
        return answer(project ? await feedFor(deps.database.db, params.file, deps.clock(), project) : null, status)
      },
      { detail: { summary: 'One project\'s tasks with due dates as an iCalendar feed: the same secret, then the project\'s id', security: [] } },
    )
}
