// Starts the server: configuration, database, migrations, listen; drains and closes on SIGTERM/SIGINT.
import { createApp, eventDelivery } from './app'
import { appDeps } from './context'
import { openDatabase } from './db/client'
import { runMigrations } from './db/migrate'
import { ConfigError, loadEnv, secretStoreConfig, type Env } from './env'
import { startEvents } from './events/runtime'
import { startHousekeeping } from './features/ops/housekeeping'
import { metricsApp } from './features/ops/metrics'
import { daprJobsScheduler, LocalScheduler } from './features/reminders/scheduler'
import { WebhookSender } from './features/reminders/webhooks'
import { createLogger } from './lib/log'
import { createMetrics } from './lib/metrics'
import { startTracing } from './lib/otel'
import { sidecarOf } from './lib/sidecar'
import { stopLive } from './features/live/hub'
import pkg from '../package.json'
import { withSecretStore } from './lib/secret-store'

let env: Env
try {
  // Secrets may come from a Dapr secret store (SECRET_STORE, which implies a sidecar); an explicit environment value wins.
  env = loadEnv(await withSecretStore(process.env, secretStoreConfig(), ['DATABASE_URL', 'APP_API_TOKEN']))
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`)
    process.exit(2)
  }
  throw error
}

const log = createLogger(env.logLevel)
// Said once, as JSON like every other line, before the process ends.
process.on('uncaughtException', (error) => {
  log.error('uncaught exception', { error })
  process.exit(1)
})
process.on('unhandledRejection', (reason) => {
  log.error('unhandled rejection', { error: reason instanceof Error ? reason : new Error(String(reason)) })
  process.exit(1)
})
// Before anything is instrumented: spans export over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
const tracing = startTracing({ endpoint: env.otlpEndpoint, serviceName: env.serviceName, serviceVersion: pkg.version, sampleRatio: env.traceSampleRatio })
const metrics = createMetrics()
const database = await openDatabase({ url: env.databaseUrl, dataDir: env.dataDir, poolMax: env.databasePoolMax, driver: env.databaseDriver, prepare: env.databasePrepare, observer: metrics.database })
if (env.migrateOnStart) await runMigrations(database, env.databaseUrl)

const readiness = { draining: false }
// Without a sidecar the local scheduler fires reminders; beside one it sweeps up what the Jobs API missed.
const sweep = env.daprHttpPort ? { graceMs: env.reminderSweepGraceMs, maxSleepMs: env.reminderSweepGraceMs } : {}
const local = new LocalScheduler({ database, log, onFired: metrics.reminders.fired, ...sweep })
const sidecar = sidecarOf(env)
const scheduler = sidecar ? daprJobsScheduler(sidecar) : local
const deps = appDeps({ env, database, log, scheduler, metrics })
const app = createApp(deps, readiness).listen({ port: env.port, hostname: env.host })
// Metrics on their own port: never behind the app's port, so never behind its Ingress.
const metricsServer = env.metricsPort ? metricsApp(deps, metrics).listen({ port: env.metricsPort, hostname: env.metricsHost }) : undefined
const housekeeping = startHousekeeping({ db: database.db, log })
// Without a sidecar the bus hands events straight to the consumers: no HTTP route takes them.
const events = await startEvents({ env, database, log, metrics, delivery: env.daprHttpPort ? undefined : eventDelivery(deps) })
// Reminders that came due while the app was down fire now, once.
await local.start()
const webhooks = new WebhookSender({ database, log, allowPrivate: env.webhookAllowPrivate })
webhooks.start()
log.info('listening', {
  url: `http://${env.host === '0.0.0.0' ? 'localhost' : env.host}:${app.server?.port}`,
  metrics: metricsServer ? `http://${env.metricsHost}:${metricsServer.server?.port}/metrics` : 'off',
  database: database.kind === 'postgres' ? `postgresql (${database.driver})` : `pglite (${env.dataDir})`,
  tracing: env.otlpEndpoint ? `otlp (sampling ${env.traceSampleRatio})` : 'off',
})

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  log.info('shutting down', { signal })
  readiness.draining = true
  housekeeping.stop()
  const force = setTimeout(() => {
    log.warn('in-flight requests did not finish in time; closing anyway', { timeout_ms: env.shutdownTimeoutMs })
    process.exit(1)
  }, env.shutdownTimeoutMs)
  // Live streams never finish by themselves: closed first (their pages reconnect to another replica).
  await stopLive(database)
  // Stop accepting connections and let in-flight requests finish, then close the database.
  await app.server?.stop(false)
  await metricsServer?.server?.stop(true)
  await local.stop()
  await webhooks.stop()
  await events.stop()
  await database.close()
  await tracing?.shutdown().catch(() => {})
  clearTimeout(force)
  log.info('stopped')
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
