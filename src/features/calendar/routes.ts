// GET /calendar/<secret>.ics: the user's tasks as a calendar a calendar app can subscribe to.
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { feedFor } from './service'

export const calendarRoutes = (deps: AppDeps) =>
  new Elysia({ name: 'calendar-routes', seed: seedOf(deps), detail: { tags: ['Calendar'] } }).get(
    '/calendar/:file',
    async ({ params, status }) => {
      const token = params.file.endsWith('.ics') ? params.file.slice(0, -4) : ''
      const body = token ? await feedFor(deps.database.db, token, deps.clock()) : null
      // An unknown and a revoked secret look the same.
      if (body === null) return status(404, { error: { code: 'not_found', message: 'No such calendar' } })
      return new Response(body, {
        headers: { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, max-age=300', 'content-disposition': 'inline; filename="todo-chatbot.ics"' },
      })
    },
    { detail: { summary: 'Your tasks with due dates as an iCalendar feed (the secret comes from Settings)', security: [] } },
  )
