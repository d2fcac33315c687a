// The app's dependencies (configuration, database, logger, clock, instruments), built once and handed to every feature plugin.
import type { Database } from './db/client'
import type { Env } from './env'
import type { PasswordHasher } from './features/auth/passwords'
import type { Logger } from './lib/log'
import { createMetrics, type Metrics } from './lib/metrics'
import { RotatingSecrets } from './lib/rotating-secrets'
import { systemClock } from './lib/time'

/** The port reminder jobs go through: the Dapr Jobs API, or the local scheduler (features/reminders/scheduler.ts). */
export interface ReminderScheduler {
  readonly kind: 'dapr-jobs' | 'local'
  /** Creates or moves the reminder's job (idempotent). */
  schedule(reminder: { id: string; remindAt: Date }): Promise<void>
  /** Removes the reminder's job (idempotent). */
  cancel(reminderId: string): Promise<void>
}

/** What the app is built from (src/index.ts, tests, benches): the clock and the instruments may be left out. */
export interface AppOptions {
  env: Env
  database: Database
  log: Logger
  /** The system clock when absent; tests pass a fixed or moving one. */
  clock?: () => Date
  /** Where reminder jobs go: the Dapr Jobs API, or the local scheduler (see src/index.ts). */
  scheduler?: ReminderScheduler
  /** The process's instruments, shared with the relay and the scheduler; a fresh set when absent. */
  metrics?: Metrics
  /** The bounded password hasher; one per configuration when absent (features/auth/passwords.ts). */
  passwords?: PasswordHasher
}

/**
 * The app's dependencies, built once from its options by `appDeps`: every feature plugin, page and
 * service closes over this object (the clock, the logger, the database) and never picks a default of its own.
 */
export interface AppDeps extends AppOptions {
  clock: () => Date
  metrics: Metrics
  /** Secrets a running app may replace (POST /admin/reload-secrets); `env` stays as read at start. */
  secrets: RotatingSecrets
}

const built = new WeakMap<AppOptions, AppDeps>()

/** The dependencies for `options`, built on the first call and the same object on every later one (and for its result). */
export function appDeps(options: AppOptions): AppDeps {
  let deps = built.get(options)
  if (!deps) {
    deps = {
      ...options,
      clock: options.clock ?? systemClock,
      metrics: options.metrics ?? createMetrics(),
      secrets: new RotatingSecrets({ OPENAI_API_KEY: options.env.openaiApiKey }),
    }
    built.set(options, deps)
    built.set(deps, deps)
  }
  return deps
}

const seeds = new WeakMap<Database, string>()

/** A stable id per database handle: plugins dedupe within one app and never across two apps (tests). */
export function seedOf(deps: { database: Database }): string {
  let seed = seeds.get(deps.database)
  if (!seed) seeds.set(deps.database, (seed = crypto.randomUUID()))
  return seed
}
