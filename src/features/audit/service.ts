// The audit trail: built from task events by its consumer, read back per user (optionally per task), newest first.
import { and, desc, eq, lt, type SQL } from 'drizzle-orm'
import { cappedCount, cappedTotal } from '../../db/capped-count'
import type { Db } from '../../db/client'
import type { Consumer } from '../../events/consumers'
import { TOPICS, type CloudEvent } from '../../events/envelope'
import { invalid } from '../../lib/errors'
import { forgedCursor, onlyParams, parseLimit } from '../../lib/paging'
import { newId, UUID } from '../../lib/secrets'
import type { TaskEventData } from '../tasks/events'
import type { TaskView } from '../tasks/model'
import { users } from '../auth/schema'
import { auditLog, type AuditEntry } from './schema'

/** What a person would call the change. */
export function actionOf(event: CloudEvent<TaskEventData>): string {
  const { data } = event
  switch (event.type) {
    case 'task.created':
      return data.cause === 'restore' ? 'restored' : data.cause === 'recurrence' ? 'recurred' : 'created'
    case 'task.completed':
      return 'completed'
    case 'task.deleted':
      return 'deleted'
    default:
      return data.before?.status === 'completed' && data.task.status === 'pending' ? 'reopened' : 'updated'
  }
}

/** Writes one audit entry per task event (the consumer's effect; its idempotency is consumeOnce's). */
export const auditConsumer: Consumer = {
  name: 'audit',
  topics: [TOPICS.taskEvents, TOPICS.taskUpdates],
  types: ['task.created', 'task.updated', 'task.completed', 'task.deleted'],
  async handle(tx, event, now) {
    const e = event as unknown as CloudEvent<TaskEventData>
    const deleted = e.type === 'task.deleted'
    // A change of an account deleted since goes with it: there is no one to keep it for.
    const [owner] = await tx.select({ id: users.id }).from(users).where(eq(users.id, e.data.user_id))
    if (!owner) return
    await tx
      .insert(auditLog)
      .values({
        // The event's own id (a UUIDv7 taken when the change committed) orders the trail by when things
        // happened, not by when they arrived: task.created and task.updated travel on different topics,
        // and a broker keeps order only within one.
        id: UUID.test(e.id) ? e.id : newId(),
        eventId: e.id,
        userId: e.data.user_id,
        taskId: e.data.task_id,
        action: actionOf(e),
        title: e.data.task.title,
        changes: e.data.changes ?? [],
        before: e.data.before ?? null,
        after: deleted ? null : e.data.task,
        occurredAt: new Date(e.data.occurred_at),
        recordedAt: now,
      })
      .onConflictDoNothing()
  },
}

export interface AuditView {
  id: string
  task_id: string
  action: string
  title: string
  changes: string[]
  before: TaskView | null
  after: TaskView | null
  occurred_at: string
}

export const toAuditView = (e: AuditEntry): AuditView => ({
  id: e.id,
  task_id: e.taskId,
  action: e.action,
  title: e.title,
  changes: e.changes,
  before: e.before ?? null,
  after: e.after ?? null,
  occurred_at: e.occurredAt.toISOString(),
})

export const AUDIT_PARAMS = ['task_id', 'limit', 'cursor'] as const

/** The user's audit entries, newest first, optionally for one task; `{ items, total, next_cursor }`. */
export async function listAudit(db: Db, userId: string, params: Record<string, string | undefined>) {
  onlyParams(params, AUDIT_PARAMS)
  const { task_id: taskId, cursor } = params
  if (taskId !== undefined && !UUID.test(taskId)) throw invalid('task_id', 'task_id must be a task id (a UUID)')
  const limit = parseLimit(params.limit)
  // An entry's id is its position: the newest first, so the next page is the ids below the last one.
  if (cursor !== undefined && !UUID.test(cursor)) throw forgedCursor()
  const filters: SQL[] = [eq(auditLog.userId, userId)]
  if (taskId) filters.push(eq(auditLog.taskId, taskId))
  const where = and(...filters)
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(auditLog)
      .where(cursor ? and(where, lt(auditLog.id, cursor)) : where)
      .orderBy(desc(auditLog.id))
      .limit(limit + 1),
    cappedCount(db, auditLog, where),
  ])
  const page = rows.slice(0, limit)
  return {
    items: page.map(toAuditView),
    ...cappedTotal(totals),
    next_cursor: rows.length > limit ? page.at(-1)!.id : null,
  }
}
