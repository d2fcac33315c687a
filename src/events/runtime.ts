// Picks the bus (Dapr when a sidecar is configured, else in-process) and runs the outbox relay on it.
import type { Database } from '../db/client'
import type { Env } from '../env'
import type { Logger } from '../lib/log'
import type { Metrics } from '../lib/metrics'
import { daprBus, inProcessBus, type EventBus } from './bus'
import { Relay } from './relay'

export interface EventRuntime {
  bus: EventBus
  relay: Relay
  stop(): Promise<void>
}

/** Starts publishing: `deliver` is the app's own request handler, used by the in-process bus. */
export async function startEvents(options: {
  env: Env
  database: Database
  log: Logger
  deliver: (request: Request) => Promise<Response>
  relay?: { pollMs?: number; leaseSeconds?: number }
  /** Publish attempts are counted here. */
  metrics?: Pick<Metrics, 'observePublish'>
}): Promise<EventRuntime> {
  const { env, log } = options
  const bus = env.daprHttpPort
    ? daprBus({ host: env.daprHost, port: env.daprHttpPort, pubsubName: env.pubsubName, apiToken: env.daprApiToken })
    : inProcessBus({ deliver: options.deliver, pubsubName: env.pubsubName, appApiToken: env.appApiToken, log })
  const relay = new Relay({ database: options.database, bus, log, onPublish: options.metrics?.observePublish, ...options.relay })
  await relay.start()
  log.info('events', { bus: bus.kind, pubsub: env.daprHttpPort ? env.pubsubName : undefined })
  return { bus, relay, stop: () => relay.stop() }
}
