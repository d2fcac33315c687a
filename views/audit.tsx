// The audit trail page: who changed what and when, newest first; filtered to one task for its history.
import { Html } from './html'
import type { AuditView } from '../src/features/audit/service'
import type { TaskView } from '../src/features/tasks/model'
import { formatAbsolute, formatDay, formatRelative } from './format'
import { Layout } from './layout'

const ACTION_LABEL: Record<string, string> = {
  created: 'Created',
  updated: 'Edited',
  completed: 'Completed',
  reopened: 'Reopened',
  deleted: 'Deleted',
  restored: 'Restored',
  recurred: 'Next in series',
}

const FIELD_LABEL: Record<string, string> = {
  title: 'title',
  description: 'description',
  status: 'status',
  priority: 'priority',
  due_date: 'due date',
  all_day: 'all day',
  recurrence: 'repeat rule',
  recurrence_from: 'repeat from',
  tags: 'tags',
  completed_at: 'completion time',
  parent_id: 'parent task',
}

/** One field of a task as it was: an all-day task's due date is its day, with no time. */
function show(view: Partial<TaskView> | null | undefined, field: string, timeZone: string, now: Date): string {
  if (field === 'due_date' && view?.due_day) return formatDay(view.due_day, timeZone, now)
  const value = view?.[field as keyof TaskView]
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (value === null || value === undefined || value === '') return '—'
  if (Array.isArray(value)) return value.length ? value.map((v) => `#${v}`).join(' ') : '—'
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return formatAbsolute(new Date(value), timeZone, now)
  return String(value)
}

/** Who made a change, as the reader calls them: "you", "the app" (a repeating task's next instance), or their email. */
function actorName(e: AuditView, userId: string): string {
  if (e.actor_id === null) return 'the app'
  if (e.actor_id === userId) return 'you'
  return e.actor_email ?? 'a deleted account'
}

export interface AuditPageProps {
  nonce: string
  csrf: string
  /** The reader: their own changes read "by you". */
  userId: string
  email: string
  timezone: string
  now: Date
  entries: AuditView[]
  nextCursor: string | null
  /** Set when the page shows one task's history. */
  taskId?: string
  /** The deleted tasks among the entries that are still in the trash. */
  trash?: Set<string>
}

export function AuditPage({ nonce, csrf, userId, email, timezone, now, entries, nextCursor, taskId, trash = new Set() }: AuditPageProps) {
  // The newest delete of a task still in the trash offers Restore (once per task).
  const offered = new Set<string>()
  const restorable = (e: AuditView) => e.action === 'deleted' && trash.has(e.task_id) && !offered.has(e.task_id) && Boolean(offered.add(e.task_id))
  const heading = taskId ? `History of "${entries[0]?.title ?? 'this task'}"` : 'Activity'
  const older = `/audit?${new URLSearchParams({ ...(taskId ? { task_id: taskId } : {}), ...(nextCursor ? { cursor: nextCursor } : {}) })}`
  return (
    <Layout title={heading} nonce={nonce} csrf={csrf} email={email} active="audit">
      <h1 safe>{heading}</h1>
      {taskId ? (
        <p>
          <a href="/audit">All activity</a>
        </p>
      ) : (
        ''
      )}
      {entries.length === 0 ? (
        <p class="empty">Nothing has happened yet: changes to your tasks, and to those of projects shared with you, show up here.</p>
      ) : (
        <ol class="audit">
          {entries.map((e) => (
            <li class={`entry ${e.action}`}>
              <div class="when">
                <time datetime={e.occurred_at} safe>
                  {formatAbsolute(new Date(e.occurred_at), timezone, now)}
                </time>
                <span class="relative" data-relative={e.occurred_at} safe>
                  {formatRelative(new Date(e.occurred_at), now)}
                </span>
              </div>
              <div>
                <strong safe>{ACTION_LABEL[e.action] ?? e.action}</strong>{' '}
                {taskId ? (
                  ''
                ) : (
                  <a href={`/audit?task_id=${e.task_id}`} class="title" safe>
                    {e.title}
                  </a>
                )}{' '}
                <span class="actor" safe>{`by ${actorName(e, userId)}`}</span>
                {restorable(e) ? (
                  <form method="post" action="/tasks/restore" class="inline restore">
                    <input type="hidden" name="_csrf" value={csrf} />
                    <input type="hidden" name="ids" value={e.task_id} />
                    <input type="hidden" name="back" value={taskId ? `/audit?task_id=${e.task_id}` : '/audit'} />
                    <button type="submit" class="ghost">
                      Restore<span class="visually-hidden" safe>{` "${e.title}"`}</span>
                    </button>
                  </form>
                ) : (
                  ''
                )}
                {e.action === 'updated' && e.changes.length > 0 ? (
                  <ul class="changes">
                    {e.changes
                      .filter((field) => field !== 'completed_at')
                      .map((field) => (
                        <li>
                          <span safe>{FIELD_LABEL[field] ?? field}</span>:{' '}
                          <del safe>{show(e.before, field, timezone, now)}</del> →{' '}
                          <ins safe>{show(e.after, field, timezone, now)}</ins>
                        </li>
                      ))}
                  </ul>
                ) : (
                  ''
                )}
              </div>
            </li>
          ))}
        </ol>
      )}
      {nextCursor ? (
        <p class="pager">
          <a class="button" href={older}>
            Older
          </a>
        </p>
      ) : (
        ''
      )}
    </Layout>
  )
}
