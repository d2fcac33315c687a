// REST routes for reminders and notifications, and the Dapr Jobs callback (POST /job/<name>).
import { Elysia, t } from 'elysia'
import { z } from 'zod'
import { inSpan } from '../../lib/tracing'
import { seedOf, type AppDeps } from '../../context'
import { isConnectionError } from '../../lib/db-errors'
import { authGuard } from '../auth/guard'
import { latestNotifications, markRead, unreadCount } from './notifications'
import { cancelReminder, createReminder, fireReminder, listReminders, listTaskReminders, type ReminderDeps } from './service'
import { ErrorBody } from '../../lib/api-schemas'
import { pagingQuery } from '../../lib/paging'
import { UUID } from '../../lib/secrets'
import { CreateReminderInput, MarkReadInput, NotificationViewSchema, ReminderViewSchema } from './model'
import { jobPayload } from './scheduler'

const Reminder = ReminderViewSchema
/** A list of reminders; a task's own list is one page (no cursor). */
const page = (nextCursor: z.ZodType) => z.object({ items: z.array(Reminder), total: z.number().int(), total_is_exact: z.boolean(), next_cursor: nextCursor })
export const reminderRoutes = (deps: AppDeps) => {
  const reminderDeps: ReminderDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }
  return new Elysia({ name: 'reminder-routes', prefix: '/api/v1', seed: seedOf(deps), detail: { tags: ['Reminders'] } })
    .use(authGuard(deps))
    .post('/tasks/:id/reminders', async ({ user, params, body, status }) => status(201, await createReminder(reminderDeps, user, params.id, body)), {
      auth: true,
      parse: 'json',
      body: CreateReminderInput,
      response: { 201: Reminder, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      detail: { summary: 'Set a reminder on a task (exactly one of lead or remind_at)', description: 'At most 10 pending reminders per task and REMINDERS_PER_USER (default 1,000) per account; past either, 409 quota_exceeded.' },
    })
    .get('/tasks/:id/reminders', async ({ user, params }) => {
      const items = await listTaskReminders(reminderDeps, user, params.id)
      return { items, total: items.length, total_is_exact: true, next_cursor: null }
    }, {
      auth: true,
      response: { 200: page(z.null()), 401: ErrorBody, 404: ErrorBody },
      detail: { summary: "A task's reminders, soonest first" },
    })
    .get('/reminders', ({ user, query }) => listReminders(reminderDeps, user, query), {
      auth: true,
      query: t.Object(
        {
          when: t.Optional(t.String({ description: 'upcoming (default: pending, soonest first) or past (fired or cancelled, latest first)' })),
          ...pagingQuery,
        },
        { additionalProperties: false },
      ),
      response: { 200: page(z.string().nullable()), 400: ErrorBody, 401: ErrorBody },
      detail: { summary: 'Your reminders, upcoming or past' },
    })
    .delete('/reminders/:id', async ({ user, params, status }) => {
      await cancelReminder(reminderDeps, user, params.id)
      return status(204, undefined)
    }, {
      auth: true,
      response: { 204: t.Undefined(), 401: ErrorBody, 404: ErrorBody },
      detail: { summary: 'Cancel a reminder' },
    })
    .get('/notifications', async ({ user }) => {
      const [items, unread] = await Promise.all([latestNotifications(reminderDeps.db, user.id), unreadCount(reminderDeps.db, user.id)])
      return { items, unread }
    }, {
      auth: true,
      response: { 200: z.object({ items: z.array(NotificationViewSchema), unread: z.number().int() }), 401: ErrorBody },
      detail: { summary: 'Your latest notifications and the unread count', tags: ['Notifications'] },
    })
    .post('/notifications/read', async ({ user, body, status }) => {
      await markRead(reminderDeps.db, user.id, body.ids ?? 'all', reminderDeps.clock())
      return status(204, undefined)
    }, {
      auth: true,
      parse: 'json',
      body: MarkReadInput,
      response: { 204: t.Undefined(), 400: ErrorBody, 401: ErrorBody },
      detail: { summary: 'Mark notifications read', tags: ['Notifications'] },
    })
}

/**
 * The Dapr Jobs callback: the sidecar POSTs to /job/<name> when a reminder's job is due. The name says which
 * reminder; the body, read as text because Dapr 1.14 sends it with no content type, must not name another.
 * Mounted only with a sidecar, behind the sidecar's token check (events/routes.ts `sidecarRoutes`).
 */
export const jobCallbackRoutes = (deps: AppDeps) => {
  const clock = deps.clock
  return new Elysia({ name: 'job-callback', seed: seedOf(deps), detail: { tags: ['Events (Dapr)'] } }).post(
    '/job/:name',
    async ({ params, body, status }) => {
      const match = /^reminder-(.{36})$/.exec(params.name)
      const payload = jobPayload(typeof body === 'string' ? body : '')
      // 404 tells the sidecar the job is done and not to retry: nothing of ours answers to that name.
      if (!match || !UUID.test(match[1]!) || (payload !== null && payload !== match[1])) return status(404, { error: { code: 'not_found', message: 'No such job' } })
      try {
        const fired = await inSpan('reminder.fire', { attributes: { 'dapr.job.name': params.name } }, () => fireReminder(deps.database.db, match[1]!, clock()))
        if (fired.outcome === 'gone') return status(404, { error: { code: 'not_found', message: 'No such reminder' } })
        if (fired.outcome === 'fired') deps.metrics?.reminders.fired(fired.lateSeconds)
        return { outcome: fired.outcome }
      } catch (error) {
        deps.log.warn('job callback failed; the sidecar will retry', { job: params.name, retryable: isConnectionError(error), error: error as Error })
        return status(503, { error: { code: 'unavailable', message: 'Try again' } })
      }
    },
    { parse: 'text', detail: { summary: 'Dapr Jobs callback: fires a reminder (idempotent)' } },
  )
}
