// Reminders in the browser: a task's reminders (set and cancel), the notification centre and its bell.
import { Html } from './html'
import { SNOOZES, type NotificationView, type ReminderView } from '../src/features/reminders/model'
import type { TaskView } from '../src/features/tasks/model'
import { formatAbsolute, formatDue, formatRelative } from './format'
import { BellIcon } from './icons'
import { Layout } from './layout'

/** The bell: unread count, refreshed when a notification arrives or is read (`data-live`, docs/architecture.md "Live updates"). */
export function Bell({ unread, latest }: { unread: number; latest?: NotificationView }) {
  return (
    <a
      id="bell"
      class="bell"
      href="/notifications"
      data-live="notifications"
      data-live-url="/notifications/bell"
      aria-label={unread ? `Notifications: ${unread} unread` : 'Notifications'}
      data-unread={String(unread)}
      data-latest-id={latest?.id ?? ''}
      data-latest-title={latest?.title ?? ''}
      data-latest-body={latest?.body ?? ''}
    >
      <BellIcon />
      {unread ? (
        <span class="badge" safe>
          {String(unread)}
        </span>
      ) : (
        ''
      )}
    </a>
  )
}

export interface RemindersPageProps {
  nonce: string
  csrf: string
  email: string
  timezone: string
  now: Date
  task: TaskView
  reminders: ReminderView[]
  error?: { field?: string; message: string }
}

const STATUS_LABEL = { pending: 'Scheduled', triggered: 'Sent', cancelled: 'Cancelled' } as const

export function RemindersPage({ nonce, csrf, email, timezone, now, task, reminders, error }: RemindersPageProps) {
  return (
    <Layout title={`Reminders: ${task.title}`} nonce={nonce} csrf={csrf} email={email} active="tasks">
      <p>
        <a href="/tasks">← Tasks</a>
      </p>
      <h1 safe>Reminders for "{task.title}"</h1>
      <p class="hint">
        {task.due_date
          ? task.all_day
            ? `Due ${formatDue(task, timezone, now)}, all day: lead times count back from 09:00 that day.`
            : `Due ${formatDue(task, timezone, now)} (${formatRelative(new Date(task.due_date), now)}).`
          : 'No due date: remind at a set time, or give the task a due date for lead times.'}
      </p>
      <section class="card">
        <h2>Add a reminder</h2>
        <form method="post" action={`/tasks/${task.id}/reminders`} class="stack">
          <input type="hidden" name="_csrf" value={csrf} />
          <div class="row">
            <div>
              <label for="lead">Before the due date</label>
              <select id="lead" name="lead" disabled={task.due_date ? undefined : true} aria-invalid={error?.field === 'lead' ? 'true' : undefined}>
                <option value="">—</option>
                <option value="15m">15 minutes</option>
                <option value="30m">30 minutes</option>
                <option value="1h">1 hour</option>
                <option value="1d">1 day</option>
              </select>
            </div>
            <div>
              <label for="custom-lead">or a custom lead (e.g. 2h, 3d)</label>
              <input id="custom-lead" name="custom_lead" placeholder="90m" maxlength="10" disabled={task.due_date ? undefined : true} />
            </div>
            <div>
              <label for="remind-at">or at a set time</label>
              <input id="remind-at" type="datetime-local" step="1" name="remind_at" aria-invalid={error?.field === 'remind_at' ? 'true' : undefined} />
            </div>
          </div>
          {error ? (
            <p class="form-error" role="alert" safe>
              {error.message}
            </p>
          ) : (
            ''
          )}
          <button type="submit" class="primary">Add reminder</button>
        </form>
      </section>
      <div id="reminder-list" data-live="reminders notifications" data-live-url={`/tasks/${task.id}/reminders`} data-live-select="true">
        {reminders.length === 0 ? (
          <p class="empty">No reminders yet.</p>
        ) : (
          <ul class="reminders">
            {reminders.map((r) => (
              <li class={`reminder ${r.status}`}>
                <span>{r.lead ? `${r.lead} before` : 'At'}</span>{' '}
                <time datetime={r.remind_at} safe>
                  {formatAbsolute(new Date(r.remind_at), timezone, now)}
                </time>
                <span class="hint">{STATUS_LABEL[r.status]}</span>
                {r.status === 'pending' ? (
                  <form method="post" action={`/reminders/${r.id}/cancel`} class="inline">
                    <input type="hidden" name="_csrf" value={csrf} />
                    <button type="submit" class="ghost danger">Cancel</button>
                  </form>
                ) : (
                  ''
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </Layout>
  )
}

export function NotificationsPage({ nonce, csrf, email, timezone, now, items }: { nonce: string; csrf: string; email: string; timezone: string; now: Date; items: NotificationView[] }) {
  const unread = items.filter((n) => !n.read).length
  return (
    <Layout title="Notifications" nonce={nonce} csrf={csrf} email={email}>
      <h1>Notifications</h1>
      <div class="line">
        <p class="hint">{unread ? `${unread} new since you last looked; opening this page marks them read.` : 'Opening this page marks them read.'}</p>
        <button type="button" data-enable-notifications hidden>Enable browser notifications</button>
      </div>
      <div id="notification-list" data-live="notifications" data-live-url="/notifications" data-live-select="true">
        {items.length === 0 ? (
          <p class="empty">No notifications yet. Reminders you set on tasks arrive here.</p>
        ) : (
          <ul class="notifications">
            {items.map((n) => (
              <li class={n.read ? 'read' : 'unread'}>
                <a href={`/tasks/${n.task_id}/reminders`} class="title" safe>
                  {n.title}
                </a>
                <span safe>{n.body}</span>
                <time datetime={n.created_at} class="hint" safe>
                  {formatRelative(new Date(n.created_at), now)}
                </time>
                {n.read ? '' : <span class="badge">new</span>}
                <form method="post" action={`/notifications/${n.id}/snooze`} class="inline snooze">
                  <input type="hidden" name="_csrf" value={csrf} />
                  <label class="visually-hidden" for={`snooze-${n.id}`} safe>{`Remind me again about ${n.title}`}</label>
                  <select id={`snooze-${n.id}`} name="for">
                    {Object.entries(SNOOZES).map(([value, label]) => (
                      <option value={value}>{label}</option>
                    ))}
                  </select>
                  <button type="submit">Snooze</button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </div>
      <p class="hint" safe>{`Times in ${timezone}.`}</p>
    </Layout>
  )
}
