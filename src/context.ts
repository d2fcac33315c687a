// The one named context plugin: shared handles (db, env, log, clock) that every feature plugin reads.
import { Elysia } from 'elysia'
import type { Database } from './db/client'
import type { Env } from './env'
import type { PasswordHasher } from './features/auth/passwords'
import type { Logger } from './lib/log'
import type { Metrics } from './lib/metrics'

/** The port reminder jobs go through: the Dapr Jobs API, or the local scheduler (features/reminders/scheduler.ts). */
export interface ReminderScheduler {
  readonly kind: 'dapr-jobs' | 'local'
  /** Creates or moves the reminder's job (idempotent). */
  schedule(reminder: { id: string; remindAt: Date }): Promise<void>
  /** Removes the reminder's job (idempotent). */
  cancel(reminderId: string): Promise<void>
}

/** Everything the app needs from outside; tests build it with an in-memory or throwaway database. */
export interface AppDeps {
  env: Env
  database: Database
  log: Logger
  clock?: () => Date
  /** Where reminder jobs go: the Dapr Jobs API, or the local scheduler (see src/index.ts). */
  scheduler?: ReminderScheduler
  /** The process's instruments, shared with the relay and the scheduler; createApp makes its own when absent. */
  metrics?: Metrics
  /** The bounded password hasher; one per configuration when absent (features/auth/passwords.ts). */
  passwords?: PasswordHasher
}

const seeds = new WeakMap<Database, string>()

/** A stable id per database handle: plugins dedupe within one app and never across two apps (tests). */
export function seedOf(deps: AppDeps): string {
  let seed = seeds.get(deps.database)
  if (!seed) seeds.set(deps.database, (seed = crypto.randomUUID()))
  return seed
}

export const context = (deps: AppDeps) =>
  new Elysia({ name: 'context', seed: seedOf(deps) }).decorate({
    env: deps.env,
    database: deps.database,
    db: deps.database.db,
    log: deps.log,
    clock: deps.clock ?? (() => new Date()),
  })
