// The audit trail: built from task events by its consumer, read back per user (with the shared projects' entries, and
// optionally per task), newest first, each entry saying who made the change.
import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm'
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
import { membershipsOf } from '../projects/access'
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
        // An event from before actors were recorded has none: every change then was the owner's, or the app's.
        actorId: e.data.actor_id !== undefined ? e.data.actor_id : e.data.cause === 'recurrence' ? null : e.data.user_id,
        projectId: e.data.task.project_id ?? null,
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
  /** The task's project at the time. */
  project_id: string | null
  /** Who made the change; null when the app did (a repeating task's next instance). */
  actor_id: string | null
  /** Their email; null when the app made the change, or the account is gone. */
  actor_email: string | null
  action: string
  title: string
  changes: string[]
  before: TaskView | null
  after: TaskView | null
  occurred_at: string
}

/** An entry as the API shows it, with the email of who made it (read beside it: `actorEmails`). */
export const toAuditView = (e: AuditEntry, actorEmail: string | null): AuditView => ({
  id: e.id,
  task_id: e.taskId,
  project_id: e.projectId,
  actor_id: e.actorId,
  actor_email: actorEmail,
  action: e.action,
  title: e.title,
  changes: e.changes,
  before: e.before ?? null,
  after: e.after ?? null,
  occurred_at: e.occurredAt.toISOString(),
})

export const AUDIT_PARAMS = ['task_id', 'limit', 'cursor'] as const

/** The entries a user may read: those of their own tasks, and those of the projects shared with them now (`shared`, read in the request's connection, so a removal that committed is seen). */
const readableBy = (userId: string, shared: readonly string[]): SQL =>
  shared.length === 0 ? eq(auditLog.userId, userId) : or(eq(auditLog.userId, userId), inArray(auditLog.projectId, [...shared]))!

/**
 * An entry as a member reads it: a task brought into the shared project from a project of its owner's shows them how
 * it arrived, not how it was before (its `before` is the owner's alone).
 */
function asReadBy(entry: AuditEntry, userId: string, shared: ReadonlySet<string>): AuditEntry {
  if (entry.userId === userId || !entry.before || shared.has(entry.before.project_id ?? '')) return entry
  return { ...entry, before: null }
}

/**
 * The audit entries the user may read, newest first: those of their own tasks and of the projects shared with them.
 * With `task_id`, one task's history as far as they may read it: a member reads what happened to it in the shared
 * project, not what happened before its owner brought it there from a project of their own. `{ items, total,
 * next_cursor }`, each entry with who made it.
 */
export async function listAudit(db: Db, userId: string, params: Record<string, string | undefined>) {
  onlyParams(params, AUDIT_PARAMS)
  const { task_id: taskId, cursor } = params
  if (taskId !== undefined && !UUID.test(taskId)) throw invalid('task_id', 'task_id must be a task id (a UUID)')
  const limit = parseLimit(params.limit)
  // An entry's id is its position: the newest first, so the next page is the ids below the last one.
  if (cursor !== undefined && !UUID.test(cursor)) throw forgedCursor()
  const shared = new Set((await membershipsOf(db, userId)).map((m) => m.projectId))
  const readable = readableBy(userId, [...shared])
  const where = taskId ? and(eq(auditLog.taskId, taskId), readable) : readable
  const [rows, totals] = await Promise.all([
    db
      .select({ entry: auditLog, actorEmail: users.email })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(cursor ? and(where, lt(auditLog.id, cursor)) : where)
      .orderBy(desc(auditLog.id))
      .limit(limit + 1),
    cappedCount(db, auditLog, where),
  ])
  const page = rows.slice(0, limit)
  return {
    items: page.map((r) => toAuditView(asReadBy(r.entry, userId, shared), r.actorEmail)),
    ...cappedTotal(totals),
    next_cursor: rows.length > limit ? page.at(-1)!.entry.id : null,
  }
}
