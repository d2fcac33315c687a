// What every task use case stands on: the deps they take, one of the actor's tasks by id, and the rows the task quota
// counts. Apart from service.ts so that the use cases it gathers (status.ts, trash.ts) can use them without a circle.
import { and, eq, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { notFound } from '../../lib/errors'
import type { QuotaDeps } from '../../lib/quotas'
import { UUID } from '../../lib/secrets'
import type { Actor } from '../auth/user'
import { tasks, type Task } from './schema'

/** What reading tasks needs. */
export interface TaskReadDeps {
  db: Db
  clock: () => Date
}

/** What changing them needs too: adding a task (or completing a repeating one) checks the user's quota. */
export interface TaskDeps extends TaskReadDeps, QuotaDeps {}

/** One of the actor's tasks, locked for the transaction when `lock`. Another user's task and a malformed id both read as "not found": ids reveal nothing. */
export async function ownedTask(db: Db, actor: Actor, id: string, lock = false): Promise<Task> {
  if (!UUID.test(id)) throw notFound('task')
  const query = db.select().from(tasks).where(and(eq(tasks.id, id), eq(tasks.userId, actor.id)))
  const [task] = lock ? await query.for('update') : await query
  if (!task) throw notFound('task')
  return task
}

/** The rows the task quota counts: all of the user's tasks, pending and completed. */
export const ownTasks = (userId: string): SQL => sql`select 1 from ${tasks} where ${tasks.userId} = ${userId}`
