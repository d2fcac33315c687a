// Reminders and notifications in the browser: a task's reminders page, the notification centre and the bell fragment.
import { Elysia } from 'elysia'
import { seedOf, type AppDeps } from '../../context'
import { latestNotifications, markRead, unreadCount } from '../../features/reminders/notifications'
import { CreateReminderInput, SNOOZES } from '../../features/reminders/model'
import { cancelReminder, createReminder, listTaskReminders, type ReminderDeps } from '../../features/reminders/service'
import { parseWith } from '../../lib/validation'
import { getTask } from '../../features/tasks/service'
import { redirect } from '../../lib/htmx'
import { invalid, notFound } from '../../lib/errors'
import { localDay, zonedTimeToUtc } from '../../lib/time'
import { filled, withFormErrors, type Form, type FormError } from '../forms'
import { respond } from '../respond'
import { webSession } from '../session'
import { Bell, NotificationsPage, RemindersPage } from '../../../views/reminders'
import type { AuthUser } from '../../features/auth/service'

/** When a snoozed reminder goes off again (SNOOZES names the choices). */
function snoozeUntil(choice: string | undefined, now: Date, timeZone: string): string {
  if (choice === '10m') return new Date(now.getTime() + 10 * 60_000).toISOString()
  if (choice === '1h') return new Date(now.getTime() + 60 * 60_000).toISOString()
  if (choice === 'tomorrow') return zonedTimeToUtc({ ...localDay(now, timeZone, 1), hour: 9, minute: 0 }, timeZone).toISOString()
  throw invalid('for', `for must be one of ${Object.keys(SNOOZES).join(', ')}`)
}

export const reminderPages = (deps: AppDeps) => {
  const rd: ReminderDeps = { db: deps.database.db, clock: deps.clock, quotas: deps.env.quotas }

  async function page(request: Request, user: AuthUser, csrf: string, taskId: string, status = 200, error?: FormError) {
    const [task, reminders] = await Promise.all([getTask(rd, user, taskId), listTaskReminders(rd, user, taskId)])
    return respond(request, (nonce) => ({ html: RemindersPage({ nonce, csrf, email: user.email, timezone: user.timezone, now: rd.clock(), task, reminders, error }), status }))
  }

  return new Elysia({ name: 'reminder-pages', seed: seedOf(deps), detail: { hide: true } })
    .use(webSession(deps))
    .get('/tasks/:id/reminders', ({ request, user, csrf, params }) => page(request, user, csrf, params.id), { page: true })
    .post(
      '/tasks/:id/reminders',
      ({ request, user, csrf, params, body }) => {
        const form = body as Form
        const lead = filled(form, 'custom_lead') ?? filled(form, 'lead')
        const at = filled(form, 'remind_at')
        const input = lead && !at ? { lead } : at && !lead ? { remind_at: at } : { lead, remind_at: at }
        return withFormErrors(
          async () => {
            await createReminder(rd, user, params.id, parseWith(CreateReminderInput, input))
            return redirect(request, `/tasks/${params.id}/reminders`)
          },
          (error) => page(request, user, csrf, params.id, 400, error),
        )
      },
      { page: true },
    )
    .post(
      '/reminders/:id/cancel',
      async ({ request, user, params }) => {
        const reminder = await cancelReminder(rd, user, params.id)
        return redirect(request, `/tasks/${reminder.task_id}/reminders`)
      },
      { page: true },
    )
    .get(
      '/notifications',
      async ({ request, user, csrf }) => {
        const items = await latestNotifications(rd.db, user.id)
        // Seen is read: the page still marks what was new when it opened, and the bell clears.
        await markRead(rd.db, user.id, items.filter((n) => !n.read).map((n) => n.id), rd.clock())
        return respond(request, (nonce) => ({ html: NotificationsPage({ nonce, csrf, email: user.email, timezone: user.timezone, now: rd.clock(), items }) }))
      },
      { page: true },
    )
    .post(
      '/notifications/read',
      async ({ request, user }) => {
        await markRead(rd.db, user.id, 'all', rd.clock())
        return redirect(request, '/notifications')
      },
      { page: true },
    )
    .post(
      '/notifications/:id/snooze',
      async ({ request, user, params, body }) => {
        const [notification] = (await latestNotifications(rd.db, user.id)).filter((n) => n.id === params.id)
        if (!notification) throw notFound('notification')
        const remindAt = snoozeUntil(filled(body as Form, 'for'), rd.clock(), user.timezone)
        await createReminder(rd, user, notification.task_id, { remind_at: remindAt })
        return redirect(request, '/notifications')
      },
      { page: true },
    )
    .get(
      '/notifications/bell',
      async ({ request, user }) => {
        const [unread, [latest]] = await Promise.all([unreadCount(rd.db, user.id), latestNotifications(rd.db, user.id, 1)])
        return respond(request, () => ({ html: Bell({ unread, latest: latest && !latest.read ? latest : undefined }) }))
      },
      { page: true },
    )
}
